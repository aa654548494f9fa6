import { getHeatmap, getHeatmapPerson } from '../../schemas/routes/heatmap.ts';
import { apiHandler } from '../api-handler.ts';
import {
  certificateRepository,
  clock,
  heatCounters,
  personRepository,
  scanStore,
  settingsRepository,
  siteRepository,
  ticketStore,
} from '../composition-root.ts';
import { statusOf } from '../domain/certificate.ts';
import { fatigueWindow, recentJobs, withTicketWorkTypes } from '../domain/fatigue.ts';
import { findPerson } from '../domain/person.ts';
import { FATIGUE_THRESHOLDS, STATUS_THRESHOLDS } from '../domain/settings.ts';
import { heatmapGeoJson } from '../gates/heatmap.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { todayInShanghai } from '../shared/calendar.ts';
import { on } from '../shared/http/handler.ts';
import { maskName } from '../shared/identity-numbers.ts';

const deps = {
  sites: siteRepository(),
  gates: scanStore(),
  heat: heatCounters(),
  people: personRepository(),
  certificates: certificateRepository(),
  settings: settingsRepository(),
  tickets: ticketStore(),
  clock: clock(),
};

export const handler = apiHandler([
  on(getHeatmap, async ({ principal, query }) => {
    authorize(principal, 'heatmap:read');
    // O(sites) items: the site list and one counter per site, whoever is on site.
    const [sites, counters] = await Promise.all([
      deps.sites.list(principal.tenantId),
      deps.heat.siteCounters(principal.tenantId),
    ]);
    return {
      status: 200,
      body: await heatmapGeoJson(principal, sites, counters, {
        ...(query.color ? { color: query.color } : {}),
        ...(query.category ? { category: query.category } : {}),
      }),
      headers: { 'content-type': 'application/geo+json' },
    };
  }),
  on(getHeatmapPerson, async ({ principal, params }) => {
    authorize(principal, 'heatmap:read');
    // The same visibility as the person record (a site manager: their sites and visitors).
    const person = await findPerson(deps.people, principal, params.personId);
    const tenantId = principal.tenantId;
    const now = deps.clock.now();
    const [certs, thresholds, limits, latest, recent, sites, ticketJobs] = await Promise.all([
      deps.certificates.listForPerson(tenantId, person.personId),
      deps.settings.read(tenantId, STATUS_THRESHOLDS),
      deps.settings.read(tenantId, FATIGUE_THRESHOLDS),
      deps.gates.latestCheckIns(tenantId, person.personId),
      deps.gates.fatigueCheckIns(tenantId, person.personId, now),
      deps.sites.list(tenantId),
      deps.tickets.jobsOf(tenantId, person.personId),
    ]);
    // Computed, not stored: a drill-down read never writes.
    const status = statusOf(certs, todayInShanghai(now), thresholds, person);
    const siteName = new Map(sites.map((s) => [s.siteId, s.name]));
    // Work types from the closed tickets of each shift, else from what the gates recorded.
    const jobs = withTicketWorkTypes(recentJobs(latest), ticketJobs, now);
    const open = jobs[0] && !jobs[0].end ? jobs[0] : undefined;
    const lastIn = latest.find((c) => c.direction === 'in');
    const category = new Map(certs.map((c) => [c.certificateId, c.category]));
    return {
      status: 200,
      body: {
        personId: person.personId,
        nameMasked: maskName(person.name),
        color: status.color,
        gateAccess: status.gateAccess,
        currentSite:
          open && lastIn
            ? {
                siteId: open.siteId,
                name: siteName.get(open.siteId),
                since: open.start,
                gateId: lastIn.gateId ?? '',
              }
            : null,
        lastJobs: jobs.map((j) => ({ ...j, siteName: siteName.get(j.siteId) })),
        certificates: status.certificates.map((c) => ({
          certificateId: c.certificateId,
          category: category.get(c.certificateId) ?? '',
          color: c.color,
          current: c.current,
          expiresOn: c.expiresOn,
          daysLeft: c.daysLeft,
          valid: c.current && c.color !== 'red',
        })),
        fatigue: fatigueWindow(recent, now, limits),
      },
    };
  }),
]);
