// The status function's routes (see schemas/route.ts).

import { route } from '../route.ts';
import { HistoryQuery, Inbox, InboxQuery, StatusHistory } from '../status.ts';

export const getStatusHistory = route({
  operationId: 'getStatusHistory',
  method: 'GET',
  path: '/people/{personId}/status/history',
  capability: 'status',
  auth: true,
  summary: 'Every change of a person’s colour, newest first, with its cause and reasons',
  query: HistoryQuery,
  responses: { 200: { description: 'Status history', schema: StatusHistory } },
});

export const getMyInbox = route({
  operationId: 'getMyInbox',
  method: 'GET',
  path: '/me/inbox',
  capability: 'status',
  auth: true,
  summary: 'In-app notices for the caller: review tasks, freeze and unfreeze notices, newest first',
  query: InboxQuery,
  responses: { 200: { description: 'Inbox', schema: Inbox } },
});
