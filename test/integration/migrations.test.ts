// Data migrations run against the emulator on items in the shape an older release wrote.
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDocumentStore } from '../../functions/archives/archive-store.ts';
import { allAdapters, personRepository, restatus } from '../../functions/composition-root.ts';
import { keys } from '../../functions/shared/dynamo/table-design.ts';
import { migrateBlacklistStatus } from '../../infra/migrations/blacklist-status.ts';
import { migrateCertificateNumbers } from '../../infra/migrations/certificate-numbers.ts';
import { migrateDocumentRetention } from '../../infra/migrations/document-retention.ts';
import { migrateViolationDays } from '../../infra/migrations/violation-days.ts';
import { type ApiClient, allItems, startTestApi, type TestApi } from '../support/api.ts';
import { daysFromToday, newIdNumber, storedEvidence, yearsFromToday } from '../support/fixtures.ts';

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
      sk: 'CERT#cer_legacy0000001',
      entity: 'certificate',
      tenantId: 'migrate',
      personId,
      certificateId: 'cer_legacy0000001',
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
          sk: 'CERT#cer_legacy0000001',
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
      (i) => i.sk === 'CERT#cer_legacy0000001' && i.entity === 'certificate',
    ) as { numberCipher: string };
    expect(await numbers.reveal('migrate', stored.numberCipher)).toBe(number);
    await expect(numbers.reveal('another-tenant', stored.numberCipher)).rejects.toThrow();

    expect(await migrateCertificateNumbers(db, table, numbers)).toMatchObject({ migrated: 0 });
  });
});

describe('Cognito users migration (before the user directory, roles were pool attributes)', () => {
  it('gives each legacy account its directory entry bound to its sub, once; invalid ones are listed', async () => {
    const { randomUUID } = await import('node:crypto');
    const {
      AdminCreateUserCommand,
      AdminDisableUserCommand,
      CognitoIdentityProviderClient,
      CreateUserPoolCommand,
    } = await import('@aws-sdk/client-cognito-identity-provider');
    const { migrateCognitoUsers } = await import('../../infra/migrations/cognito-users.ts');
    const { userAdapters } = await import('../../functions/composition-root.ts');
    const cognito = new CognitoIdentityProviderClient({});
    const attribute = (Name: string) => ({ Name, AttributeDataType: 'String' as const, Mutable: true });
    const created = await cognito.send(
      new CreateUserPoolCommand({
        PoolName: `legacy-${randomUUID().slice(0, 8)}`,
        UsernameAttributes: ['email'],
        Schema: ['tenantId', 'role', 'siteIds', 'subcontractorId', 'personId'].map(attribute),
      }),
    );
    const id = created.UserPool?.Id as string;
    const issuer = `https://cognito-idp.${process.env.AWS_REGION}.amazonaws.com/${id}`;
    const account = async (email: string, attributes: Record<string, string>) => {
      const out = await cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: id,
          Username: email,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: email },
            ...Object.entries(attributes).map(([k, v]) => ({ Name: `custom:${k}`, Value: v })),
          ],
        }),
      );
      return out.User?.Attributes?.find((a) => a.Name === 'sub')?.Value as string;
    };
    const manager = await account('mgr@legacy.example', {
      tenantId: 'legacy',
      role: 'site_manager',
      siteIds: 's1,s2',
    });
    const left = await account('left@legacy.example', { tenantId: 'legacy', role: 'hr' });
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: id, Username: 'left@legacy.example' }));
    await account('odd@legacy.example', { tenantId: 'legacy', role: 'superuser' });
    const deps = userAdapters();
    const first = await migrateCognitoUsers(cognito, { id, issuer }, deps);
    expect(first).toEqual({
      migrated: 2,
      alreadyInDirectory: 0,
      skipped: [{ username: expect.any(String), why: 'no valid custom:role' }],
    });
    expect(await deps.directory.resolve({ issuer, subject: manager })).toMatchObject({
      tenantId: 'legacy',
      role: 'site_manager',
      siteIds: ['s1', 's2'],
    });
    await expect(deps.directory.resolve({ issuer, subject: left })).rejects.toMatchObject({
      detailCode: 'account_disabled',
    });
    // Run again: nothing new, nothing duplicated.
    const second = await migrateCognitoUsers(cognito, { id, issuer }, deps);
    expect(second).toMatchObject({ migrated: 0, alreadyInDirectory: 2 });
    expect((await deps.directory.listUsers('legacy', 50)).items).toHaveLength(2);
  });
});

