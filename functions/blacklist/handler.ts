// The blacklist function: HTTP entry only; the use cases are in blacklist.ts.
import {
  appealBlacklistEntry,
  createBlacklistEntry,
  decideBlacklistEntry,
  getBlacklistEntry,
  listBlacklist,
} from '../../schemas/routes/blacklist.ts';
import { apiHandler } from '../api-handler.ts';
import {
  blacklistRepository,
  clock,
  evidenceFiles,
  federationStore,
  personRepository,
  propagate,
  restatus,
  settingsRepository,
} from '../composition-root.ts';
import { on } from '../shared/http/handler.ts';
import {
  appealEntry,
  decideEntry,
  enterOnBlacklist,
  entryView,
  findEntry,
  listEntries,
} from './blacklist.ts';

async function deliveriesOf(entry: { entryId: string; version: number }) {
  const versions = Array.from({ length: entry.version }, (_, i) => i + 1);
  const all = await Promise.all(versions.map((v) => federationStore().deliveries(entry.entryId, v)));
  return all.flatMap((d, i) => d.map((x) => ({ version: versions[i] as number, ...x })));
}

const deps = {
  evidence: evidenceFiles(),
  blacklist: blacklistRepository(),
  people: personRepository(),
  settings: settingsRepository(),
  propagate: propagate(),
  restatus: restatus(),
  clock: clock(),
};

export const handler = apiHandler([
  on(createBlacklistEntry, async ({ principal, body, requestId }) => {
    const entry = await enterOnBlacklist(deps, principal, body, requestId);
    return {
      status: 201,
      body: entryView(entry, principal, deps.clock.today()),
      headers: { location: `/blacklist/${entry.entryId}` },
    };
  }),
  on(listBlacklist, async ({ principal, query }) => {
    const today = deps.clock.today();
    const items = await listEntries(deps, principal, query.inForce);
    return { status: 200, body: { items: items.map((e) => entryView(e, principal, today)) } };
  }),
  on(getBlacklistEntry, async ({ principal, params }) => {
    const entry = await findEntry(deps, principal, params.entryId);
    return {
      status: 200,
      body: {
        ...entryView(entry, principal, deps.clock.today()),
        // Where each version went (the propagation workflow's records), for the group's staff.
        ...(['group_admin', 'hr', 'auditor'].includes(principal.role) && entry.source.type === 'own'
          ? { deliveries: await deliveriesOf(entry) }
          : {}),
      },
    };
  }),
  on(appealBlacklistEntry, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: entryView(
      await appealEntry(deps, principal, params.entryId, body, requestId),
      principal,
      deps.clock.today(),
    ),
  })),
  on(decideBlacklistEntry, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: entryView(
      await decideEntry(deps, principal, params.entryId, body, requestId),
      principal,
      deps.clock.today(),
    ),
  })),
]);
