// The blacklist function's routes (see schemas/route.ts).
import {
  AppealBody,
  BlacklistEntry,
  BlacklistList,
  CreateBlacklistBody,
  DecisionBody,
  ListBlacklistQuery,
} from '../blacklist.ts';
import { Created, route } from '../route.ts';

export const createBlacklistEntry = route({
  operationId: 'createBlacklistEntry',
  method: 'POST',
  path: '/blacklist',
  capability: 'blacklist',
  auth: true,
  summary:
    'Enter a person on the alliance blacklist (group_admin): evidence, legal basis, 3-year expiry; the person is told and kept out of every site',
  body: CreateBlacklistBody,
  responses: Created(BlacklistEntry, 'Blacklist entry'),
});

export const listBlacklist = route({
  operationId: 'listBlacklist',
  method: 'GET',
  path: '/blacklist',
  capability: 'blacklist',
  auth: true,
  summary: 'The tenant’s blacklist entries, newest first (group_admin, hr, auditor)',
  query: ListBlacklistQuery,
  responses: { 200: { description: 'Entries', schema: BlacklistList } },
});

export const getBlacklistEntry = route({
  operationId: 'getBlacklistEntry',
  method: 'GET',
  path: '/blacklist/{entryId}',
  capability: 'blacklist',
  auth: true,
  summary: 'One entry (also to the person it is about and to their subcontractor)',
  responses: { 200: { description: 'The entry', schema: BlacklistEntry } },
});

export const appealBlacklistEntry = route({
  operationId: 'appealBlacklistEntry',
  method: 'POST',
  path: '/blacklist/{entryId}/appeal',
  capability: 'blacklist',
  auth: true,
  summary: 'Appeal an entry (the person’s own account or their subcontractor), within 30 days of the notice',
  body: AppealBody,
  responses: { 200: { description: 'The entry, appealed', schema: BlacklistEntry } },
});

export const decideBlacklistEntry = route({
  operationId: 'decideBlacklistEntry',
  method: 'POST',
  path: '/blacklist/{entryId}/decision',
  capability: 'blacklist',
  auth: true,
  summary: 'Uphold or remove an entry (group_admin); removal lets the person in again everywhere',
  body: DecisionBody,
  responses: { 200: { description: 'The entry after the decision', schema: BlacklistEntry } },
});
