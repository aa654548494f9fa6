// In-memory fakes of the domain's ports (functions/domain/), for fast use-case tests. Each
// keeps the contract its DynamoDB adapter keeps — the conflicts it raises, the version guard
// on every status write (StaleRecord when the person changed since read), a colour change
// recorded in the history — so a use case tested here behaves as it does against the
// emulator, where the adapters themselves are tested.
import { createHash } from 'node:crypto';
import {
  type BlacklistEntry,
  type BlacklistRepository,
  type Federated,
  type FeedEntry,
  holdOf,
} from '../../functions/domain/blacklist-rules.ts';
import {
  type CertificateCorrection,
  type CertificateRecord,
  type CertificateRepository,
  certificateVersion,
  type StoredForgery,
  type StoredVerification,
} from '../../functions/domain/certificate.ts';
import type { CertificateNumberVault, ProtectedNumber } from '../../functions/domain/certificate-numbers.ts';
import {
  maskCertificateNumber,
  normalizeCertificateNumber,
} from '../../functions/domain/certificate-numbers.ts';
import type { NotificationRequest } from '../../functions/domain/notifications.ts';
import type {
  PeoplePage,
  PeopleQuery,
  PersonCorrection,
  PersonRecord,
  PersonRepository,
  Pseudonyms,
} from '../../functions/domain/person.ts';
import { type Setting, type TenantSettings, withDefaults } from '../../functions/domain/settings.ts';
import type { PersonStatus } from '../../functions/domain/status.ts';
import type { StatusCause, StatusStore } from '../../functions/domain/status-write.ts';
import type { Actor, Principal } from '../../functions/shared/auth/principal.ts';
import { todayInShanghai } from '../../functions/shared/calendar.ts';
import type { Clock } from '../../functions/shared/clock.ts';
import { StaleRecord } from '../../functions/shared/dynamo/transactions.ts';
import { Conflict, InvalidRequest, PreconditionFailed } from '../../functions/shared/errors.ts';

const key = (...parts: string[]) => parts.join('#');
const copy = <T>(value: T): T => structuredClone(value);

/** A caller of a tenant with a role (subject `<role>-1`), and anything else a test sets. */
export const callerIn =
  (tenantId: string) =>
  (role: Principal['role'], more: Partial<Principal> = {}): Principal => ({
    subject: `${role}-1`,
    tenantId,
    role,
    siteIds: [],
    ...more,
  });

/** A clock the test moves: starts at `at`, `advance` days or hours. */
export class TestClock implements Clock {
  private instant: Date;
  constructor(at: string) {
    this.instant = new Date(at);
  }
  now = () => new Date(this.instant);
  today = () => todayInShanghai(this.instant);
  set(at: string) {
    this.instant = new Date(at);
  }
  advanceDays(days: number) {
    this.instant = new Date(this.instant.getTime() + days * 86_400_000);
  }
}

/** What the fakes wrote, for assertions: colour changes and audit records. */
export interface StatusHistoryEntry {
  tenantId: string;
  personId: string;
  from: string | null;
  to: string;
  cause: StatusCause;
  actor: string;
}

/** One tenant world: people, certificates and what a status write leaves behind. */
export class InMemoryRecords {
  readonly people = new Map<string, PersonRecord>();
  readonly idHashes = new Map<string, string>();
  readonly certificates = new Map<string, CertificateRecord>();
  readonly naturalKeys = new Set<string>();
  readonly onSite = new Map<string, string>();
  /** Sites and subcontractors a correction may point at (`<tenant>#<id>`). */
  readonly sites = new Set<string>();
  readonly subcontractors = new Set<string>();
  readonly history: StatusHistoryEntry[] = [];
  readonly audit: { tenantId: string; action: string; entityId: string; actor: string; reason?: string }[] =
    [];

