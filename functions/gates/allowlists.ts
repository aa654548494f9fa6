// Publishing the signed offline allowlists (SPEC X2). Every minute the changed-allowlists
// job looks for change markers (a person's gate access, a badge, a site policy, a new gate)
// and republishes the lists of the tenants concerned; every 6 hours all lists are
// republished so that none runs out. Each site's list goes, retained, to each of its gates
// on gates/{gateId}/allowlist/{part}.
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../shared/dynamo/batch-get.ts';
import { queryAll } from '../shared/dynamo/query-all.ts';
import { keys, tenantOfKey } from '../shared/dynamo/table-design.ts';
import { isConditionFailure } from '../shared/dynamo/transactions.ts';
import { logger } from '../shared/logger.ts';
import { type Allowlist, buildAllowlist } from './allowlist.ts';
import { allowlistSigner } from './allowlist-signer.ts';
import type { BadgeBinding, GateView, SiteEntryPolicy } from './decision.ts';
import { gatePublisher } from './gate-publisher.ts';
import { entryPolicy } from './gate-store.ts';

/** AWS IoT Core's largest message is 128 KB. */
export const MAX_ALLOWLIST_BYTES = 128 * 1024;

interface Deps {
  db: DynamoDBDocumentClient;
  table: string;
  /** Badges per part (tests use small parts). */
  partSize?: number;
}

export interface PublishedSite {
  siteId: string;
  version: number;
  parts: number;
  gates: number;
  allow: number;
  deny: number;
  bytes: number;
}

