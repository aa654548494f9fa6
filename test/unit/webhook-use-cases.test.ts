// Webhooks (issue 28) against fakes: a URL that resolves inward is refused when it is set,
// the relay hands an event only to the subscriptions that want it, a delivery is signed,
// logged and retried when not taken, and a refused address is not retried.
import { describe, expect, it } from 'vitest';
import type { WebhookEvent } from '../../functions/domain/webhook-events.ts';
import { OutboundCallFailed } from '../../functions/shared/outbound-http.ts';
import { refuseOutboundUrlNow } from '../../functions/shared/outbound-url.ts';
import { derivedSigningKey } from '../../functions/shared/signing-keys.ts';
import {
  createWebhook,
  type Delivery,
  deliverWebhook,
  relayEvents,
  type Subscription,
  type WebhookDeps,
  WebhookNotTaken,
  type WebhookStore,
} from '../../functions/webhooks/webhooks.ts';
import { callerIn, TestClock } from '../support/fakes.ts';

const admin = callerIn('acme')('group_admin');

function world() {
  const subs = new Map<string, Subscription>();
  const events = new Map<string, WebhookEvent & { pending?: boolean }>();
  const log: Delivery[] = [];
  const queued: { webhookId: string; eventId: string }[] = [];
  const store: WebhookStore = {
    save: async (_a, sub) => void subs.set(sub.webhookId, sub),
    get: async (_t, id) => subs.get(id),
    list: async () => [...subs.values()].filter((s) => !s.removedAt),
    event: async (_t, id) => events.get(id),
    putEvent: async (_t, e) => void events.set(e.eventId, e),
    pendingEvents: async () =>
      [...events.values()].filter((e) => e.pending).map((e) => ({ pk: e.eventId, sk: 'EVENT' })),
    eventAt: async (k) => ({ tenantId: 'acme', event: events.get(k.pk) as WebhookEvent }),
    markRelayed: async (k) => {
      const e = events.get(k.pk);
      if (e) e.pending = false;
    },
    logDelivery: async (_t, d) => void log.push(d),
    deliveries: async () => ({ items: log }),
  };
  const deps: WebhookDeps = {
    webhooks: store,
    checkUrl: async () => null,
    signingKey: async (t, id) => derivedSigningKey('root', `webhook/${t}/${id}`, id),
    queueDeliveries: async (rs) => void queued.push(...rs),
    clock: new TestClock('2026-06-01T02:00:00Z'),
  };
  return { subs, events, log, queued, deps };
}

describe('the URL of a subscription', () => {
  const resolvingTo = (address: string) => ({
    resolver: ((_h: string, _o: unknown, cb: (e: null, a: { address: string; family: number }[]) => void) =>
      cb(null, [{ address, family: 4 }])) as never,
  });
  it.each([
    [
      'a public name resolving inward (DNS rebinding)',
      'https://hooks.example.com/x',
      resolvingTo('10.0.0.5'),
      'url_private_address',
    ],
    [
      'a public name resolving to the metadata service',
      'https://hooks.example.com/x',
      resolvingTo('169.254.169.254'),
      'url_private_address',
    ],
    ['a public name resolving outward', 'https://hooks.example.com/x', resolvingTo('93.184.216.34'), null],
    ['plain http', 'http://hooks.example.com/x', resolvingTo('93.184.216.34'), 'url_scheme'],
  ])('%s → %s', async (_, url, policy, refusal) => {
    expect(await refuseOutboundUrlNow(url, policy)).toBe(refusal);
  });

  it('is refused when it is set, and nothing is stored', async () => {
    const w = world();
    w.deps.checkUrl = async () => 'url_private_address';
    await expect(
      createWebhook(w.deps, admin, { url: 'https://x.example.com', events: ['person.departed'] }, 'r'),
    ).rejects.toMatchObject({ status: 400, fieldErrors: [{ field: 'url', code: 'url_private_address' }] });
    expect(w.subs.size).toBe(0);
  });
});