  /** Stores `status` on the person as read, version-guarded like the DynamoDB status write. */
  storeStatus(actor: { subject: string }, person: PersonRecord, status: PersonStatus, cause: StatusCause) {
    const stored = this.people.get(key(person.tenantId, person.personId));
    if (!stored || stored.version !== person.version) throw new StaleRecord();
    if (stored.status.color !== status.color)
      this.history.push({
        tenantId: person.tenantId,
        personId: person.personId,
        from: stored.status.color,
        to: status.color,
        cause,
        actor: actor.subject,
      });
    this.people.set(key(person.tenantId, person.personId), {
      ...stored,
      status: copy(status),
      version: stored.version + 1,
    });
  }
}

export class InMemoryPeople implements PersonRepository {
  constructor(readonly records: InMemoryRecords) {}

  async create(principal: Principal, person: PersonRecord, _requestId: string): Promise<void> {
    const idKey = key(person.tenantId, person.idHash);
    if (this.records.idHashes.has(idKey)) throw new Conflict('id_number_taken');
    this.records.idHashes.set(idKey, person.personId);
    this.records.people.set(key(person.tenantId, person.personId), copy(person));
    this.records.history.push({
      tenantId: person.tenantId,
      personId: person.personId,
      from: null,
      to: person.status.color,
      cause: 'person.create',
      actor: principal.subject,
    });
    this.records.audit.push({
      tenantId: person.tenantId,
      action: 'person.create',
      entityId: person.personId,
      actor: principal.subject,
    });
  }

  async get(tenantId: string, personId: string) {
    const person = this.records.people.get(key(tenantId, personId));
    return person && copy(person);
  }

  async findByIdHash(tenantId: string, idHash: string) {
    const personId = this.records.idHashes.get(key(tenantId, idHash));
    return personId ? this.get(tenantId, personId) : undefined;
  }

  async onSiteAt(tenantId: string, personId: string) {
    return this.records.onSite.get(key(tenantId, personId));
  }

  async list(tenantId: string, query: PeopleQuery): Promise<PeoplePage> {
    const items = [...this.records.people.values()].filter(
      (p) =>
        p.tenantId === tenantId &&
        (!query.siteId || p.homeSiteId === query.siteId) &&
        (!query.subcontractorId || p.employer.subcontractorId === query.subcontractorId) &&
        // As the list keys: a leaver is out of the colour lists, and only in the leavers'.
        p.status.reasons.some((r) => r.code === 'departed') === !!query.departed &&
        (!query.color || p.status.color === query.color),
    );
    return { items: items.slice(0, query.limit).map(copy) };
  }

  async listOnSite(tenantId: string, query: PeopleQuery): Promise<PeoplePage> {
    const items = [...this.records.onSite.entries()]
      .filter(([k, siteId]) => k.startsWith(`${tenantId}#`) && (!query.siteId || siteId === query.siteId))
      .map(([k]) => this.records.people.get(k))
      .filter((p): p is PersonRecord => !!p);
    return { items: items.slice(0, query.limit).map(copy) };
  }

  async correct(principal: Actor, { before, after, reason, action }: PersonCorrection): Promise<void> {
    // One transaction in DynamoDB: check everything before writing anything.
    const k = key(before.tenantId, before.personId);
    if (this.records.people.get(k)?.version !== before.version) throw new PreconditionFailed('stale_version');
    if (after.homeSiteId && !this.records.sites.has(key(after.tenantId, after.homeSiteId)))
      throw new InvalidRequest('validation_failed', [
        { field: 'homeSiteId', code: 'home_site_not_found', message: 'home_site_not_found' },
      ]);
    const sub = after.employer.subcontractorId;
    if (
      sub &&
      sub !== before.employer.subcontractorId &&
      !this.records.subcontractors.has(key(after.tenantId, sub))
    )
      throw new InvalidRequest('validation_failed', [
        {
          field: 'employer.subcontractorId',
          code: 'subcontractor_not_found',
          message: 'subcontractor_not_found',
        },
      ]);
    const newId = key(after.tenantId, after.idHash);
    if (after.idHash !== before.idHash) {
      if (this.records.idHashes.has(newId)) throw new Conflict('id_number_taken');
      this.records.idHashes.delete(key(before.tenantId, before.idHash));
      this.records.idHashes.set(newId, after.personId);
    }
    this.records.people.set(k, copy(after));
    this.records.audit.push({
      tenantId: after.tenantId,
      action: action ?? 'person.update',
      entityId: after.personId,
      actor: principal.subject,
      ...(reason ? { reason } : {}),
    });
  }

