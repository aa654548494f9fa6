// A person's rights over their data (PIPL Art. 44–47) and the leavers' retention (issue 28).
// - A copy: everything kept about the person — the records under their key and their
//   inbox as JSON, their admission images as files — in one ZIP behind a short-lived link.
// - Deletion: what the law lets go is deleted at once; what it requires to be kept is
//   named, with the basis and the day it goes. A leaver's records are kept for the tenant's
//   retention period (default 3 years: the records MEM Order 30 expects an employer to keep);
//   when it ends, the daily erasure job erases the personal data, leaving anonymised
//   figures, and the ID number's hash and pseudonym only while a blacklist entry needs them.
import { strToU8, zipSync } from 'fflate';
import { engagementEnded } from '../domain/engagement.ts';
import { findPerson, type PersonRecord, type PersonRepository } from '../domain/person.ts';
import { setting, type TenantSettings } from '../domain/settings.ts';
import { type Actor, systemActor } from '../shared/audit.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { addYears, type CalendarDate, todayInShanghai } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { NotFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';

export interface RecordRetention {
  /** Years a leaver's records are kept after their last day. */
  leaverYears: number;
}
export const RECORD_RETENTION = setting<RecordRetention>('record-retention', { leaverYears: 3 });

/** What is erased, and counted, by category. */
export interface Erased {
  profile: number;
  images: number;
  bindings: number;
  certificateNumbers: number;
}

/** The stored records of a person, the port to them (an adapter over the table). */
export interface PersonalRecords {
  /** Every record kept under the person (and their inbox), by kind; keys and keyed hashes left out. */
  recordsOf(tenantId: string, personId: string): Promise<Record<string, Record<string, unknown>[]>>;
  /**
   * Erases the person's personal data in the table: the profile anonymised (name, phone,
   * staff number, former names, masked ID) and the gate's masked name, the certificates'
   * readable numbers (ciphertext) removed and their guards released; the ID number's guard,
   * hash and pseudonym too unless `keepIdentity` (a blacklist entry needs them). Audited.
   */
  erase(
    actor: Actor,
    person: PersonRecord,
    keepIdentity: boolean,
    requestId: string,
  ): Promise<Omit<Erased, 'images' | 'bindings'>>;
  /** The tenant's leavers, with their last day (the erasure job's candidates). */
  leavers(tenantId: string): Promise<PersonRecord[]>;
  /** Puts the audit record of a copy handed out or a deletion request answered. */
  audit(
    actor: Principal,
    personId: string,
    action: 'person.data_export' | 'person.deletion_request',
    details: Record<string, unknown>,
    requestId: string,
  ): Promise<void>;
}

/** The person's files (admission images) in the evidence bucket: face images, document images. */
export interface PersonalFiles {
  list(tenantId: string, personId: string): Promise<{ key: string; name: string }[]>;
  get(key: string): Promise<Buffer | undefined>;
  /** Deletes the person's files of these kinds; how many. */
  delete(tenantId: string, personId: string, kinds: readonly ('face' | 'documents')[]): Promise<number>;
}

/** Where a copy is left for its link (the exports prefix expires it within a day). */
export interface ExportArchive {
  put(key: string, bytes: Uint8Array): Promise<void>;
  link(key: string, expiresInSeconds: number): Promise<string>;
}

export interface PrivacyDeps {
  people: PersonRepository;
  records: PersonalRecords;
  files: PersonalFiles;
  archive: ExportArchive;
  /** Drops the person's channel bindings (the notifications capability); the channels dropped. */
  channels: { drop(actor: Actor, personId: string, requestId: string): Promise<string[]> };
  settings: TenantSettings;
  clock: Clock;
}

export const EXPORT_LINK_SECONDS = 900;
/** A copy holds at most this much image data (a person has a handful of admission images). */
export const MAX_EXPORT_IMAGE_BYTES = 60 * 1024 * 1024;

const README = `个人信息副本 / Copy of personal data

records/*.json  我们保存的关于您的记录（按类别）/ the records kept about you, by kind
images/*        您的准入图像（身份证、证书、人脸）/ your admission images (ID card, certificates, face)

身份证号仅以掩码和不可逆的密钥哈希保存，故副本中不含完整号码。
The ID number is kept only masked and as a keyed one-way hash, so the copy cannot hold it in full.
`;

/** Who may ask for a person's copy or deletion: the person from their own account, hr, the group. */
function mayActFor(principal: Principal, personId: string) {
  if (principal.role === 'worker') {
    authorize(principal, 'person:read');
    return principal.personId === personId;
  }
  authorize(principal, 'person:data-rights');
  return true;
}

