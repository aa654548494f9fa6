// Spot checks (SPEC O5): a site manager checks a worker at one of their sites and records the
// outcome; the worker's subcontractor is kept with it for the monthly subcontractor report.
import type * as z from 'zod';
import type { CreateSpotCheckBody } from '../../schemas/reports.ts';
import type { PersonRepository } from '../domain/person.ts';
import type { SiteRepository } from '../domain/sites.ts';
import { authorize, canSeeSite } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { NotFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { SpotCheck, SpotCheckStore } from './spot-check-store.ts';

export interface SpotCheckDeps {
  spotChecks: SpotCheckStore;
  people: Pick<PersonRepository, 'get'>;
  sites: Pick<SiteRepository, 'list'>;
  clock: Clock;
}

export async function recordSpotCheck(
  deps: SpotCheckDeps,
  principal: Principal,
  body: z.output<typeof CreateSpotCheckBody>,
  requestId: string,
): Promise<SpotCheck> {
  authorize(principal, 'spot_check:create');
  // Another manager's site answers like a site that does not exist.
  if (!canSeeSite(principal, body.siteId)) throw new NotFound('site_not_found');
  const [sites, person] = await Promise.all([
    deps.sites.list(principal.tenantId),
    deps.people.get(principal.tenantId, body.personId),
  ]);
  const site = sites.find((s) => s.siteId === body.siteId);
  if (!site) throw new NotFound('site_not_found');
  if (!person) throw new NotFound('person_not_found');
  const check: SpotCheck = {
    spotCheckId: newId('spc'),
    personId: person.personId,
    siteId: body.siteId,
    ...(person.employer.type === 'subcontractor' && person.employer.subcontractorId
      ? { subcontractorId: person.employer.subcontractorId }
      : {}),
    passed: body.passed,
    note: body.note,
    at: deps.clock.now().toISOString(),
    by: principal.subject,
  };
  await deps.spotChecks.record(principal, check, requestId);
  return check;
}
