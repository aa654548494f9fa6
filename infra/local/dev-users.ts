// Development users: what `npm run token`, the demo seed, the benches and the tests use to
// be someone. The token only names an identity (issuer + subject); this puts that identity
// in the product's user directory with the tenant, role, sites, subcontractor and person
// asked for — the same directory every call is authorized by (functions/users/). Local only:
// it writes the directory straight, without an invitation or an audit record.
import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../../functions/shared/auth/principal.ts';
import { keys } from '../../functions/shared/dynamo/table-design.ts';
import { userItem } from '../../functions/users/user-directory-store.ts';

/** Who a development token is for, and what the directory should let them do. */
export interface TokenRequest {
  tenantId: string;
  role: Role;
  siteIds?: string[];
  subcontractorId?: string;
  personId?: string;
  subject?: string;
  ttlSeconds?: number;
}

/** The subject a development token carries: the one asked for, or one per distinct request. */
export function devSubject(req: TokenRequest): string {
  if (req.subject) return req.subject;
  const digest = createHash('sha256')
    .update(
      JSON.stringify([
        req.tenantId,
        req.role,
        req.siteIds ?? [],
        req.subcontractorId ?? '',
        req.personId ?? '',
      ]),
    )
    .digest('hex')
    .slice(0, 12);
  return `local-${req.role}-${digest}`;
}

let client: DynamoDBDocumentClient | undefined;
const db = () => {
  client ??= DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return client;
};

/** Hooks the in-process directory cache, so a re-enrolled identity is seen at once (tests, npm start). */
let onEnrol: ((issuer: string, subject: string) => void) | undefined;
export const onDevEnrol = (hook: (issuer: string, subject: string) => void) => {
  onEnrol = hook;
};

/** Puts the identity in the directory as the request describes; returns its subject. */
export async function enrolDevUser(
  issuer: string,
  req: TokenRequest,
  table = process.env.TABLE_NAME,
): Promise<string> {
  if (!table) throw new Error('TABLE_NAME is not set: is the local stack running?');
  const subject = devSubject(req);
  const platform = req.role === 'platform_admin';
  const tenantId = platform ? '' : req.tenantId;
  const userId = `usr_dev${createHash('sha256').update(`${issuer}\n${subject}`).digest('hex').slice(0, 20)}`;
  const now = new Date().toISOString();
  await db().send(
    new BatchWriteCommand({
      RequestItems: {
        [table]: [
          {
            PutRequest: {
              Item: userItem({
                userId,
                tenantId,
                role: req.role,
                siteIds: req.siteIds ?? [],
                ...(req.subcontractorId ? { subcontractorId: req.subcontractorId } : {}),
                ...(req.personId ? { personId: req.personId } : {}),
                state: 'active',
                login: { issuer, subject },
                createdAt: now,
                createdBy: 'local-dev',
                updatedAt: now,
                version: 1,
              }),
            },
          },
          { PutRequest: { Item: { ...keys.login(issuer, subject), entity: 'login', tenantId, userId } } },
        ],
      },
    }),
  );
  onEnrol?.(issuer, subject);
  return subject;
}
