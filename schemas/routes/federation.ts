// The federation function's routes (see schemas/route.ts). Partner routes are signed with
// HTTP Message Signatures (RFC 9421, Ed25519), not bearer tokens: docs/federation.md.
import {
  CreatePartnerBody,
  FederationKeys,
  FeedPage,
  FeedQuery,
  InboundAnswer,
  InboundEntries,
  OprfAnswer,
  OprfBody,
  Partner,
  PartnerList,
  UpdatePartnerBody,
} from '../federation.ts';
import { Created, route } from '../route.ts';

export const createPartner = route({
  operationId: 'createPartner',
  method: 'POST',
  path: '/federation/partners',
  capability: 'federation',
  auth: true,
  summary: 'Register a partner association and its Ed25519 key (group_admin of the hub tenant)',
  body: CreatePartnerBody,
  responses: Created(Partner, 'Partner'),
});

export const listPartners = route({
  operationId: 'listPartners',
  method: 'GET',
  path: '/federation/partners',
  capability: 'federation',
  auth: true,
  summary: 'Partners with their OPRF evaluations today (group_admin of the hub tenant)',
  responses: { 200: { description: 'Partners', schema: PartnerList } },
});

export const updatePartner = route({
  operationId: 'updatePartner',
  method: 'PATCH',
  path: '/federation/partners/{partnerId}',
  capability: 'federation',
  auth: true,
  summary: 'Suspend or re-activate a partner, or rotate its Ed25519 key (group_admin of the hub tenant)',
  body: UpdatePartnerBody,
  responses: { 200: { description: 'The partner as changed', schema: Partner } },
});

export const evaluateOprf = route({
  operationId: 'evaluateOprf',
  method: 'POST',
  path: '/federation/oprf',
  capability: 'federation',
  auth: false,
  signed: true,
  summary:
    'Blinded pseudonym look-up (RFC 9497 VOPRF, P256-SHA256): group elements in, evaluation and proof out; signed by the partner, rate-limited',
  body: OprfBody,
  responses: { 200: { description: 'The evaluation', schema: OprfAnswer } },
});

export const pushFederatedEntries = route({
  operationId: 'pushFederatedEntries',
  method: 'POST',
  path: '/federation/blacklist',
  capability: 'federation',
  auth: false,
  signed: true,
  summary:
    'A partner’s entries and withdrawals (pseudonyms only); they block our people in tenants that joined',
  body: InboundEntries,
  responses: { 200: { description: 'Accepted', schema: InboundAnswer } },
});

export const pullFederatedEntries = route({
  operationId: 'pullFederatedEntries',
  method: 'GET',
  path: '/federation/blacklist',
  capability: 'federation',
  auth: false,
  signed: true,
  summary:
    'Our entries’ changes after a cursor, oldest first (pseudonyms, reasons, dates; no names, no ID numbers)',
  query: FeedQuery,
  responses: { 200: { description: 'A page of changes', schema: FeedPage } },
});

export const getFederationKeys = route({
  operationId: 'getFederationKeys',
  method: 'GET',
  path: '/federation/key',
  capability: 'federation',
  auth: false,
  summary:
    'Our Ed25519 public key (verifies our signed deliveries) and the OPRF public key (verifies evaluations)',
  responses: { 200: { description: 'Keys', schema: FederationKeys } },
});
