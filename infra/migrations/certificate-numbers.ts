// One-off data migration: certificate items written before numbers were protected held
// the number in clear (a MEM number is "T" + the holder's ID number), in the item and in
// the keys of its two guards (CERTKEY uniqueness, CERTNUM look-up). This rewrites each such
// certificate to the protected form (masked, keyed hash, KMS ciphertext) and replaces both
// guards by hash-keyed ones, in one transaction per certificate. Idempotent: a migrated
// item has no `number` left, and the transaction is conditioned on it still being there.
//
// Run with an operator's credentials (it scans the table and deletes the old guards,
// which no function's role may do):
//   TABLE_NAME=… ID_HASH_KEY_SECRET_ID=… PERSONAL_DATA_KEY_ID=… npm run migrate -- certificate-numbers
// or against the running local stack: npm run migrate -- certificate-numbers
import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { CertificateNumberVault } from '../../functions/domain/certificate-numbers.ts';
import { keys } from '../../functions/shared/dynamo/table-design.ts';
import { guard, StaleRecord, transact } from '../../functions/shared/dynamo/transactions.ts';

export interface MigrationReport {
  scanned: number;
  migrated: number;
  alreadyDone: number;
}

interface LegacyCertificate {
  pk: string;
  sk: string;
  tenantId: string;
  personId: string;
  certificateId: string;
  scheme: string;
  category: string;
  subType?: string;
  issuedOn: string;
  number: string;
}

export async function migrateCertificateNumbers(
  db: DynamoDBDocumentClient,
  table: string,
  vault: CertificateNumberVault,
): Promise<MigrationReport> {
  const report: MigrationReport = { scanned: 0, migrated: 0, alreadyDone: 0 };
  const pages = paginateScan(
    { client: db },
    {
      TableName: table,
      FilterExpression: 'entity = :c AND attribute_exists(#n)',
      ExpressionAttributeNames: { '#n': 'number' },
      ExpressionAttributeValues: { ':c': 'certificate' },
    },
  );
  for await (const page of pages) {
    report.scanned += page.ScannedCount ?? 0;
    for (const item of (page.Items ?? []) as LegacyCertificate[]) {
      const p = await vault.protect(item.tenantId, item.number);
      const oldKeyParts = [
        item.scheme,
        item.number.toUpperCase(),
        item.category,
        item.subType ?? '-',
        item.issuedOn,
      ];
      const newKeyParts = [item.scheme, p.numberHash, item.category, item.subType ?? '-', item.issuedOn];
      const owner = { personId: item.personId, certificateId: item.certificateId };
      try {
        await transact(db, [
          guard(
            {
              Update: {
                TableName: table,
                Key: { pk: item.pk, sk: item.sk },
                UpdateExpression: 'SET numberMasked = :m, numberHash = :h, numberCipher = :c REMOVE #n',
                ConditionExpression: 'attribute_exists(#n)',
                ExpressionAttributeNames: { '#n': 'number' },
                ExpressionAttributeValues: {
                  ':m': p.numberMasked,
                  ':h': p.numberHash,
                  ':c': p.numberCipher,
                },
              },
            },
            () => new StaleRecord(),
          ),
          { Delete: { TableName: table, Key: keys.certificateNaturalKey(item.tenantId, oldKeyParts) } },
          {
            Put: {
              TableName: table,
              Item: {
                ...keys.certificateNaturalKey(item.tenantId, newKeyParts),
                entity: 'certificate-key',
                ...owner,
              },
            },
          },
          {
            Delete: {
              TableName: table,
              Key: {
                pk: `T#${item.tenantId}#CERTNUM#${item.number.toUpperCase()}`,
                sk: `CERT#${item.certificateId}`,
              },
            },
          },
          {
            Put: {
              TableName: table,
              Item: {
                ...keys.certificateNumber(item.tenantId, p.numberHash, item.certificateId),
                entity: 'certificate-number',
                ...owner,
              },
            },
          },
        ]);
        report.migrated += 1;
      } catch (error) {
        if (!(error instanceof StaleRecord)) throw error;
        report.alreadyDone += 1; // a concurrent run got there first
      }
    }
  }
  return report;
}
