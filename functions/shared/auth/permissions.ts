// What each role may do (action → roles), and which records of its tenant it may see.
// A role that may not do a thing gets 403; a record outside the caller's scope answers
// 404 exactly like a record of another tenant, so its existence is not revealed.
import { Forbidden } from '../errors.ts';
import type { Principal, Role } from './principal.ts';

/** Every role of a tenant's staff; a worker's own account (`worker`) is added where it reads its own records. */
const EVERYONE: Role[] = ['group_admin', 'site_manager', 'hr', 'subcontractor', 'auditor'];
const EVERYONE_AND_SELF: Role[] = [...EVERYONE, 'worker'];

export const PERMISSIONS = {
  'site:create': ['group_admin'],
  'site:update': ['group_admin'],
  'site:read': EVERYONE,
  // Which site a position is in (its geofence): the staff, and a worker's own phone (X5).
  'site:locate': EVERYONE_AND_SELF,
  'person:create': ['group_admin', 'hr', 'subcontractor'],
  'person:read': EVERYONE_AND_SELF,
  // Lists of people are the staff's; a worker reads only their own record.
  'person:list': EVERYONE,
  'certificate:create': ['group_admin', 'hr', 'subcontractor'],
  'certificate:read': EVERYONE_AND_SELF,
  'certificate:verify': ['group_admin', 'hr', 'subcontractor'],
  // Checking someone's shown code reads their live status: the staff's, not another worker's.
  'worker-code:verify': EVERYONE,
  // A suspected forgery is decided by the company, never by the subcontractor whose worker it is.
  'certificate:review': ['group_admin', 'hr'],
  // Correcting what was entered (as those who enter certificates may); voiding one entered in
  // error is the tenant's word (it can turn a person red or green).
  'certificate:correct': ['group_admin', 'hr', 'subcontractor'],
  'certificate:void': ['group_admin', 'hr'],
  'person:revoke-codes': ['group_admin', 'hr'],
  'batch:create': ['group_admin', 'hr', 'subcontractor'],
  // Importing the ledger writes people and certificates across the tenant: hr's and the group's.
  'import:create': ['group_admin', 'hr'],
  'import:read': ['group_admin', 'hr', 'auditor'],
  // Where the tenant's events go is the group's word; the auditor reads the delivery log.
  'webhook:manage': ['group_admin'],
  'webhook:read': ['group_admin', 'auditor'],
  'batch:read': ['group_admin', 'hr', 'subcontractor', 'auditor'],
  'report:read': ['group_admin', 'auditor'],
  // Who changed what (GET /audit): the auditor and the group's admins, nobody else.
  'audit:read': ['group_admin', 'auditor'],
  'gate:create': ['group_admin', 'site_manager'],
  'gate:read': ['group_admin', 'site_manager', 'auditor'],
  'heatmap:read': ['group_admin', 'site_manager', 'hr', 'auditor'],
  'badge:write': ['group_admin', 'hr', 'site_manager'],
  'site-safety:write': ['group_admin', 'site_manager'],
  'site-safety:read': ['group_admin', 'site_manager', 'hr', 'auditor'],
  'settings:read': ['group_admin', 'hr', 'site_manager', 'auditor'],
  'settings:write': ['group_admin'],
  'ticket:write': ['group_admin', 'site_manager'],
  'ticket:read': ['group_admin', 'site_manager', 'hr', 'auditor'],
  'ticket:approve': ['group_admin', 'site_manager'],
  'person:reexam': ['group_admin', 'hr'],
  // Correcting a person's record; a subcontractor admin only its own workers'.
  'person:update': ['group_admin', 'hr', 'subcontractor'],
  // A wrong ID number is corrected by a group admin, with a reason (it moves the identity).
  'person:correct-identity': ['group_admin'],
  // A leaver (and a re-hire): hr's and the group's word.
  'person:depart': ['group_admin', 'hr'],
  // Violations (E1): recorded and decided by those who run the sites; read by the staff and the person.
  'violation:write': ['group_admin', 'site_manager'],
  'violation:read': EVERYONE_AND_SELF,
  // A course of a suspension done: hr keeps training records.
  'course:complete': ['group_admin', 'hr'],
  // Back to work after a suspension: a manager's word.
  'person:reinstate': ['group_admin', 'site_manager'],
  // A person's copy and deletion request for them (PIPL Art. 45, 47); the person asks for their own.
  'person:data-rights': ['group_admin', 'hr'],
  // The regulator's file (E3): hr keeps training and medical records, managers their site's;
  // an archive for an inspection and its shared link are the group's and a site manager's word.
  'document:write': ['group_admin', 'hr', 'site_manager'],
  'document:read': ['group_admin', 'hr', 'site_manager', 'auditor'],
  'archive:create': ['group_admin', 'site_manager', 'auditor'],
  'archive:share': ['group_admin', 'site_manager'],
  'permit:request': ['group_admin', 'hr', 'site_manager'],
  'subcontractor:create': ['group_admin', 'hr'],
  'subcontractor:update': ['group_admin', 'hr'],
  // Ending a contract takes every one of its workers off the gates: the group's word.
  'subcontractor:terminate': ['group_admin'],
  'subcontractor:read': EVERYONE,
  'consent:write': ['group_admin', 'hr', 'subcontractor'],
  // The blacklist keeps a person out of every member site: only the group decides (O4).
  'blacklist:create': ['group_admin'],
  'blacklist:read': ['group_admin', 'hr', 'auditor'],
  'blacklist:decide': ['group_admin'],
  // Partners of the alliance: the hub tenant's group admins (checked with the tenant).
  'partner:manage': ['group_admin'],
  // Spot checks and the monthly subcontractor report (O5).
  'spot_check:create': ['group_admin', 'hr', 'site_manager'],
  'subcontractor_report:read': ['group_admin', 'hr', 'auditor', 'subcontractor'],
  'consent:read': ['group_admin', 'hr', 'subcontractor', 'auditor'],
  'onboarding:write': ['group_admin', 'hr', 'subcontractor'],
  'onboarding:read': ['group_admin', 'hr', 'subcontractor', 'auditor'],
  // A person decides what a score could not; not the subcontractor whose worker it is.
  'onboarding:review': ['group_admin', 'hr'],
  // Notifications (N1–N3): who may bind a person's channels, read their delivery log,
  // diagnose; a tenant-wide diagnosis and the fixes that change settings are the group's.
  'bindings:write': ['group_admin', 'hr', 'subcontractor'],
  // A worker reads their own delivery log (their own data, PIPL Art. 45); findPerson scopes it.
  'notification-log:read': [...EVERYONE, 'worker'],
  'notification:diagnose': ['group_admin', 'hr', 'site_manager'],
  'notification:diagnose-tenant': ['group_admin', 'hr'],
  'notification:send-guide': ['group_admin', 'hr'],
} satisfies Record<string, Role[]>;

