// The daily seal of each tenant's audit chain (see audit-chain.ts): yesterday's records
// numbered and linked, the head signed with the tenant's KMS key. A day missed (the job did
// not run) is sealed before the next, up to a month back, so the chain has no hole.
import { addDays, type CalendarDate } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { type ChainedRecord, chainDay, GENESIS, type Seal, type SealPayload } from './audit-chain.ts';

export interface AuditSealStore {
  /** Every audit record of the tenant's China day, read consistently. */
  dayRecords(tenantId: string, day: string): Promise<ChainedRecord[]>;
  seal(tenantId: string, day: string): Promise<Seal | undefined>;
  /** The latest seal before the day, if any. */
  lastSealBefore(tenantId: string, day: string): Promise<Seal | undefined>;
  /** Stamps seq and prevHash on the day's records (idempotent: the same values again are fine). */
  stampLinks(
    tenantId: string,
    day: string,
    links: { auditId: string; at: string; seq: number; prevHash: string }[],
  ): Promise<void>;
  /** Puts the seal if the day has none; false when one is there already. */
  putSeal(seal: Seal): Promise<boolean>;
  /** Seals from … to (inclusive), oldest first. */
  seals(tenantId: string, from: string, to: string): Promise<Seal[]>;
}

export interface AuditSealDeps {
  seals: AuditSealStore;
  /** The payload as a compact JWS by the tenant's KMS key, and the key's id. */
  sign(tenantId: string, payload: SealPayload): Promise<{ jws: string; kid: string }>;
  clock: Clock;
}

export const CATCH_UP_DAYS = 31;

export async function sealAuditDay(deps: AuditSealDeps, tenantId: string, day: CalendarDate): Promise<Seal> {
  const existing = await deps.seals.seal(tenantId, day);
  if (existing) return existing;
  const before = await deps.seals.lastSealBefore(tenantId, day);
  const previousHead = before?.head ?? GENESIS;
  const { links, head, count } = chainDay(await deps.seals.dayRecords(tenantId, day), previousHead);
  await deps.seals.stampLinks(tenantId, day, links);
  const payload: SealPayload = {
    tenantId,
    day,
    count,
    head,
    previousHead,
    previousDay: before?.day ?? null,
    sealedAt: deps.clock.now().toISOString(),
  };
  const seal: Seal = { ...payload, ...(await deps.sign(tenantId, payload)) };
  if (await deps.seals.putSeal(seal)) return seal;
  // Another run sealed it meanwhile: theirs stands.
  return (await deps.seals.seal(tenantId, day)) as Seal;
}

/** Seals yesterday for every tenant, and any day since its last seal that was missed. */
export async function sealAuditDays(
  deps: AuditSealDeps & { tenants: () => Promise<string[]> },
  today: CalendarDate,
) {
  const yesterday = addDays(today, -1);
  let sealed = 0;
  for (const tenantId of await deps.tenants()) {
    const last = await deps.seals.lastSealBefore(tenantId, today);
    let day = last ? addDays(last.day as CalendarDate, 1) : yesterday;
    if (day < addDays(yesterday, -CATCH_UP_DAYS)) day = addDays(yesterday, -CATCH_UP_DAYS);
    for (; day <= yesterday; day = addDays(day, 1)) {
      await sealAuditDay(deps, tenantId, day);
      sealed += 1;
    }
  }
  return { sealed };
}
