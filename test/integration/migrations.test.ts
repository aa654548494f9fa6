// Data migrations run against the emulator on items in the shape an older release wrote.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAdapters } from '../../functions/composition-root.ts';
import { migrateCertificateNumbers } from '../../infra/migrations/certificate-numbers.ts';
import { type ApiClient, allItems, startTestApi, type TestApi } from '../support/api.ts';
import { daysFromToday, newIdNumber, yearsFromToday } from '../support/fixtures.ts';

let api: TestApi;
let hr: ApiClient;

beforeAll(async () => {
  api = await startTestApi();
  hr = await api.as({ tenantId: 'migrate', role: 'hr' });
});
afterAll(() => api.close());

describe('certificate numbers migration', () => {
  it('moves clear numbers out of items and guard keys, keeps them usable, and is idempotent', async () => {
    const idNumber = newIdNumber();
    const person = await hr.post('/people', { name: '老周', idNumber });
    const personId = person.body.personId as string;
    // A certificate as the previous release stored it: number in clear in the item and keys.
    const { db, table, numbers } = allAdapters();
    const number = `T${idNumber}`;
    const legacy = {
      pk: `T#migrate#PERSON#${personId}`,
      sk: 'CERT#cer_legacy',
      entity: 'certificate',
      tenantId: 'migrate',
      personId,
      certificateId: 'cer_legacy',
      scheme: 'MEM',
      category: 'welding',
      number,
      issuedOn: daysFromToday(-10),
      expiresOn: yearsFromToday(6, -11),
      reviewDueOn: yearsFromToday(3, -10),
      reviewIntervalExtended: false,
      createdAt: new Date().toISOString(),
      createdBy: 'old-release',
    };
    await db.send(new PutCommand({ TableName: table, Item: legacy }));
    const keyParts = ['MEM', number, 'welding', '-', legacy.issuedOn].join('#');
    await db.send(
      new PutCommand({
        TableName: table,
        Item: { pk: `T#migrate#CERTKEY#${keyParts}`, sk: 'CERTKEY', entity: 'certificate-key', personId },
      }),
    );
    await db.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk: `T#migrate#CERTNUM#${number}`,
          sk: 'CERT#cer_legacy',
          entity: 'certificate-number',
          personId,
        },
      }),
    );

    const first = await migrateCertificateNumbers(db, table, numbers);
    expect(first).toMatchObject({ migrated: 1 });
    expect(JSON.stringify(await allItems())).not.toContain(idNumber.slice(4, 14));
    const listed = await hr.get(`/people/${personId}/certificates`);
    expect(listed.body.items[0].numberMasked).toBe(`T${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`);
    // The hash-keyed guard still refuses the same certificate entered again.
    const again = await hr.post(`/people/${personId}/certificates`, {
      scheme: 'MEM',
      category: 'welding',
      number,
      issuedOn: legacy.issuedOn,
      expiresOn: legacy.expiresOn,
    });
    expect(again.status).toBe(409);
    // The ciphertext opens to the number for verification.
    const stored = (await allItems()).find(
      (i) => i.sk === 'CERT#cer_legacy' && i.entity === 'certificate',
    ) as { numberCipher: string };
    expect(await numbers.reveal('migrate', stored.numberCipher)).toBe(number);
    await expect(numbers.reveal('another-tenant', stored.numberCipher)).rejects.toThrow();

    expect(await migrateCertificateNumbers(db, table, numbers)).toMatchObject({ migrated: 0 });
  });
});
