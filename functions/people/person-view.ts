import type { Person } from '../../schemas/people.ts';
import { maskName, maskPhone } from '../shared/identity-numbers.ts';
import type { PersonRecord } from './person-repository.ts';

/** What callers see of a person: masked ID and phone, never the hash. */
export function personView(p: PersonRecord): Person {
  return {
    personId: p.personId,
    name: p.name,
    idNumberMasked: p.idNumberMasked,
    ...(p.phone ? { phoneMasked: maskPhone(p.phone) } : {}),
    ...(p.employeeId ? { employeeId: p.employeeId } : {}),
    ...(p.formerNames?.length ? { formerNamesMasked: p.formerNames.map(maskName) } : {}),
    employer: p.employer,
    ...(p.homeSiteId ? { homeSiteId: p.homeSiteId } : {}),
    color: p.status.color,
    gateAccess: p.status.gateAccess,
    dispatch: p.status.dispatch,
    statusComputedOn: p.status.computedOn,
    createdAt: p.createdAt,
    ...(p.updatedAt ? { updatedAt: p.updatedAt } : {}),
  };
}
