// Electronic work tickets (X4): draft with every dispatch rule checked, sign, analyse gas,
// start, close or cancel; and the practical re-exam the 6-month rule asks for.
import * as routes from '../../schemas/routes/tickets.ts';
import { apiHandler } from '../api-handler.ts';
import {
  allowlistSigner,
  certificateRepository,
  clock,
  permitStore,
  scanStore,
  scopeProposals,
  settingsRepository,
  siteRepository,
  ticketStore,
  ticketTimers,
} from '../composition-root.ts';
import { on } from '../shared/http/handler.ts';
import {
  createBoardLink,
  permitBoard,
  signedTicket,
  ticketQr,
  verifyTicketToken,
} from './ticket-documents.ts';
import type { WorkTicket } from './ticket-lifecycle.ts';
import {
  activateTicket,
  approveTicket,
  cancelTicket,
  closeTicket,
  createTicket,
  declarePractice,
  findTicket,
  openTicketsAtSite,
  recordGas,
  recordPracticalReexam,
} from './work-tickets.ts';

const deps = {
  tickets: ticketStore(),
  timers: ticketTimers(),
  certificates: certificateRepository(),
  checkIns: scanStore(),
  sites: siteRepository(),
  signer: allowlistSigner(),
  policy: settingsRepository(),
  permits: permitStore(),
  clock: clock(),
  refusedForScope: scopeProposals(),
};

/** The ticket as the API shows it: no internal bookkeeping (creator subject, version). */
const view = ({ createdBy, version, ...ticket }: WorkTicket) => ticket;

export const handler = apiHandler([
  on(routes.createWorkTicket, async ({ principal, body, requestId }) => ({
    status: 201,
    body: view(await createTicket(deps, principal, body, requestId)),
  })),
  on(routes.listWorkTickets, async ({ principal, query }) => ({
    status: 200,
    body: { items: (await openTicketsAtSite(deps, principal, query.siteId)).map(view) },
  })),
  on(routes.getWorkTicket, async ({ principal, params, requestId }) => ({
    status: 200,
    body: view(await findTicket(deps, principal, params.ticketId, requestId)),
  })),
  on(routes.approveWorkTicket, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: view(await approveTicket(deps, principal, params.ticketId, body.comment, requestId)),
  })),
  on(routes.recordGasAnalysis, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: view(await recordGas(deps, principal, params.ticketId, body, requestId)),
  })),
  on(routes.activateWorkTicket, async ({ principal, params, requestId }) => ({
    status: 200,
    body: view(await activateTicket(deps, principal, params.ticketId, requestId)),
  })),
  on(routes.closeWorkTicket, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: view(await closeTicket(deps, principal, params.ticketId, body.reason, requestId)),
  })),
  on(routes.cancelWorkTicket, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: view(await cancelTicket(deps, principal, params.ticketId, body.reason, requestId)),
  })),
  on(routes.declarePractice, async ({ principal, params, body, requestId }) => ({
    status: 201,
    body: await declarePractice(deps, principal, params.personId, body, requestId),
  })),
  on(routes.recordPracticalReexam, async ({ principal, params, body, requestId }) => ({
    status: 201,
    body: await recordPracticalReexam(deps, principal, params.personId, body, requestId),
  })),
  on(routes.getTicketDocument, async ({ principal, params }) => ({
    status: 200,
    body: await signedTicket(deps, principal, params.ticketId),
  })),
  on(routes.getTicketQr, async ({ principal, params }) => ({
    status: 200,
    file: {
      contentType: 'image/png',
      fileName: `${params.ticketId}.png`,
      data: await ticketQr(deps, principal, params.ticketId),
    },
    headers: { 'content-disposition': `inline; filename="${params.ticketId}.png"` },
  })),
  on(routes.verifyTicket, async ({ body }) => ({
    status: 200,
    body: await verifyTicketToken(deps, body.token),
  })),
  on(routes.createBoardLink, async ({ principal, params, body }) => ({
    status: 201,
    body: await createBoardLink(deps, principal, params.siteId, body.validHours),
  })),
  on(routes.getPermitBoard, async ({ query }) => ({
    status: 200,
    body: await permitBoard(deps, query.token),
    headers: { 'cache-control': 'no-store' },
  })),
]);
