// The tickets function's routes (see schemas/route.ts): electronic work tickets (X4).
import { Problem } from '../common.ts';
import { Created, route } from '../route.ts';
import {
  ApprovalBody,
  BoardLink,
  BoardLinkBody,
  BoardQuery,
  CreateWorkTicketBody,
  GasAnalysisBody,
  PermitBoard,
  PracticalReexam,
  PracticalReexamBody,
  PracticeDeclaration,
  PracticeDeclarationBody,
  SiteTicketsQuery,
  TicketDocument,
  TicketTransitionBody,
  TicketVerification,
  VerifyTicketBody,
  WorkTicket,
  WorkTicketList,
} from '../tickets.ts';

const rulesBroken = {
  422: {
    description: 'Dispatch rules broken: `violations` lists every one (code, person, detail)',
    schema: Problem,
  },
};

export const createWorkTicket = route({
  operationId: 'createWorkTicket',
  method: 'POST',
  path: '/work-tickets',
  capability: 'tickets',
  auth: true,
  summary:
    'Draft a work ticket (group_admin, or a site_manager of its site): every dispatch rule is checked for every person; 422 lists all that are broken',
  body: CreateWorkTicketBody,
  responses: { ...Created(WorkTicket, 'Work ticket'), ...rulesBroken },
});

export const listWorkTickets = route({
  operationId: 'listWorkTickets',
  method: 'GET',
  path: '/work-tickets',
  capability: 'tickets',
  auth: true,
  summary: 'The open tickets of a site (draft, approved, active, suspended), oldest start first',
  query: SiteTicketsQuery,
  responses: { 200: { description: 'Open tickets', schema: WorkTicketList } },
});

export const getWorkTicket = route({
  operationId: 'getWorkTicket',
  method: 'GET',
  path: '/work-tickets/{ticketId}',
  capability: 'tickets',
  auth: true,
  summary: 'A work ticket with its signatures, gas analyses and state',
  responses: { 200: { description: 'The ticket', schema: WorkTicket } },
});

export const approveWorkTicket = route({
  operationId: 'approveWorkTicket',
  method: 'POST',
  path: '/work-tickets/{ticketId}/approvals',
  capability: 'tickets',
  auth: true,
  summary:
    'Sign the ticket as one of its approvers (the caller’s linked person); the last signature approves it. Signing twice is idempotent',
  body: ApprovalBody,
  responses: { 200: { description: 'The ticket', schema: WorkTicket } },
});

export const recordGasAnalysis = route({
  operationId: 'recordGasAnalysis',
  method: 'POST',
  path: '/work-tickets/{ticketId}/gas-analyses',
  capability: 'tickets',
  auth: true,
  summary: 'Record a gas analysis (oxygen, flammable gas against its LEL); the verdict is kept with it',
  body: GasAnalysisBody,
  responses: { 200: { description: 'The ticket', schema: WorkTicket } },
});

export const activateWorkTicket = route({
  operationId: 'activateWorkTicket',
  method: 'POST',
  path: '/work-tickets/{ticketId}/activate',
  capability: 'tickets',
  auth: true,
  summary:
    'Start the work: the ticket is approved, its window has begun, a passing gas analysis was taken within the type’s minutes, and every rule still holds',
  body: TicketTransitionBody,
  responses: { 200: { description: 'The ticket', schema: WorkTicket }, ...rulesBroken },
});

export const closeWorkTicket = route({
  operationId: 'closeWorkTicket',
  method: 'POST',
  path: '/work-tickets/{ticketId}/close',
  capability: 'tickets',
  auth: true,
  summary: 'Close an active or suspended ticket: the work is done (it enters the people’s job history)',
  body: TicketTransitionBody,
  responses: { 200: { description: 'The ticket', schema: WorkTicket } },
});

export const cancelWorkTicket = route({
  operationId: 'cancelWorkTicket',
  method: 'POST',
  path: '/work-tickets/{ticketId}/cancel',
  capability: 'tickets',
  auth: true,
  summary: 'Cancel a ticket that has not ended',
  body: TicketTransitionBody,
  responses: { 200: { description: 'The ticket', schema: WorkTicket } },
});

export const recordPracticalReexam = route({
  operationId: 'recordPracticalReexam',
  method: 'POST',
  path: '/people/{personId}/practical-reexams',
  capability: 'tickets',
  auth: true,
  summary:
    'Record a passed practical re-exam in a work type (MEM Order 30 Art. 32: needed after 6 months away from it)',
  body: PracticalReexamBody,
  responses: Created(PracticalReexam, 'Practical re-exam'),
});

export const declarePractice = route({
  operationId: 'declarePractice',
  method: 'POST',
  path: '/people/{personId}/practice-declarations',
  capability: 'tickets',
  auth: true,
  summary:
    'Declare when a person last worked in a type before the product knew them (hr, group_admin; audited; the later date is kept, an older one → 409): counts as recent practice for the 6-month re-exam rule',
  body: PracticeDeclarationBody,
  responses: Created(PracticeDeclaration, 'Practice declaration'),
});

export const getTicketDocument = route({
  operationId: 'getTicketDocument',
  method: 'GET',
  path: '/work-tickets/{ticketId}/document',
  capability: 'tickets',
  auth: true,
  summary:
    'The ticket as a signed document (compact JWS): verifiable offline with GET /.well-known/jwks.json',
  responses: { 200: { description: 'Signed ticket', schema: TicketDocument } },
});

export const getTicketQr = route({
  operationId: 'getTicketQr',
  method: 'GET',
  path: '/work-tickets/{ticketId}/qr.png',
  capability: 'tickets',
  auth: true,
  summary: 'The signed ticket as a QR code (PNG) to print or show at the work place',
  responses: {
    200: {
      description:
        'QR code of the ticket’s compact signed core (wt-ref+jws): details by POST /work-tickets/verify',
      contentType: 'image/png',
    },
  },
});

export const verifyTicket = route({
  operationId: 'verifyTicket',
  method: 'POST',
  path: '/work-tickets/verify',
  capability: 'tickets',
  auth: false,
  summary:
    'Online check of a signed ticket (e.g. scanned from its QR): is the signature ours, and what state is the ticket in now',
  body: VerifyTicketBody,
  responses: { 200: { description: 'The verdict and the live state', schema: TicketVerification } },
});

export const createBoardLink = route({
  operationId: 'createBoardLink',
  method: 'POST',
  path: '/sites/{siteId}/permit-board-links',
  capability: 'tickets',
  auth: true,
  summary:
    'A signed, expiring link to the site’s read-only permit board (group_admin, or a site_manager of the site)',
  body: BoardLinkBody,
  responses: Created(BoardLink, 'Board link'),
});

export const getPermitBoard = route({
  operationId: 'getPermitBoard',
  method: 'GET',
  path: '/permit-board',
  capability: 'tickets',
  auth: false,
  summary:
    'The permit board of a site, by its signed link: open tickets, who is on them, the guardian, expiry (names masked)',
  query: BoardQuery,
  responses: {
    200: { description: 'The board', schema: PermitBoard },
    401: { description: 'The link’s token is not ours, tampered with, or expired', schema: Problem },
  },
});