async function personFor(deps: PrivacyDeps, principal: Principal, personId: string) {
  // Another person's id reads like an unknown one.
  if (!mayActFor(principal, personId)) throw new NotFound('person_not_found');
  return findPerson(deps.people, principal, personId);
}

export async function exportPersonalData(
  deps: PrivacyDeps,
  principal: Principal,
  personId: string,
  requestId: string,
) {
  const person = await personFor(deps, principal, personId);
  const records = await deps.records.recordsOf(person.tenantId, person.personId);
  const entries: Record<string, Uint8Array> = { 'README.txt': strToU8(README) };
  for (const [kind, items] of Object.entries(records))
    entries[`records/${kind}.json`] = strToU8(JSON.stringify(items, null, 2));
  let imageBytes = 0;
  for (const file of await deps.files.list(person.tenantId, person.personId)) {
    const bytes = await deps.files.get(file.key);
    if (!bytes) continue;
    imageBytes += bytes.length;
    if (imageBytes > MAX_EXPORT_IMAGE_BYTES) break;
    entries[`images/${file.name}`] = bytes;
  }
  const zip = zipSync(entries, { level: 6 });
  const exportId = newId('exp');
  const key = `exports/t/${person.tenantId}/p/${person.personId}/${exportId}.zip`;
  await deps.archive.put(key, zip);
  await deps.records.audit(principal, person.personId, 'person.data_export', { exportId }, requestId);
  const now = deps.clock.now();
  return {
    exportId,
    url: await deps.archive.link(key, EXPORT_LINK_SECONDS),
    expiresAt: new Date(now.getTime() + EXPORT_LINK_SECONDS * 1000).toISOString(),
    files: Object.entries(entries).map(([name, bytes]) => ({ name, bytes: bytes.length })),
    records: Object.fromEntries(Object.entries(records).map(([kind, items]) => [kind, items.length])),
  };
}

type Text = { zh: string; en: string };
const DELETED_TEXT: Record<keyof Erased, Text> = {
  profile: {
    zh: '姓名、手机号、工号、曾用名和身份证掩码',
    en: 'Name, phone, staff number, former names and masked ID',
  },
  images: {
    zh: '准入图像（身份证、证书照片、人脸）',
    en: 'Admission images (ID card, certificate photos, face)',
  },
  bindings: {
    zh: '通知渠道绑定（企业微信、钉钉、手机、邮箱）',
    en: 'Notification bindings (WeCom, DingTalk, phone, mail)',
  },
  certificateNumbers: { zh: '证书编号（可读密文）', en: 'Certificate numbers (readable ciphertext)' },
};

export interface DeletionAnswer {
  personId: string;
  decidedAt: string;
  erased: boolean;
  deleted: { category: string; count: number; text: Text }[];
  kept: { category: string; basis: string; until?: CalendarDate; text: Text }[];
}

const KEPT_EMPLOYED: DeletionAnswer['kept'][number] = {
  category: 'special_operations_records',
  basis: 'mem_order_30_records',
  text: {
    zh: '在职期间，特种作业人员的证书、培训、考核和进出记录须由用人单位保存（《特种作业人员安全技术培训考核管理规定》第30号令；《个人信息保护法》第13条第3项、第47条）。离职后按保存期限删除。',
    en: 'While employed, a special-operations worker’s certificates, training, assessments and site records must be kept by the employer (MEM Order 30; PIPL Art. 13(3), 47). They are erased after the retention period once the person leaves.',
  },
};

const keptInRetention = (until: CalendarDate): DeletionAnswer['kept'][number] => ({
  category: 'special_operations_records',
  basis: 'mem_order_30_records',
  until,
  text: {
    zh: `离职人员的证书、培训、考核、进出和工单记录须保存至 ${until}（保存期限届满后自动删除）。`,
    en: `A leaver’s certificates, training, assessments, site and work-ticket records are kept until ${until}, then erased automatically.`,
  },
});

const KEPT_BLACKLIST: DeletionAnswer['kept'][number] = {
  category: 'identity_hash',
  basis: 'blacklist_entry',
  text: {
    zh: '身份证号的不可逆哈希和联盟假名保留至黑名单条目到期或撤销，以防被拉黑人员重新入场（《安全生产法》）。',
    en: 'The ID number’s one-way hash and alliance pseudonym stay while a blacklist entry stands, so a blacklisted person cannot be admitted again (Work Safety Law).',
  },
};

const KEPT_AUDIT: DeletionAnswer['kept'][number] = {
  category: 'audit_trail',
  basis: 'accountability',
  text: {
    zh: '审计记录保留，其中身份均已掩码（谁在何时更改了什么）。',
    en: 'The audit trail stays, with identities masked (who changed what, when).',
  },
};

