// The alliance blacklist's rules (SPEC O4), pure: what an entry is, how long it lasts, what
// the person is told, who may appeal, and what a decision does. A worker caught with a
// forged or borrowed certificate is kept out of every site — for three years, with the
// legal basis on record and a way to appeal — not forever and not on someone's say-so.

import type { Actor } from '../shared/auth/principal.ts';
import { addDays, addYears, type CalendarDate } from '../shared/calendar.ts';
import { maskName } from '../shared/identity-numbers.ts';
import {
  type BlacklistHold,
  type EntrySource,
  partnerOrganisation,
  REASON_CODES,
  type ReasonCode,
} from './blacklist.ts';
import type { NotificationRequest } from './notifications.ts';

export { type BlacklistHold, type EntrySource, partnerOrganisation, REASON_CODES, type ReasonCode };

/** An entry lasts three years from the day it is made (the alliance's rule). */
export const BLACKLIST_YEARS = 3;
/** The person has this long to appeal, counted from the notice. */
export const APPEAL_DAYS = 30;

/**
 * What the entry rests on, by reason: recorded with the entry and shown to the person. The
 * regulations are named without article numbers on purpose: a tenant's counsel confirms
 * the exact provisions (docs/blacklist.md); PIPL Art. 13 is the processing basis.
 */
export const LEGAL_BASIS: Record<ReasonCode, string> = {
  forged_certificate:
    '《中华人民共和国安全生产法》（特种作业人员须持证上岗）；《特种作业人员安全技术培训考核管理规定》（伪造、涂改特种作业操作证）；《个人信息保护法》第十三条',
  borrowed_certificate:
    '《特种作业人员安全技术培训考核管理规定》（转借、转让、冒用特种作业操作证）；《个人信息保护法》第十三条',
  identity_fraud: '《中华人民共和国居民身份证法》（冒用他人居民身份证）；《个人信息保护法》第十三条',
  serious_violation:
    '《中华人民共和国安全生产法》（从业人员安全生产义务）；企业安全生产管理制度；《个人信息保护法》第十三条',
};

export type EntryState = 'active' | 'appealed' | 'removed';

export interface Appeal {
  statement: string;
  by: { subject: string; role: string };
  at: string;
}

export interface Decision {
  decision: 'uphold' | 'remove';
  note: string;
  by: { subject: string; role: string };
  at: string;
}

export interface BlacklistEntry {
  entryId: string;
  tenantId: string;
  personId: string;
  nameMasked: string;
  /** The person's employer when entered: their subcontractor may appeal for them. */
  subcontractorId?: string;
  reasonCode: ReasonCode;
  legalBasis: string;
  evidence: string[];
  note: string;
  source: EntrySource;
  state: EntryState;
  createdOn: CalendarDate;
  expiresOn: CalendarDate;
  appealBy: CalendarDate;
  appeals: Appeal[];
  decisions: Decision[];
  createdAt: string;
  createdBy: string;
  /** When the expiry was sent to partners (once). */
  expiryAnnouncedAt?: string;
  version: number;
}

export const expiresOnFor = (today: CalendarDate): CalendarDate => addYears(today, BLACKLIST_YEARS);

/**
 * A new entry about a person, ours or landed from a partner: 3 years from today (a partner's
 * own expiry when sooner), 30 days to appeal, the legal basis of its reason.
 */
export function newEntry(input: {
  entryId: string;
  person: {
    tenantId: string;
    personId: string;
    name: string;
    employer: { type: string; subcontractorId?: string };
  };
  reasonCode: ReasonCode;
  evidence: string[];
  note: string;
  source: EntrySource;
  today: CalendarDate;
  at: string;
  createdBy: string;
  notAfter?: CalendarDate;
}): BlacklistEntry {
  const { person, today } = input;
  const ours = expiresOnFor(today);
  return {
    entryId: input.entryId,
    tenantId: person.tenantId,
    personId: person.personId,
    nameMasked: maskName(person.name),
    ...(person.employer.type === 'subcontractor' && person.employer.subcontractorId
      ? { subcontractorId: person.employer.subcontractorId }
      : {}),
    reasonCode: input.reasonCode,
    legalBasis: LEGAL_BASIS[input.reasonCode],
    evidence: input.evidence,
    note: input.note,
    source: input.source,
    state: 'active',
    createdOn: today,
    expiresOn: input.notAfter && input.notAfter < ours ? input.notAfter : ours,
    appealBy: addDays(today, APPEAL_DAYS),
    appeals: [],
    decisions: [],
    createdAt: input.at,
    createdBy: input.createdBy,
    version: 1,
  };
}

/** Whether a hold keeps the person out today: until its expiry day, not on it. */
export const holdActive = (hold: BlacklistHold | undefined, today: CalendarDate): boolean =>
  !!hold && today < hold.expiresOn;

/** Whether an entry is in force today (not removed, not expired). */
export const entryInForce = (entry: Pick<BlacklistEntry, 'state' | 'expiresOn'>, today: CalendarDate) =>
  entry.state !== 'removed' && today < entry.expiresOn;

export const holdOf = (entry: BlacklistEntry): BlacklistHold => ({
  entryId: entry.entryId,
  reasonCode: entry.reasonCode,
  expiresOn: entry.expiresOn,
  source: entry.source,
});

