// The insurer link's rules (E2), table-driven: which policy covers a person, which events an
// insurer hears, what its delivery carries (and never carries), the events a status write,
// a suspension and a reinstatement produce, and an acknowledgement against fakes.
import { describe, expect, it } from 'vitest';
import type { PersonRecord } from '../../functions/domain/person.ts';
import type { PersonStatus } from '../../functions/domain/status.ts';
import type { WebhookEvent } from '../../functions/domain/webhook-events.ts';
import {
  lapsedCertificates,
  StatusChangeEvents,
  SuspensionEvents,
} from '../../functions/webhooks/event-participants.ts';
import {
  type Acknowledgement,
  acknowledge,
  type InsurerAccount,
  type InsurerDeps,
  type InsurerTerms,
  insurerBody,
  insurerWants,
  policyFor,
} from '../../functions/webhooks/insurers.ts';
import { TestClock } from '../support/fakes.ts';

const terms: InsurerTerms = {
  name: '平安产险',
  policies: [
    { policyNumber: 'DEFAULT' },
    { policyNumber: 'SITE-A', siteId: 'site_A' },
    { policyNumber: 'SUB-X', subcontractorId: 'sub_X' },
    { policyNumber: 'SUB-X-SITE-A', subcontractorId: 'sub_X', siteId: 'site_A' },
  ],
  pointsThreshold: 6,
  publicKeyPem: 'pem',
};

describe('the policy that covers a person', () => {
  it.each([
    ['own staff, no home site', {}, 'DEFAULT'],
    ['own staff at site A', { homeSiteId: 'site_A' }, 'SITE-A'],
    ['own staff at site B', { homeSiteId: 'site_B' }, 'DEFAULT'],
    ['subcontractor X at site B', { subcontractorId: 'sub_X', homeSiteId: 'site_B' }, 'SUB-X'],
    ['subcontractor X at site A', { subcontractorId: 'sub_X', homeSiteId: 'site_A' }, 'SUB-X-SITE-A'],
    ['subcontractor Y at site A', { subcontractorId: 'sub_Y', homeSiteId: 'site_A' }, 'SITE-A'],
  ])('%s → %s', (_, subject, policyNumber) => {
    expect(policyFor(terms, { personId: 'per_1', nameMasked: '张*', ...subject })?.policyNumber).toBe(
      policyNumber,
    );
  });

  it('covers nobody a policy does not name when there is no default', () => {
    const narrow = { ...terms, policies: [{ policyNumber: 'SUB-X', subcontractorId: 'sub_X' }] };
    expect(policyFor(narrow, { personId: 'p', nameMasked: '张*' })).toBeUndefined();
    expect(
      insurerWants(
        narrow,
        event('person.suspended', { personId: 'p', nameMasked: '张*', since: '2027-01-02' }),
      ),
    ).toBe(false);
  });
});

function event(type: WebhookEvent['type'], data: Record<string, unknown>): WebhookEvent {
  return { eventId: 'evt_01', type, occurredAt: '2027-01-02T03:04:05.000Z', data };
}
const who = { personId: 'per_1', nameMasked: '张*', homeSiteId: 'site_A' };

describe('what an insurer hears', () => {
  it.each([
    ['a lapse', event('certificate.lapsed', { ...who, expiredOn: '2027-01-01' }), true],
    ['a suspension', event('person.suspended', { ...who, since: '2027-01-02', points: 12 }), true],
    ['a reinstatement', event('person.reinstated', who), true],
    ['points under its threshold', event('person.points_changed', { ...who, points: 5 }), false],
    ['points at its threshold', event('person.points_changed', { ...who, points: 6 }), true],
    ['points over it', event('person.points_changed', { ...who, points: 14 }), true],
    ['a colour change (not its business)', event('person.status_changed', { ...who, to: 'red' }), false],
    ['a departure', event('person.departed', who), false],
    ['a test event', event('webhook.ping', {}), true],
  ])('%s → %s', (_, e, wanted) => {
    expect(insurerWants(terms, e)).toBe(wanted);
  });

  it('gets the policy number, a reference, the masked name, the event and its date — nothing else', () => {
    const body = JSON.parse(
      insurerBody(
        terms,
        event('person.points_changed', {
          ...who,
          subcontractorId: 'sub_X',
          points: 8,
          threshold: 12,
          violationType: 'outside_scope',
          occurredOn: '2027-01-01',
        }),
      ),
    );
    expect(body).toEqual({
      id: 'evt_01',
      type: 'person.points_changed',
      occurredAt: '2027-01-02T03:04:05.000Z',
      date: '2027-01-01',
      policyNumber: 'SUB-X-SITE-A',
      insured: { reference: 'per_1', nameMasked: '张*' },
      points: 8,
      threshold: 6,
    });
    expect(
      JSON.parse(insurerBody(terms, event('certificate.lapsed', { ...who, expiredOn: '2026-12-31' }))),
    ).toMatchObject({
      date: '2026-12-31',
      policyNumber: 'SITE-A',
    });
    expect(JSON.parse(insurerBody(terms, event('person.reinstated', who))).date).toBe('2027-01-02');
  });
});

const status = (reasons: PersonStatus['reasons'], color: PersonStatus['color'] = 'green') =>
  ({ color, gateAccess: 'allowed', dispatch: 'allowed', reasons }) as unknown as PersonStatus;