  async byPseudonym(pseudonym: string) {
    return [...this.records.people.values()]
      .filter((p) => p.pseudonym === pseudonym)
      .map((p) => ({ tenantId: p.tenantId, personId: p.personId }));
  }
}

const naturalKey = (c: CertificateRecord) =>
  key(c.tenantId, c.scheme, c.numberHash, c.category, c.subType ?? '', c.issuedOn);

export class InMemoryCertificates implements CertificateRepository {
  constructor(readonly records: InMemoryRecords) {}

  async listForPerson(tenantId: string, personId: string) {
    return (await this.historyOf(tenantId, personId)).filter((c) => !c.voided);
  }

  async historyOf(tenantId: string, personId: string) {
    return [...this.records.certificates.values()]
      .filter((c) => c.tenantId === tenantId && c.personId === personId)
      .map(copy);
  }

  async findByNumber(tenantId: string, numberHash: string) {
    return [...this.records.certificates.values()]
      .filter((c) => c.tenantId === tenantId && c.numberHash === numberHash && !c.voided)
      .map((c) => ({ personId: c.personId, certificateId: c.certificateId }));
  }

  async correct(principal: Principal, { person, before, after, status, reason }: CertificateCorrection) {
    // One transaction in DynamoDB: check everything before writing anything.
    const k = key(before.tenantId, before.personId, before.certificateId);
    const stored = this.records.certificates.get(k);
    if (!stored || stored.voided || certificateVersion(stored) !== certificateVersion(before))
      throw new PreconditionFailed('stale_version');
    const moved = naturalKey(before) !== naturalKey(after);
    if (moved && this.records.naturalKeys.has(naturalKey(after))) throw new Conflict('certificate_exists');
    this.records.storeStatus(principal, person, status, 'certificate.correct');
    if (moved) {
      this.records.naturalKeys.delete(naturalKey(before));
      this.records.naturalKeys.add(naturalKey(after));
    }
    this.records.certificates.set(k, copy(after));
    this.records.audit.push({
      tenantId: after.tenantId,
      action: 'certificate.correct',
      entityId: after.certificateId,
      actor: principal.subject,
      ...(reason ? { reason } : {}),
    });
  }

  async void(principal: Principal, { person, before, after, status }: CertificateCorrection) {
    const k = key(before.tenantId, before.personId, before.certificateId);
    const stored = this.records.certificates.get(k);
    if (!stored || stored.voided || certificateVersion(stored) !== certificateVersion(before))
      throw new PreconditionFailed('stale_version');
    this.records.storeStatus(principal, person, status, 'certificate.void');
    this.records.naturalKeys.delete(naturalKey(before));
    const renewed = before.replacesCertificateId
      ? this.records.certificates.get(key(before.tenantId, before.personId, before.replacesCertificateId))
      : undefined;
    if (renewed?.replacedByCertificateId === before.certificateId) delete renewed.replacedByCertificateId;
    this.records.certificates.set(k, copy(after));
    this.records.audit.push({
      tenantId: after.tenantId,
      action: 'certificate.void',
      entityId: after.certificateId,
      actor: principal.subject,
      reason: after.voided?.reason ?? '',
    });
  }

