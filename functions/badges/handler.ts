import { bindBadge, revokeBadge } from '../../schemas/routes.ts';
import { DynamoGateStore } from '../gates/gate-store.ts';
import { findPerson } from '../people/people.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { httpHandler, on } from '../shared/http/handler.ts';
import { dynamoAdapters } from '../shared/wiring.ts';

const { db, table, people } = dynamoAdapters();
const gates = new DynamoGateStore(db, table);

export const handler = httpHandler([
  on(bindBadge, async ({ principal, params, body, requestId }) => {
    authorize(principal, 'badge:write');
    const person = await findPerson(people, principal, params.personId ?? '');
    return { status: 201, body: await gates.bind(principal, person.personId, body.badgeUid, requestId) };
  }),
  on(revokeBadge, async ({ principal, params, requestId }) => {
    authorize(principal, 'badge:write');
    const person = await findPerson(people, principal, params.personId ?? '');
    await gates.revoke(principal, person.personId, (params.badgeUid ?? '').toUpperCase(), requestId);
    return { status: 204 };
  }),
]);