/** The next version of a site's list, and how many parts the previous one had. */
async function nextVersion(
  deps: Deps,
  tenantId: string,
  siteId: string,
  now: Date,
): Promise<{ version: number; previousParts: number }> {
  const out = await deps.db.send(
    new UpdateCommand({
      TableName: deps.table,
      Key: keys.allowlistState(tenantId, siteId),
      UpdateExpression: 'ADD version :one SET entity = :e, siteId = :s, issuedAt = :now',
      ExpressionAttributeValues: {
        ':one': 1,
        ':e': 'allowlist-state',
        ':s': siteId,
        ':now': now.toISOString(),
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return { version: Number(out.Attributes?.version), previousParts: Number(out.Attributes?.parts ?? 0) };
}

/** Builds, signs and publishes the list of every site of the tenant that has a gate. */
export async function publishTenantAllowlists(
  deps: Deps,
  tenantId: string,
  now: Date,
): Promise<PublishedSite[]> {
  const gatesOf = keys.gatesOf(tenantId);
  const gates = (
    await queryAll<{ gateId: string; siteId: string; status: string }>(deps.db, {
      TableName: deps.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': gatesOf.pk, ':sk': gatesOf.skPrefix },
    })
  ).filter((g) => g.status === 'active');
  if (gates.length === 0) return [];
  const badgesQuery = keys.badgesQuery(tenantId);
  const badges = (
    await queryAll<BadgeBinding>(deps.db, {
      TableName: deps.table,
      IndexName: badgesQuery.index,
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': badgesQuery.pk },
    })
  ).map((b) => ({ badgeUid: b.badgeUid, personId: b.personId, active: b.active === true }));
  const people = [...new Set(badges.filter((b) => b.active).map((b) => b.personId))];
  const views = new Map(
    (
      await batchGetAll<GateView>(
        deps.db,
        deps.table,
        people.map((p) => keys.gateView(tenantId, p)),
      )
    ).map((v) => [v.personId, v]),
  );
  const bySite = new Map<string, string[]>();
  for (const g of gates) bySite.set(g.siteId, [...(bySite.get(g.siteId) ?? []), g.gateId]);
  const signer = allowlistSigner();
  const publisher = gatePublisher();
  const published: PublishedSite[] = [];
  for (const [siteId, gateIds] of bySite) {
    const policy = await deps.db.send(
      new GetCommand({ TableName: deps.table, Key: keys.siteEntryPolicy(tenantId, siteId) }),
    );
    const site: SiteEntryPolicy | undefined = policy.Item ? entryPolicy(siteId, policy.Item) : undefined;
    const { version, previousParts } = await nextVersion(deps, tenantId, siteId, now);
    const parts: Allowlist[] = buildAllowlist(
      { tenantId, siteId, version, now, badges, views, site },
      deps.partSize,
    );
    const signed = await Promise.all(parts.map((p) => signer.sign(p)));
    const largest = Math.max(...signed.map((jws) => Buffer.byteLength(jws)));
    if (largest > MAX_ALLOWLIST_BYTES) {
      // Cannot happen with the default part size; say so loudly rather than publish a part IoT would drop.
      logger.error('allowlist part too large for one MQTT message', { tenantId, siteId, bytes: largest });
      continue;
    }
    for (const gateId of gateIds) {
      for (const [part, jws] of signed.entries())
        await publisher.publish(`gates/${gateId}/allowlist/${part}`, jws, { retain: true });
      // A shorter list than before: clear the retained parts it no longer has (empty payload).
      for (let part = signed.length; part < previousParts; part++)
        await publisher.publish(`gates/${gateId}/allowlist/${part}`, '', { retain: true });
    }
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.table,
        Key: keys.allowlistState(tenantId, siteId),
        UpdateExpression: 'SET parts = :n',
        ExpressionAttributeValues: { ':n': signed.length },
      }),
    );
    published.push({
      siteId,
      version,
      parts: signed.length,
      gates: gateIds.length,
      allow: parts.reduce((n, p) => n + p.allow.length, 0),
      deny: parts.reduce((n, p) => n + Object.keys(p.deny).length, 0),
      bytes: signed.reduce((n, jws) => n + Buffer.byteLength(jws), 0),
    });
  }
  return published;
}

/** The changed-allowlists job: republishes for tenants with change markers, then clears them. */
export async function publishChangedAllowlists(deps: Deps, now = new Date()) {
  const q = keys.allowlistDirtyQuery();
  const markers = await queryAll<{ pk: string; sk: string; gsi4sk: string }>(deps.db, {
    TableName: deps.table,
    IndexName: q.index,
    KeyConditionExpression: 'gsi4pk = :pk',
    ExpressionAttributeValues: { ':pk': q.pk },
  });
  const tenants = [...new Set(markers.map((m) => tenantOfKey(m.gsi4sk)).filter((t): t is string => !!t))];
  const result: Record<string, PublishedSite[]> = {};
  for (const tenantId of tenants) result[tenantId] = await publishTenantAllowlists(deps, tenantId, now);
  for (const m of markers) {
    // Only if unchanged since we read it: a newer change keeps its marker for the next run.
    await deps.db
      .send(
        new UpdateCommand({
          TableName: deps.table,
          Key: { pk: m.pk, sk: m.sk },
          UpdateExpression: 'REMOVE gsi4pk, gsi4sk',
          ConditionExpression: 'gsi4sk = :seen',
          ExpressionAttributeValues: { ':seen': m.gsi4sk },
        }),
      )
      .catch((error: Error) => {
        if (!isConditionFailure(error)) throw error;
      });
  }
  return { changes: markers.length, tenants: result };
}

/** The periodic refresh: every tenant with gates gets fresh lists before the old ones expire. */
export async function refreshAllAllowlists(deps: Deps, now = new Date()) {
  const q = keys.allGatesQuery();
  const gates = await queryAll<{ gsi3sk: string }>(deps.db, {
    TableName: deps.table,
    IndexName: q.index,
    KeyConditionExpression: 'gsi3pk = :pk',
    ExpressionAttributeValues: { ':pk': q.pk },
  });
  const tenants = [...new Set(gates.map((g) => tenantOfKey(g.gsi3sk)).filter((t): t is string => !!t))];
  const result: Record<string, PublishedSite[]> = {};
  for (const tenantId of tenants) result[tenantId] = await publishTenantAllowlists(deps, tenantId, now);
  return { tenants: result };
}