  async add(principal: Principal, person: PersonRecord, cert: CertificateRecord, status: PersonStatus) {
    // One transaction in DynamoDB: check everything before writing anything.
    if (this.records.naturalKeys.has(naturalKey(cert))) throw new Conflict('certificate_exists');
    const renewed = cert.replacesCertificateId
      ? this.records.certificates.get(key(cert.tenantId, cert.personId, cert.replacesCertificateId))
      : undefined;
    if (renewed?.replacedByCertificateId) throw new Conflict('certificate_already_renewed');
    const cause = cert.replacesCertificateId ? 'certificate.renew' : 'certificate.create';
    this.records.storeStatus(principal, person, status, cause);
    if (renewed) renewed.replacedByCertificateId = cert.certificateId;
    this.records.naturalKeys.add(naturalKey(cert));
    this.records.certificates.set(key(cert.tenantId, cert.personId, cert.certificateId), copy(cert));
    this.records.audit.push({
      tenantId: cert.tenantId,
      action: cause,
      entityId: cert.certificateId,
      actor: principal.subject,
    });
  }

  async recordVerification(
    actor: Actor,
    person: PersonRecord,
    certificateId: string,
    verification: StoredVerification,
    status: PersonStatus,
  ) {
    this.change(person, certificateId, { verification });
    this.records.storeStatus(actor, person, status, 'certificate.verify');
  }

  async recordForgery(
    actor: Actor,
    person: PersonRecord,
    certificateId: string,
    forgery: StoredForgery,
    status: PersonStatus,
    action: 'certificate.forgery_analysis' | 'certificate.forgery_review',
  ) {
    this.change(person, certificateId, { forgery });
    this.records.storeStatus(actor, person, status, action);
  }

  async stamp(
    principal: Principal,
    person: PersonRecord,
    cert: CertificateRecord,
    stamped: { reviewDueOn: string | null; expiresOn: string; stamp: Record<string, unknown> },
    status: PersonStatus,
  ) {
    const stored = this.records.certificates.get(key(cert.tenantId, cert.personId, cert.certificateId));
    const stamps = [...(stored?.stamps ?? []), stamped.stamp] as CertificateRecord['stamps'];
    this.change(person, cert.certificateId, {
      reviewDueOn: stamped.reviewDueOn,
      expiresOn: stamped.expiresOn,
      stamps,
      version: (stored ? certificateVersion(stored) : 1) + 1,
    });
    this.records.storeStatus(principal, person, status, 'certificate.stamp');
  }

  private change(person: PersonRecord, certificateId: string, fields: Partial<CertificateRecord>) {
    const k = key(person.tenantId, person.personId, certificateId);
    const stored = this.records.certificates.get(k);
    if (!stored) throw new Conflict('certificate_not_found');
    this.records.certificates.set(k, { ...stored, ...copy(fields) });
  }
}

export class InMemoryStatusStore implements StatusStore {
  constructor(readonly records: InMemoryRecords) {}

  async save(actor: Actor, person: PersonRecord, status: PersonStatus, cause: StatusCause) {
    try {
      this.records.storeStatus(actor, person, status, cause);
      return true;
    } catch (error) {
      if (error instanceof StaleRecord) return false;
      throw error;
    }
  }
}

export class InMemorySettings implements TenantSettings {
  readonly saved = new Map<string, object>();

  async read<T extends object>(tenantId: string, setting: Setting<T>): Promise<T> {
    return withDefaults(
      setting,
      this.saved.get(key(tenantId, setting.name)) as Record<string, unknown> | undefined,
    );
  }

  async save<T extends object>(principal: Principal, setting: Setting<T>, value: T) {
    this.saved.set(key(principal.tenantId, setting.name), copy(value));
  }
}

/** Numbers "encrypted" reversibly in memory: the vault's contract without KMS. */
export class InMemoryNumberVault implements CertificateNumberVault {
  constructor(private readonly hashKey = 'test-hash-key') {}

