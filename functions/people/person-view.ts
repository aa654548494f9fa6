import type { Person } from '../../schemas/people.ts';
import { withEngagementEnd } from '../domain/status-rules.ts';
import { todayInShanghai } from '../shared/calendar.ts';
import { maskName, maskPhone } from '../shared/identity-numbers.ts';
import type { PersonRecord } from './person-repository.ts';

/**
 * What callers see of a person: masked ID and phone, never the hash. From the day their
 * engagement ended (terminated subcontractor, departure) they read red and frozen.
 */
export function personView(p: PersonRecord, today: string = todayInShanghai()): Person {
  const status = withEngagementEnd(p.status, p.engagementEnd, today);
  return {
    personId: p.personId,
    name: p.name,
    idNumberMasked: p.idNumberMasked,
    ...(p.phone ? { phoneMasked: maskPhone(p.phone) } : {}),
    ...(p.employeeId ? { employeeId: p.employeeId } : {}),
    ...(p.formerNames?.length ? { formerNamesMasked: p.formerNames.map(maskName) } : {}),
    employer: p.employer,
    ...(p.homeSiteId ? { homeSiteId: p.homeSiteId } : {}),
    color: status.color,
    gateAccess: status.gateAccess,
    dispatch: status.dispatch,
    ...(p.engagementEnd ? { engagementEnd: p.engagementEnd } : {}),
    ...(p.erasedAt ? { erasedAt: p.erasedAt } : {}),
    statusComputedOn: p.status.computedOn,
    createdAt: p.createdAt,
    ...(p.updatedAt ? { updatedAt: p.updatedAt } : {}),
  };
}