const person = (over: Partial<PersonRecord> = {}) =>
  ({
    tenantId: 'acme',
    personId: 'per_1',
    name: '张三',
    employer: { type: 'subcontractor', subcontractorId: 'sub_X' },
    homeSiteId: 'site_A',
    status: status([]),
    version: 3,
    updatedAt: '2027-01-02T00:00:00.000Z',
    ...over,
  }) as PersonRecord;
const outbox = { prepare: (_t: string, events: WebhookEvent[]) => events };

describe('events a status write and a correction produce', () => {
  it('tells of each certificate newly expired, once, whatever the colour did', () => {
    const before = person({
      status: status([{ code: 'expired', certificateId: 'cer_old', date: '2026-01-01' }], 'red'),
    });
    const reasons = [
      { code: 'expired', certificateId: 'cer_old', date: '2026-01-01' },
      { code: 'expired', certificateId: 'cer_new', date: '2027-01-01' },
      { code: 'expiring', certificateId: 'cer_soon', date: '2027-02-01' },
    ] as PersonStatus['reasons'];
    expect(lapsedCertificates(before, reasons)).toEqual([{ certificateId: 'cer_new', date: '2027-01-01' }]);
    const events = new StatusChangeEvents(outbox).items({
      person: before,
      status: status(reasons, 'red'),
      change: undefined,
      first: false,
      seen: undefined,
      now: new Date('2027-01-02T00:00:00Z'),
    }) as WebhookEvent[];
    expect(events.map((e) => [e.type, e.data.certificateId, e.data.expiredOn])).toEqual([
      ['certificate.lapsed', 'cer_new', '2027-01-01'],
    ]);
    expect(events[0]?.data).toMatchObject({
      subcontractorId: 'sub_X',
      homeSiteId: 'site_A',
      nameMasked: '张*',
    });
    // A registration's first status tells nobody.
    expect(
      new StatusChangeEvents(outbox).items({
        person: before,
        status: status(reasons, 'red'),
        change: { from: null, to: 'red' } as never,
        first: true,
        seen: undefined,
        now: new Date(),
      }),
    ).toEqual([]);
  });

  it('tells of a suspension and of its end, and of nothing else a correction changes', () => {
    const suspension = { since: '2027-01-02', points: 12, violationIds: ['vio_1'], courses: [] } as never;
    const events = new SuspensionEvents(outbox);
    const on = events.items({
      before: person(),
      after: person({ suspension }),
      action: 'person.suspend',
    } as never);
    expect((on as WebhookEvent[]).map((e) => [e.type, e.data.since, e.data.points])).toEqual([
      ['person.suspended', '2027-01-02', 12],
    ]);
    const off = events.items({
      before: person({ suspension }),
      after: person(),
      action: 'person.reinstate',
    } as never);
    expect((off as WebhookEvent[]).map((e) => [e.type, e.data.suspendedSince])).toEqual([
      ['person.reinstated', '2027-01-02'],
    ]);
    expect(
      events.items({ before: person(), after: person({ phone: '1' }), action: 'person.correct' } as never),
    ).toEqual([]);
  });
});

describe('an acknowledgement (use case, fakes)', () => {
  function world() {
    const account: InsurerAccount = { tenantId: 'acme', webhookId: 'whk_1', insurer: terms };
    const events = new Map<string, WebhookEvent>([
      ['evt_sus', { ...event('person.suspended', { ...who, since: '2027-01-02' }), eventId: 'evt_sus' }],
      ['evt_low', { ...event('person.points_changed', { ...who, points: 2 }), eventId: 'evt_low' }],
      ['evt_col', { ...event('person.status_changed', who), eventId: 'evt_col' }],
    ]);
    const acks: Acknowledgement[] = [];
    const deps: InsurerDeps = {
      insurers: {
        get: async (t, id) => (t === 'acme' && id === 'whk_1' ? account : undefined),
        event: async (_t, id) => events.get(id),
        useNonce: async () => true,
        acknowledge: async (_a, _t, ack) => void acks.push(ack),
        covers: async () => acks.flatMap((a) => (a.cover ? [a.cover] : [])),
      },
      people: {} as never,
      clock: new TestClock('2027-01-02T04:00:00Z'),
    };
    return { deps, acks };
  }

  it('keeps the cover it names, under the policy that covers the person', async () => {
    const w = world();
    const ack = await acknowledge(
      w.deps,
      'acme/whk_1',
      { eventId: 'evt_sus', cover: { amount: 0, currency: 'CNY', effectiveOn: '2027-01-02' as never } },
      'r',
    );
    expect(ack).toMatchObject({ personId: 'per_1', eventType: 'person.suspended' });
    expect(w.acks[0]?.cover).toMatchObject({ insurer: '平安产险', policyNumber: 'SITE-A', amount: 0 });
  });

  it.each([
    ['an event below its threshold', 'acme/whk_1', 'evt_low', 404],
    ['an event not for insurers', 'acme/whk_1', 'evt_col', 404],
    ['an unknown event', 'acme/whk_1', 'evt_none', 404],
    ['another tenant’s key', 'other/whk_1', 'evt_sus', 401],
    ['a malformed key id', 'whk_1', 'evt_sus', 401],
  ])('refuses %s', async (_, keyId, eventId, status) => {
    const w = world();
    await expect(acknowledge(w.deps, keyId, { eventId }, 'r')).rejects.toMatchObject({ status });
    expect(w.acks).toEqual([]);
  });
});
