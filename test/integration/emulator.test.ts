// The project's moto launcher (infra/local/moto_launcher.py) replaces moto's whole-table copy
// per transaction item by snapshots of the items a transaction touches. These tests hold
// that a cancelled transaction still leaves the table exactly as it was.
import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../functions/shared/dynamo/client.ts';

const db = createDocumentClient();
const TableName = process.env.TABLE_NAME as string;
const get = async (pk: string, sk = 'X') =>
  (await db.send(new GetCommand({ TableName, Key: { pk, sk }, ConsistentRead: true }))).Item;

describe('transactions on the emulator', () => {
  it('roll back every write of a cancelled transaction: new items gone, changed items as before', async () => {
    const p = `EMU#${randomUUID()}`;
    await db.send(new PutCommand({ TableName, Item: { pk: `${p}#B`, sk: 'X', n: 1, keep: 'b' } }));
    await db.send(new PutCommand({ TableName, Item: { pk: `${p}#D`, sk: 'X', n: 1, keep: 'd' } }));
    const cancelled = db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName, Item: { pk: `${p}#A`, sk: 'X', n: 1 } } },
          {
            Update: {
              TableName,
              Key: { pk: `${p}#B`, sk: 'X' },
              UpdateExpression: 'SET n = :two REMOVE keep',
              ExpressionAttributeValues: { ':two': 2 },
            },
          },
          { Put: { TableName, Item: { pk: `${p}#D`, sk: 'X', n: 9 } } },
          { Delete: { TableName, Key: { pk: `${p}#E`, sk: 'X' } } },
          {
            ConditionCheck: {
              TableName,
              Key: { pk: `${p}#C`, sk: 'X' },
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
        ],
      }),
    );
    await expect(cancelled).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(await get(`${p}#A`)).toBeUndefined();
    expect(await get(`${p}#B`)).toEqual({ pk: `${p}#B`, sk: 'X', n: 1, keep: 'b' });
    expect(await get(`${p}#D`)).toEqual({ pk: `${p}#D`, sk: 'X', n: 1, keep: 'd' });
  });

  it('keeps items the transaction did not touch, and commits a transaction that succeeds', async () => {
    const p = `EMU#${randomUUID()}`;
    await db.send(new PutCommand({ TableName, Item: { pk: `${p}#other`, sk: 'X', n: 7 } }));
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName, Item: { pk: `${p}#A`, sk: 'X', n: 1 } } },
          { Put: { TableName, Item: { pk: `${p}#A`, sk: 'Y', n: 2 } } },
        ],
      }),
    );
    expect(await get(`${p}#A`, 'Y')).toMatchObject({ n: 2 });
    await expect(
      db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName, Key: { pk: `${p}#A`, sk: 'X' } } },
            {
              Put: {
                TableName,
                Item: { pk: `${p}#A`, sk: 'Y', n: 3 },
                ConditionExpression: 'n = :zero',
                ExpressionAttributeValues: { ':zero': 0 },
              },
            },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(await get(`${p}#A`)).toMatchObject({ n: 1 });
    expect(await get(`${p}#A`, 'Y')).toMatchObject({ n: 2 });
    expect(await get(`${p}#other`)).toMatchObject({ n: 7 });
  });
});

describe('the one transaction helper', () => {
  it('raises the error the failed item names, hands it the stored item, and 409s a failure nobody guarded', async () => {
    const { guard, transact } = await import('../../functions/shared/dynamo/transactions.ts');
    const { ConcurrentModification, Conflict } = await import('../../functions/shared/errors.ts');
    const p = `EMU#${randomUUID()}`;
    await db.send(new PutCommand({ TableName, Item: { pk: `${p}#A`, sk: 'X', owner: 'first' } }));
    const putA = {
      Put: {
        TableName,
        Item: { pk: `${p}#A`, sk: 'X', owner: 'second' },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    };
    let seen: Record<string, unknown> | undefined;
    await expect(
      transact(db, [
        { Put: { TableName, Item: { pk: `${p}#B`, sk: 'X' } } },
        guard(putA, (old) => {
          seen = old;
          return new Conflict('id_number_taken');
        }),
      ]),
    ).rejects.toBeInstanceOf(Conflict);
    expect(seen).toMatchObject({ owner: 'first' });
    await expect(transact(db, [putA])).rejects.toBeInstanceOf(ConcurrentModification);
    expect(await get(`${p}#B`)).toBeUndefined();
  });
});