  async protect(tenantId: string, number: string): Promise<ProtectedNumber> {
    return {
      numberMasked: maskCertificateNumber(number),
      numberHash: await this.hash(number),
      numberCipher: Buffer.from(`${tenantId}:${normalizeCertificateNumber(number)}`).toString('base64'),
    };
  }

  async hash(number: string) {
    return createHash('sha256')
      .update(`${this.hashKey}:${normalizeCertificateNumber(number)}`)
      .digest('hex');
  }

  async reveal(tenantId: string, numberCipher: string) {
    const [owner, number] = Buffer.from(numberCipher, 'base64').toString().split(':');
    if (owner !== tenantId) throw new Error('another tenant’s number');
    return number as string;
  }
}

/** Pseudonyms as a keyed hash: deterministic per ID number, like the OPRF output. */
export const fakePseudonyms: Pick<Pseudonyms, 'of'> = {
  of: async (idNumber) => createHash('sha256').update(`pseudonym:${idNumber}`).digest('base64url'),
};

/** Everything the people and certificate use cases need, over one in-memory world. */
export function recordFakes(at = '2026-06-01T02:00:00Z') {
  const records = new InMemoryRecords();
  return {
    records,
    people: new InMemoryPeople(records),
    certificates: new InMemoryCertificates(records),
    statusStore: new InMemoryStatusStore(records),
    settings: new InMemorySettings(),
    numbers: new InMemoryNumberVault(),
    pseudonyms: fakePseudonyms,
    idHashKey: async () => 'test-id-hash-key',
    clock: new TestClock(at),
  };
}

/** The blacklist's port in memory: entries, and the hold each puts on its person. */
export class InMemoryBlacklist implements BlacklistRepository {
  readonly entries = new Map<string, BlacklistEntry>();
  readonly feed: FeedEntry[] = [];
  readonly notices: NotificationRequest[] = [];

  constructor(readonly records: InMemoryRecords) {}

  async create(
    _actor: Actor,
    entry: BlacklistEntry,
    notice: NotificationRequest,
    today: string,
    _requestId: string,
    federated?: Federated,
  ) {
    const k = key(entry.tenantId, entry.personId);
    const person = this.records.people.get(k);
    if (!person) throw new Conflict('already_blacklisted');
    if (person.blacklist && person.blacklist.expiresOn > today) throw new Conflict('already_blacklisted');
    this.records.people.set(k, { ...person, blacklist: holdOf(entry), version: person.version + 1 });
    this.entries.set(key(entry.tenantId, entry.entryId), copy(entry));
    this.notices.push(notice);
    if (federated?.feed) this.feed.push(federated.feed);
  }

  async get(tenantId: string, entryId: string) {
    const entry = this.entries.get(key(tenantId, entryId));
    return entry && copy(entry);
  }

  async list(tenantId: string) {
    return [...this.entries.values()].filter((e) => e.tenantId === tenantId).map(copy);
  }

  async expiringOn(day: string) {
    return [...this.entries.values()].filter((e) => e.expiresOn === day && e.state !== 'removed').map(copy);
  }

  async update(
    _actor: Actor,
    entry: BlacklistEntry,
    change: { action: string; releaseHold: boolean; notices: NotificationRequest[]; federated?: Federated },
  ) {
    const k = key(entry.tenantId, entry.entryId);
    const stored = this.entries.get(k);
    if (!stored || stored.version !== entry.version) throw new StaleRecord();
    if (change.releaseHold) {
      const pk = key(entry.tenantId, entry.personId);
      const person = this.records.people.get(pk);
      if (person?.blacklist?.entryId !== entry.entryId) throw new StaleRecord();
      const { blacklist: _released, ...rest } = person;
      this.records.people.set(pk, { ...rest, version: person.version + 1 });
    }
    this.entries.set(k, { ...copy(entry), version: entry.version + 1 });
    this.notices.push(...change.notices);
    if (change.federated?.feed) this.feed.push(change.federated.feed);
  }
}
