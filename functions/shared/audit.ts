// Every write carries an audit record in the same transaction (who, what, when), so there
// is never a change without its trail. Records are append-only (put-if-absent).
import type { Principal } from './auth/principal.ts';
import { todayInShanghai } from './calendar.ts';
import { keys } from './dynamo/table-design.ts';
import { newId } from './ids.ts';

export interface AuditEvent {
  action: string;
  entityType: 'site' | 'person' | 'certificate' | 'settings';
  entityId: string;
  /** Codes and ids only: never personal data. */
  details?: Record<string, unknown>;
}

export function auditPut(
  table: string,
  principal: Principal,
  event: AuditEvent,
  requestId: string,
  now = new Date(),
) {
  const at = now.toISOString();
  const auditId = newId('aud');
  return {
    Put: {
      TableName: table,
      Item: {
        ...keys.audit(principal.tenantId, todayInShanghai(now), at, auditId),
        entity: 'audit',
        auditId,
        at,
        actor: { subject: principal.subject, role: principal.role },
        requestId,
        ...event,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
