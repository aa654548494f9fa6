// Every write carries an audit record in the same transaction (who, what, when), so there
// is never a change without its trail. Records are append-only (put-if-absent).
import { recordHash } from './audit-hash.ts';
import type { Actor } from './auth/principal.ts';
import { todayInShanghai } from './calendar.ts';
import { keys } from './dynamo/table-design.ts';
import { newId } from './ids.ts';

/** What an audit record can be about. */
export const AUDIT_ENTITY_TYPES = [
  'site',
  'person',
  'certificate',
  'settings',
  'verification',
  'batch',
  'import',
  'webhook',
  'archive',
  'quiz',
  'work-ticket',
  'permit',
  'subcontractor',
  'onboarding',
  'consent',
  'blacklist',
  'partner',
  'tenant',
  'user',
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

export interface AuditEvent {
  action: string;
  entityType: AuditEntityType;
  entityId: string;
  /** Codes and ids only: never personal data. */
  details?: Record<string, unknown>;
}

export type { Actor } from './auth/principal.ts';

export const systemActor = (tenantId: string, job: string): Actor => ({
  tenantId,
  subject: `system:${job}`,
  role: 'system',
});

export function auditPut(table: string, principal: Actor, event: AuditEvent, requestId: string, now: Date) {
  const at = now.toISOString();
  const auditId = newId('aud');
  // The record's own hash, written with it: the daily seal chains these (reports/audit-chain.ts).
  const record = {
    auditId,
    at,
    actor: { subject: principal.subject, role: principal.role },
    requestId,
    ...event,
  };
  return {
    Put: {
      TableName: table,
      Item: {
        ...keys.audit(principal.tenantId, todayInShanghai(now), at, auditId),
        entity: 'audit',
        ...record,
        hash: recordHash(record),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** A tenant setting and its audit record: the two items of one transaction. */
export function settingPuts(
  table: string,
  principal: Actor,
  name: string,
  value: object,
  requestId: string,
  now: Date,
) {
  return [
    {
      Put: {
        TableName: table,
        Item: {
          ...keys.settings(principal.tenantId, name),
          entity: 'settings',
          ...value,
          updatedAt: now.toISOString(),
        },
      },
    },
    auditPut(
      table,
      principal,
      { action: `settings.${name}.put`, entityType: 'settings', entityId: name, details: { ...value } },
      requestId,
      now,
    ),
  ];
}
