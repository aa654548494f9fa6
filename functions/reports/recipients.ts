// Who receives a tenant's monthly report (kept apart from the report code so that the
// settings function does not bundle the mail composer).
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../shared/dynamo/table-design.ts';

interface Deps {
  db: DynamoDBDocumentClient;
  table: string;
}

export async function reportRecipients(deps: Deps, tenantId: string): Promise<string[]> {
  const out = await deps.db.send(
    new GetCommand({ TableName: deps.table, Key: keys.settings(tenantId, 'report-recipients') }),
  );
  return (out.Item?.safetyHeads as string[] | undefined) ?? [];
}

export async function saveReportRecipients(deps: Deps, tenantId: string, safetyHeads: string[]) {
  await deps.db.send(
    new PutCommand({
      TableName: deps.table,
      Item: {
        ...keys.settings(tenantId, 'report-recipients'),
        entity: 'settings',
        safetyHeads,
        updatedAt: new Date().toISOString(),
      },
    }),
  );
}
