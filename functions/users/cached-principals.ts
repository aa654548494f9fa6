// The directory read on every authenticated call, kept per container for at most 60 s: a role
// change, a disabled account or a suspended tenant reaches every container within a minute
// (not at token expiry), and a busy user costs two GetItems a minute, not two per request.
// Only answers that let someone in are kept: a refusal (no account yet, disabled) is asked
// again next time, so an accepted invitation works at once.
import type { Identity, Principal, PrincipalResolver } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';

export const DIRECTORY_CACHE_MS = 60_000;
/** Enough for every user of a busy container; the oldest entries go first. */
const MAX_ENTRIES = 10_000;

export class CachedPrincipals implements PrincipalResolver {
  private readonly entries = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly directory: PrincipalResolver,
    private readonly clock: Clock,
    private readonly ttlMs = DIRECTORY_CACHE_MS,
  ) {}

  async resolve(identity: Identity): Promise<Principal> {
    const key = `${identity.issuer}\n${identity.subject}`;
    const now = this.clock.now().getTime();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.principal;
    this.entries.delete(key);
    const principal = await this.directory.resolve(identity);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { principal, until: now + this.ttlMs });
    return principal;
  }

  /** A change made in this container is seen by it at once (others wait out their window). */
  forget(identity: Identity): void {
    this.entries.delete(`${identity.issuer}\n${identity.subject}`);
  }
}