describe('relaying and delivering events (use case, fakes)', () => {
  it('hands an event only to the subscriptions that want it, once', async () => {
    const w = world();
    const a = await createWebhook(
      w.deps,
      admin,
      { url: 'https://a.example.com', events: ['person.departed'] },
      'r',
    );
    await createWebhook(w.deps, admin, { url: 'https://b.example.com', events: ['import.finished'] }, 'r');
    w.events.set('evt_1', {
      eventId: 'evt_1',
      type: 'person.departed',
      occurredAt: 'x',
      data: {},
      pending: true,
    });
    expect(await relayEvents(w.deps)).toBe(1);
    expect(w.queued).toEqual([{ tenantId: 'acme', webhookId: a.webhookId, eventId: 'evt_1' }]);
    expect(await relayEvents(w.deps)).toBe(0);
  });

  it('signs, logs, and asks for a retry when the receiver does not take it; a refused address is not retried', async () => {
    const w = world();
    const sub = await createWebhook(
      w.deps,
      admin,
      { url: 'https://a.example.com/h', events: ['person.departed'] },
      'r',
    );
    w.events.set('evt_1', {
      eventId: 'evt_1',
      type: 'person.departed',
      occurredAt: 'x',
      data: { personId: 'per_1' },
    });
    const sent: Record<string, string>[] = [];
    const request = { tenantId: 'acme', webhookId: sub.webhookId, eventId: 'evt_1' };
    const post = (status: number) => async (_u: string, o: { headers: Record<string, string> }) => {
      sent.push(o.headers);
      return { status };
    };
    await expect(deliverWebhook({ ...w.deps, post: post(503) }, request, 1)).rejects.toBeInstanceOf(
      WebhookNotTaken,
    );
    await expect(deliverWebhook({ ...w.deps, post: post(204) }, request, 2)).resolves.toMatchObject({
      outcome: 'delivered',
    });
    expect(sent[0]).toMatchObject({ 'webhook-id': 'evt_1', 'idempotency-key': 'evt_1' });
    expect(Object.keys(sent[0] ?? {}).map((h) => h.toLowerCase())).toEqual(
      expect.arrayContaining(['signature', 'signature-input', 'content-digest']),
    );
    const refused = async () => {
      throw new OutboundCallFailed('refused_address');
    };
    await expect(deliverWebhook({ ...w.deps, post: refused }, request, 3)).resolves.toMatchObject({
      outcome: 'refused',
    });
    expect(w.log.map((d) => [d.attempt, d.outcome, d.status])).toEqual([
      [1, 'failed', 503],
      [2, 'delivered', 204],
      [3, 'refused', undefined],
    ]);
  });
});

describe('events written with the change (participants)', () => {
  const outbox = {
    prepare: (tenantId: string, events: WebhookEvent[]) => events.map((e) => ({ tenantId, ...e })),
  };
  const person = {
    tenantId: 'acme',
    personId: 'per_1',
    name: '钱多多',
    employer: { type: 'own' },
    status: { color: 'green', reasons: [] },
  } as never;
  const red = {
    color: 'red',
    reasons: [{ code: 'expired' }],
    gateAccess: 'frozen',
    dispatch: 'frozen',
  } as never;
  const now = new Date('2026-06-01T02:00:00Z');

  it('a colour change: one person.status_changed, with codes and a masked name; none for a first status', async () => {
    const { StatusChangeEvents } = await import('../../functions/webhooks/event-participants.ts');
    const p = new StatusChangeEvents(outbox);
    const items = p.items({
      person,
      status: red,
      change: { from: 'green', to: 'red' },
      first: false,
      seen: undefined,
      now,
    });
    expect(items).toEqual([
      expect.objectContaining({
        type: 'person.status_changed',
        data: expect.objectContaining({
          personId: 'per_1',
          nameMasked: '钱**',
          from: 'green',
          to: 'red',
          reasons: ['expired'],
        }),
      }),
    ]);
    expect(
      p.items({ person, status: red, change: { from: null, to: 'red' }, first: true, seen: undefined, now }),
    ).toEqual([]);
    expect(p.items({ person, status: red, change: undefined, first: false, seen: undefined, now })).toEqual(
      [],
    );
  });

  it('turning yellow for a coming expiry: a certificate.expiring per certificate, with its day', async () => {
    const { StatusChangeEvents } = await import('../../functions/webhooks/event-participants.ts');
    const yellow = {
      color: 'yellow',
      reasons: [
        { code: 'expiring', certificateId: 'cer_1', date: '2026-08-01', days: 61 },
        { code: 'review_due', certificateId: 'cer_2', date: '2026-07-01', days: 30 },
      ],
      gateAccess: 'allowed',
      dispatch: 'allowed',
    } as never;
    const items = new StatusChangeEvents(outbox).items({
      person,
      status: yellow,
      change: { from: 'green', to: 'yellow' },
      first: false,
      seen: undefined,
      now,
    }) as unknown as { type: string; data: Record<string, unknown> }[];
    expect(items.map((i) => i.type)).toEqual(['certificate.expiring', 'person.status_changed']);
    expect(items[0]?.data).toMatchObject({
      certificateId: 'cer_1',
      expiresOn: '2026-08-01',
      days: 61,
      urgent: false,
    });
  });

  it('a ticket suspended by a red status: one ticket.suspended per open ticket', async () => {
    const { TicketSuspensionParticipant } = await import(
      '../../functions/tickets/ticket-suspension-store.ts'
    );
    const notifier = { prepare: () => [] };
    const p = new TicketSuspensionParticipant('t', notifier, outbox as never);
    const items = p.items({
      person,
      status: red,
      change: { from: 'green', to: 'red' },
      first: false,
      seen: { openTickets: ['tkt_1 site_a per_9', 'tkt_2 site_b per_9'] },
      now,
    }) as unknown as { type?: string; data?: { ticketId: string } }[];
    expect(items.filter((i) => i.type === 'ticket.suspended').map((i) => i.data?.ticketId)).toEqual([
      'tkt_1',
      'tkt_2',
    ]);
  });
});