/** The day a leaver's records may go: their last day plus the tenant's retention years. */
export const retentionEndsOn = (leftOn: CalendarDate, years: number): CalendarDate => addYears(leftOn, years);

function deletedList(counts: Partial<Erased>): DeletionAnswer['deleted'] {
  return (Object.keys(DELETED_TEXT) as (keyof Erased)[])
    .filter((k) => (counts[k] ?? 0) > 0)
    .map((k) => ({ category: k, count: counts[k] ?? 0, text: DELETED_TEXT[k] }));
}

async function erase(
  deps: PrivacyDeps,
  actor: Actor,
  person: PersonRecord,
  requestId: string,
): Promise<Erased> {
  const keepIdentity = !!person.blacklist;
  const images = await deps.files.delete(person.tenantId, person.personId, ['face', 'documents']);
  const bindings = (await deps.channels.drop(actor, person.personId, requestId)).length > 0 ? 1 : 0;
  const table = await deps.records.erase(actor, person, keepIdentity, requestId);
  return { ...table, bindings, images };
}

/**
 * A deletion request. While the person works here, or within a leaver's retention, the
 * records the law requires are kept (the answer says which, why and until when) and only
 * the channel bindings and images — which no law requires — are deleted. Past retention,
 * everything personal goes now.
 */
export async function requestDeletion(
  deps: PrivacyDeps,
  principal: Principal,
  personId: string,
  body: { reason?: string },
  requestId: string,
): Promise<DeletionAnswer> {
  const person = await personFor(deps, principal, personId);
  const answer = await decideDeletion(deps, principal, person, requestId);
  // The request and its answer, in codes: the reason is the requester's words, kept with it.
  await deps.records.audit(
    principal,
    person.personId,
    'person.deletion_request',
    {
      ...(body.reason ? { reason: body.reason } : {}),
      erased: answer.erased,
      deleted: answer.deleted.map((d) => d.category),
      kept: answer.kept.map((k) => k.basis),
    },
    requestId,
  );
  return answer;
}

async function decideDeletion(
  deps: PrivacyDeps,
  principal: Principal,
  person: PersonRecord,
  requestId: string,
): Promise<DeletionAnswer> {
  const now = deps.clock.now();
  const today = todayInShanghai(now);
  const base = { personId: person.personId, decidedAt: now.toISOString() };
  const extra = person.blacklist ? [KEPT_BLACKLIST] : [];
  const end = person.engagementEnd;
  if (person.erasedAt) return { ...base, erased: true, deleted: [], kept: [...extra, KEPT_AUDIT] };
  if (end?.reason === 'departed' && engagementEnded(end, today)) {
    const { leaverYears } = await deps.settings.read(person.tenantId, RECORD_RETENTION);
    const until = retentionEndsOn(end.on, leaverYears);
    if (until <= today) {
      const counts = await erase(deps, principal, person, requestId);
      return { ...base, erased: true, deleted: deletedList(counts), kept: [...extra, KEPT_AUDIT] };
    }
    // Kept: the records themselves, certificate photos among them. Gone: what no law needs —
    // the channels, and face images (biometric: PIPL Art. 28), the ID card's included.
    const bindings = (await deps.channels.drop(principal, person.personId, requestId)).length > 0 ? 1 : 0;
    const images = await deps.files.delete(person.tenantId, person.personId, ['face']);
    return {
      ...base,
      erased: false,
      deleted: deletedList({ bindings, images }),
      kept: [keptInRetention(until), ...extra, KEPT_AUDIT],
    };
  }
  // Still employed (or a termination of their subcontractor, who may re-engage them).
  return { ...base, erased: false, deleted: [], kept: [KEPT_EMPLOYED, ...extra, KEPT_AUDIT] };
}

/** The daily erasure: every leaver whose retention ended has their personal data erased. */
export async function eraseExpiredLeavers(
  deps: PrivacyDeps & { tenants: () => Promise<string[]> },
  today: CalendarDate,
): Promise<{ erased: number; checked: number }> {
  let erased = 0;
  let checked = 0;
  for (const tenantId of await deps.tenants()) {
    const { leaverYears } = await deps.settings.read(tenantId, RECORD_RETENTION);
    for (const person of await deps.records.leavers(tenantId)) {
      checked++;
      const end = person.engagementEnd;
      if (person.erasedAt || end?.reason !== 'departed') continue;
      if (retentionEndsOn(end.on, leaverYears) > today) continue;
      await erase(deps, systemActor(tenantId, 'retention-erasure'), person, `retention-erasure:${today}`);
      erased++;
    }
  }
  return { erased, checked };
}
