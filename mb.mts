import { DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand, TransactWriteItemsCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
const endpoint = process.argv[2];
const db = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
await db.send(new CreateTableCommand({ TableName: 't', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] })).catch(() => {});
const N = 1200;
const item = (i: number) => ({ pk: { S: `p${i % 50}` }, sk: { S: `k${i}` }, v: { S: 'x'.repeat(200) }, n: { N: String(i) }, m: { M: { a: { S: 'b' }, c: { L: [{ S: 'd' }] } } } });
for (const [name, mk] of [
  ['put', (i: number) => new PutItemCommand({ TableName: 't', Item: item(i) })],
  ['get', (i: number) => new GetItemCommand({ TableName: 't', Key: { pk: { S: `p${i % 50}` }, sk: { S: `k${i}` } } })],
  ['tx3', (i: number) => new TransactWriteItemsCommand({ TransactItems: [0, 1, 2].map((j) => ({ Put: { TableName: 't', Item: item(N + i * 3 + j), ConditionExpression: 'attribute_not_exists(pk)' } })) })],
  ['query', (i: number) => new QueryCommand({ TableName: 't', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: `p${i % 50}` } }, Limit: 10 })],
] as const) {
  const t = Date.now();
  await Promise.all([0, 1, 2, 3].map(async (lane) => { for (let i = lane; i < N; i += 4) await db.send(mk(i) as never); }));
  console.log(name, ((Date.now() - t) / N).toFixed(2), 'ms/request');
}