export type Action = keyof typeof PERMISSIONS;

export function may(principal: Principal, action: Action): boolean {
  return (PERMISSIONS[action] as Role[]).includes(principal.role);
}

export function authorize(principal: Principal, action: Action): void {
  if (!may(principal, action)) throw new Forbidden('role_not_allowed', { role: principal.role });
}

export interface ScopedPerson {
  personId?: string;
  homeSiteId?: string;
  employer?: { type: 'own' | 'subcontractor'; subcontractorId?: string };
}

/** Whether a person of the caller's tenant is within the caller's scope. */
export function canSeePerson(principal: Principal, person: ScopedPerson): boolean {
  switch (principal.role) {
    case 'site_manager':
      return !!person.homeSiteId && principal.siteIds.includes(person.homeSiteId);
    case 'subcontractor':
      return person.employer?.subcontractorId === principal.subcontractorId;
    case 'worker':
      return !!principal.personId && person.personId === principal.personId;
    case 'platform_admin':
      return false;
    default:
      return true;
  }
}

/** Subcontractor records: a subcontractor admin sees only their own company. */
export function canSeeSubcontractor(principal: Principal, subcontractorId: string): boolean {
  return principal.role !== 'subcontractor' || principal.subcontractorId === subcontractorId;
}

export function canSeeSite(principal: Principal, siteId: string): boolean {
  return principal.role !== 'site_manager' || principal.siteIds.includes(siteId);
}