/**
 * Evidence must be this tenant's admission images (`documents/t/<tenant>/…`, `face/t/<tenant>/…`):
 * an entry never points at another tenant's data or at an arbitrary object.
 */
export function foreignEvidence(tenantId: string, personId: string, keys: readonly string[]): string[] {
  // The person's own admission images only: this tenant, this person, and a key of the
  // characters the product writes (no NUL or other control, no "..", no empty segment).
  const own = [`documents/t/${tenantId}/p/${personId}/`, `face/t/${tenantId}/p/${personId}/`];
  return keys.filter((k) => {
    const prefix = own.find((p) => k.startsWith(p));
    if (!prefix) return true;
    const rest = k.slice(prefix.length);
    return !/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*\.[a-z0-9]{2,5}$/.test(rest) || rest.includes('..');
  });
}

/** Who may appeal: the person (their own account) or their subcontractor's admin; while in force. */
export function appealProblem(
  entry: BlacklistEntry,
  principal: { role: string; personId?: string; subcontractorId?: string },
  today: CalendarDate,
): 'not_yours' | 'not_in_force' | 'appeal_window_closed' | undefined {
  const ownAccount = !!principal.personId && principal.personId === entry.personId;
  const theirSubcontractor =
    principal.role === 'subcontractor' &&
    !!entry.subcontractorId &&
    principal.subcontractorId === entry.subcontractorId;
  if (!ownAccount && !theirSubcontractor) return 'not_yours';
  if (!entryInForce(entry, today)) return 'not_in_force';
  if (today > entry.appealBy && entry.appeals.length === 0) return 'appeal_window_closed';
  return undefined;
}

/** The state after a decision: upheld stays in force; removed ends the hold everywhere. */
export const stateAfter = (decision: Decision['decision']): EntryState =>
  decision === 'remove' ? 'removed' : 'active';

/** What the person's notice says: facts and codes, rendered in their language when read. */
export function noticeFacts(entry: BlacklistEntry) {
  return {
    entryId: entry.entryId,
    reasonCode: entry.reasonCode,
    expiresOn: entry.expiresOn,
    appealBy: entry.appealBy,
    // Shared with the alliance's partner associations as a pseudonym only (no name, no ID number).
    sharedWith: 'alliance_pseudonymous' as const,
  };
}

/** One change of one of our entries, as partners pull it: no name, no ID number, no evidence. */
export interface FeedEntry {
  entryRef: string;
  version: number;
  /** `expire`: the entry's expiry day has come (sent that day, like a removal). */
  action: 'add' | 'remove' | 'expire';
  pseudonym: string;
  reasonCode: ReasonCode;
  organisation: string;
  createdOn: string;
  expiresOn: string;
  at: string;
}

export function feedEntryOf(
  entry: BlacklistEntry,
  pseudonym: string,
  action: FeedEntry['action'],
  at: string,
): FeedEntry {
  return {
    entryRef: entry.entryId,
    version: entry.version,
    action,
    pseudonym,
    reasonCode: entry.reasonCode,
    organisation: entry.tenantId,
    createdOn: entry.createdOn,
    expiresOn: entry.expiresOn,
    at,
  };
}

/** What a change shares with the alliance, or where a partner's entry came from (O4). */
export interface Federated {
  /** A change partners pull (our own entries, tenants that joined). */
  feed?: FeedEntry;
  /** A partner's entry this one was made from: its removal finds it here. */
  inbound?: { partnerId: string; entryRef: string };
}

export interface BlacklistRepository {
  /** Enters the entry and puts its hold on the person; 409 while another hold is in force. */
  create(
    actor: Actor,
    entry: BlacklistEntry,
    notice: NotificationRequest,
    today: string,
    requestId: string,
    federated?: Federated,
  ): Promise<void>;
  get(tenantId: string, entryId: string): Promise<BlacklistEntry | undefined>;
  list(tenantId: string): Promise<BlacklistEntry[]>;
  /** Own entries (any tenant) whose expiry day is `day` and that were not removed. */
  expiringOn(day: string): Promise<BlacklistEntry[]>;
  /** Stores the changed entry (version-guarded); `releaseHold` takes its hold off the person. */
  update(
    actor: Actor,
    entry: BlacklistEntry,
    change: { action: string; releaseHold: boolean; notices: NotificationRequest[]; federated?: Federated },
    requestId: string,
  ): Promise<void>;
}

/** A partner's entry as it lands on one of our people: reason, issuer, expiry (no evidence). */
export interface InboundHold {
  entryRef: string;
  reasonCode: ReasonCode;
  organisation: string;
  expiresOn: string;
}

/**
 * Partners' entries on our people, as federation hands them over: the blacklist capability
 * enters them (when the tenant joined the alliance and no hold is in force) and removes them.
 */
export interface PartnerHolds {
  enter(
    partner: { partnerId: string; name: string },
    inbound: InboundHold,
    target: { tenantId: string; personId: string },
    requestId: string,
  ): Promise<BlacklistEntry | undefined>;
  remove(
    partnerId: string,
    landed: { tenantId: string; entryId: string },
    requestId: string,
  ): Promise<unknown>;
}
