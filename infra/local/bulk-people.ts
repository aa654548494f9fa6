// Many people in the emulator, fast: a few template people are made through the real API
// (person, certificate, badge: every item the product writes for them), then their items
// are copied with fresh ids and hashes by BatchWriteItem — minutes of API calls become
// seconds, and each copy is exactly what the product would have stored. Used by
// `npm start -- --seed-people N` and the reads benchmark (test/bench/reads.ts).
import { randomBytes } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { newId } from '../../functions/shared/ids.ts';

export type ApiCall = (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;

export interface BulkTemplate {
  name: string;
  homeSiteId: string;
  /** Days until the certificate expires: 300 green, 40 yellow, -5 red (expired). */
  daysLeft: number;
  category: string;
  idNumber: string;
  certificate: Record<string, unknown>;
}

export interface BulkPerson {
  personId: string;
  badgeUid: string;
  homeSiteId: string;
  template: number;
}

/** Every item holding one of these strings (a template person's items), scanned once. */
async function itemsOf(db: DynamoDBDocumentClient, table: string, ids: string[]) {
  const byId = new Map<string, Record<string, unknown>[]>(ids.map((id) => [id, []]));
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const text = JSON.stringify(item);
      for (const id of ids) if (text.includes(id)) byId.get(id)?.push(item);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return byId;
}

const hex = (n: number) => randomBytes(n).toString('hex').toUpperCase();

export async function loadPeople(options: {
  db: DynamoDBDocumentClient;
  table: string;
  call: ApiCall;
  templates: BulkTemplate[];
  count: number;
  /** BatchWriteItem requests in flight. */
  parallel?: number;
}): Promise<BulkPerson[]> {
  const { db, table, call, templates, count } = options;
  const made: { personId: string; badgeUid: string; certificateId: string; template: BulkTemplate }[] = [];
  for (const [i, t] of templates.entries()) {
    const person = await call('POST', '/people', {
      name: t.name,
      idNumber: t.idNumber,
      homeSiteId: t.homeSiteId,
    });
    const personId = String(person.personId);
    const cert = await call('POST', `/people/${personId}/certificates`, t.certificate);
    const badgeUid = `0B${String(i).padStart(2, '0')}${hex(3)}`;
    await call('POST', `/people/${personId}/badges`, { badgeUid });
    made.push({ personId, badgeUid, certificateId: String(cert.certificateId), template: t });
  }
  const byPerson = await itemsOf(
    db,
    table,
    made.map((m) => m.personId),
  );
  // Strings that must differ per copy: ids, the badge, and the keyed hashes (unique keys).
  const uniques = made.map((m) => {
    const items = byPerson.get(m.personId) ?? [];
    const hashes = new Set<string>();
    for (const item of items) {
      for (const attr of ['idHash', 'numberHash'])
        if (typeof item[attr] === 'string') hashes.add(item[attr] as string);
    }
    return { items, hashes: [...hashes] };
  });
  const people: BulkPerson[] = [];
  const out: Record<string, unknown>[] = [];
  for (let n = 0; n < count; n++) {
    const t = n % made.length;
    const template = made[t] as (typeof made)[number];
    const { items, hashes } = uniques[t] as (typeof uniques)[number];
    const personId = newId('per');
    const badgeUid = `0C${hex(4)}`;
    const replacements: [string, string][] = [
      [template.personId, personId],
      [template.certificateId, newId('cer')],
      [template.badgeUid, badgeUid],
      ...hashes.map((h): [string, string] => [h, randomBytes(32).toString('base64url')]),
    ];
    for (const item of items) {
      let text = JSON.stringify(item);
      for (const [from, to] of replacements) text = text.split(from).join(to);
      const copy = JSON.parse(text) as Record<string, unknown>;
      // Items not keyed by the person (the tenant's audit trail) stay the template's own.
      if (copy.pk === item.pk && copy.sk === item.sk) continue;
      out.push(copy);
    }
    people.push({ personId, badgeUid, homeSiteId: template.template.homeSiteId, template: t });
  }
  const parallel = options.parallel ?? 8;
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < out.length; i += 25) chunks.push(out.slice(i, i + 25));
  for (let i = 0; i < chunks.length; i += parallel) {
    await Promise.all(
      chunks.slice(i, i + parallel).map(async (chunk) => {
        let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length) {
          const res = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
          pending = (res.UnprocessedItems?.[table] ?? []) as typeof pending;
        }
      }),
    );
  }
  return people;
}