describe('violation days migration', () => {
  it('gives violations recorded before the radar’s trend their day keys, once', async () => {
    const admin = await api.as({ tenantId: 'migrate-v', role: 'group_admin' });
    const siteId = (await admin.post('/sites', { name: '老厂', code: 'LC', location: { lat: 30, lng: 120 } }))
      .body.siteId as string;
    const personId = (
      await admin.post('/people', { name: '老孙', idNumber: newIdNumber(), homeSiteId: siteId })
    ).body.personId as string;
    const recorded = await admin.post('/violations', {
      personId,
      type: 'safety_rule',
      occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
      siteId,
    });
    expect(recorded.status).toBe(201);
    // As the previous release stored it: no tenant-by-day keys.
    const { db, table } = allAdapters();
    const item = (await allItems()).find((i) => i.entity === 'violation' && i.tenantId === 'migrate-v') as {
      pk: string;
      sk: string;
    };
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
      }),
    );
    const recent = async () =>
      (await admin.get('/diagnostics/radar')).body.areas.find(
        (a: { area: string }) => a.area === 'violations',
      ).figures.recent;
    expect(await recent()).toBe(0);
    expect(await migrateViolationDays(db, table)).toMatchObject({ migrated: 1 });
    expect(await recent()).toBe(1);
    expect(await migrateViolationDays(db, table)).toMatchObject({ migrated: 0 });
  });

  it('gives documents written before the records expiry its index keys: found once their retention ends, or abandoned', async () => {
    const { db, table, clock } = allAdapters();
    const documents = new DynamoDocumentStore(db, table, clock);
    // As the previous release stored it: a training record without the retention index's keys.
    const doc = {
      documentId: 'doc_legacy0000000000000000000',
      tenantId: 'migrate-d',
      personId: 'per_legacy0000000000000000000',
      kind: 'training_record',
      title: '2019 年度培训记录',
      fileName: 'training.pdf',
      contentType: 'application/pdf',
      bytes: 100,
      key: 'records/t/migrate-d/p/per_legacy0000000000000000000/doc_legacy0000000000000000000',
      state: 'stored',
      createdAt: '2019-06-01T02:00:00.000Z',
      createdBy: 'hr',
      storedAt: '2019-06-01T02:00:00.000Z',
      keepUntil: '2026-06-01',
    };
    await db.send(
      new PutCommand({
        TableName: table,
        Item: {
          ...keys.document(doc.tenantId, doc.personId, doc.documentId),
          entity: 'document',
          ...doc,
        },
      }),
    );
    // …and a declaration whose file never came.
    const declared = {
      ...doc,
      documentId: 'doc_legacy0000000000000000001',
      state: 'uploading',
      createdAt: '2026-01-05T02:00:00.000Z',
      key: doc.key.replace(/0$/, '1'),
    } as Record<string, unknown>;
    delete declared.storedAt;
    delete declared.keepUntil;
    await db.send(
      new PutCommand({
        TableName: table,
        Item: {
          ...keys.document(doc.tenantId, doc.personId, String(declared.documentId)),
          entity: 'document',
          ...declared,
        },
      }),
    );
    expect(await documents.pastRetention('2026-06-02', 10)).toEqual([]);
    expect(await documents.declaredBefore('2026-06-01T00:00:00.000Z', 10)).toEqual([]);
    expect(await migrateDocumentRetention(db, table)).toMatchObject({ migrated: 2 });
    expect(await documents.pastRetention('2026-06-01', 10)).toEqual([]); // kept through its day
    expect(await documents.pastRetention('2026-06-02', 10)).toEqual([doc]);
    expect(await documents.declaredBefore('2026-01-05T02:00:00.000Z', 10)).toEqual([]);
    expect(await documents.declaredBefore('2026-06-01T00:00:00.000Z', 10)).toEqual([declared]);
    expect(await migrateDocumentRetention(db, table)).toMatchObject({ migrated: 0 });
  });
});

describe('blacklist status migration', () => {
  it('stores the status of people held before the hold was part of it: listed red, once', async () => {
    const tenantId = 'migrate-b';
    const admin = await api.as({ tenantId, role: 'group_admin' });
    const idNumber = newIdNumber();
    const personId = (await admin.post('/people', { name: '老钱', idNumber })).body.personId as string;
    expect(
      (
        await admin.post(`/people/${personId}/certificates`, {
          scheme: 'MEM',
          category: 'welding',
          number: `T${idNumber}`,
          issuedOn: daysFromToday(-30),
          expiresOn: yearsFromToday(6, -31),
        })
      ).status,
    ).toBe(201);
    const { db, table } = allAdapters();
    const key = { pk: `T#${tenantId}#PERSON#${personId}`, sk: 'PROFILE' };
    const green = (await allItems()).find((i) => i.pk === key.pk && i.sk === key.sk) as Record<
      string,
      unknown
    >;
    expect(green.status).toMatchObject({ color: 'green' });
    const entered = await admin.post('/blacklist', {
      personId,
      reasonCode: 'identity_fraud',
      evidence: await storedEvidence(tenantId, personId),
    });
    expect(entered.status).toBe(201);
    // As the previous release left it: the hold on the person, the status still green.
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression: 'SET #s = :s, gsi1sk = :sk',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': green.status, ':sk': green.gsi1sk },
      }),
    );
    const listed = async (color: string) =>
      (await admin.get(`/people?color=${color}`)).body.items.map((p: { personId: string }) => p.personId);
    expect(await listed('green')).toEqual([personId]);
    const deps = { people: personRepository(), restatus: restatus() };
    expect(await migrateBlacklistStatus(db, table, deps)).toMatchObject({ migrated: 1 });
    expect(await listed('green')).toEqual([]);
    expect(await listed('red')).toEqual([personId]);
    expect(await migrateBlacklistStatus(db, table, deps)).toMatchObject({ migrated: 0, alreadyDone: 1 });
  });
});
