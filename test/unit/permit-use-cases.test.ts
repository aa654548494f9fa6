// Cross-site permits (X4) as use cases against in-memory fakes of the permit store and the
// co-sign workflow: a request starts one workflow (a retried request the same one), each
// site's manager signs their side, a signature given before the workflow asks is answered
// at once, a request reaches the managers' inbox otherwise, and only those concerned see it.
import { describe, expect, it } from 'vitest';
import type { NotificationRequest } from '../../functions/domain/notifications.ts';
import type { PersonRecord } from '../../functions/domain/person.ts';
import {
  findPermit,
  onSignatureRequest,
  type PermitDeps,
  requestPermit,
  signPermit,
} from '../../functions/permits/cross-site-permits.ts';
import type { CrossSitePermit, Decision, PermitSide, Signature } from '../../functions/permits/permit.ts';
import type { PermitStore, StoredPermit } from '../../functions/permits/permit-store.ts';
import type { PermitWorkflow } from '../../functions/permits/permit-workflow.ts';
import type { PermitExecutionInput } from '../../functions/permits/permit-workflow-definition.ts';
import type { Actor } from '../../functions/shared/audit.ts';
import { Conflict } from '../../functions/shared/errors.ts';
import { callerIn, TestClock } from '../support/fakes.ts';

const as = callerIn('acme');
const hr = as('hr');
const fromManager = as('site_manager', { subject: 'mgr-zh', siteIds: ['site_zh'], personId: 'per_mgr_zh' });
const toManager = as('site_manager', { subject: 'mgr-js', siteIds: ['site_js'], personId: 'per_mgr_js' });

class InMemoryPermits implements PermitStore {
  readonly permits = new Map<string, StoredPermit & { tenantId: string }>();
  readonly inbox: { tenantId: string; request: NotificationRequest }[] = [];
  async create(actor: Actor, permit: CrossSitePermit) {
    if (this.permits.has(permit.permitId)) return false;
    this.permits.set(permit.permitId, { ...structuredClone(permit), tokens: {}, tenantId: actor.tenantId });
    return true;
  }
  async get(tenantId: string, permitId: string) {
    const p = this.permits.get(permitId);
    if (!p || p.tenantId !== tenantId) return undefined;
    const { tenantId: _, ...permit } = structuredClone(p);
    return permit;
  }
  async sign(actor: Actor, permitId: string, side: PermitSide, signature: Signature) {
    const p = this.permits.get(permitId);
    if (!p || p.tenantId !== actor.tenantId) throw new Error('no permit');
    if (p.signatures[side]) throw new Conflict('permit_already_signed');
    p.signatures[side] = { ...signature };
    return (await this.get(actor.tenantId, permitId)) as StoredPermit;
  }
  async keepToken(tenantId: string, permitId: string, side: PermitSide, token: string) {
    const p = this.permits.get(permitId);
    if (!p || p.tenantId !== tenantId) return undefined;
    p.tokens[side] = token;
    return this.get(tenantId, permitId);
  }
  async notify(tenantId: string, requests: NotificationRequest[]) {
    for (const request of requests) this.inbox.push({ tenantId, request });
  }
  async permitsOf(tenantId: string, personId: string) {
    return [...this.permits.values()].filter((p) => p.tenantId === tenantId && p.personId === personId);
  }
}

/** The co-sign workflow's outside: executions by permit id (starting one twice is one), answers by token. */
class FakeWorkflow implements PermitWorkflow {
  readonly executions = new Map<string, PermitExecutionInput>();
  readonly answers: { token: string; decision: Decision; comment?: string }[] = [];
  async start(input: PermitExecutionInput) {
    if (!this.executions.has(input.permitId)) this.executions.set(input.permitId, input);
  }
  async answer(token: string, decision: Decision, comment?: string) {
    this.answers.push({ token, decision, ...(comment ? { comment } : {}) });
    return true;
  }
  async state(permitId: string) {
    return this.executions.has(permitId) ? 'RUNNING' : undefined;
  }
}

function world() {
  const clock = new TestClock('2026-06-01T02:00:00Z');
  const permits = new InMemoryPermits();
  const workflow = new FakeWorkflow();
  const people = new Map<string, PersonRecord>([
    [
      'acme#per_welder',
      { tenantId: 'acme', personId: 'per_welder', name: '王小明', homeSiteId: 'site_zh' } as PersonRecord,
    ],
  ]);
  const deps: PermitDeps = {
    permits,
    workflow,
    people: { get: async (t, id) => people.get(`${t}#${id}`) },
    sites: {
      list: async (t) =>
        (t === 'acme'
          ? [
              { siteId: 'site_zh', location: { lat: 29.95, lng: 121.7 } },
              { siteId: 'site_js', location: { lat: 30.72, lng: 121.34 } },
            ]
          : []) as never,
    },
    signingWindowHours: async () => 48,
    clock,
  };
  const request = {
    personId: 'per_welder',
    fromSiteId: 'site_zh',
    toSiteId: 'site_js',
    from: '2026-06-02T00:00:00Z',
    to: '2026-06-05T00:00:00Z',
    reason: '检修支援',
  };
  return { deps, permits, workflow, request, clock };
}

describe('cross-site permits (use cases, fakes)', () => {
  it('starts one co-sign workflow per request, and a retried request finds the same permit', async () => {
    const w = world();
    const first = await requestPermit(w.deps, hr, w.request, 'r');
    expect(first.created).toBe(true);
    expect(first.permit).toMatchObject({
      status: 'pending',
      nameMasked: '王**',
      signatures: {},
      timeoutSeconds: 48 * 3600,
    });
    expect(first.permit).not.toHaveProperty('tokens');
    const again = await requestPermit(w.deps, hr, w.request, 'r2');
    expect(again).toMatchObject({ created: false, permit: { permitId: first.permit.permitId } });
    expect([...w.workflow.executions.keys()]).toEqual([first.permit.permitId]);
    expect(w.workflow.executions.get(first.permit.permitId)).toMatchObject({
      tenantId: 'acme',
      fromSiteId: 'site_zh',
      toSiteId: 'site_js',
      timeoutSeconds: 48 * 3600,
    });
  });

  it.each<[string, Partial<ReturnType<typeof world>['request']>, number, string]>([
    ['the same site on both sides', { toSiteId: 'site_zh' }, 400, 'permit_same_site'],
    ['a window that ends before it starts', { to: '2026-06-01T00:00:00Z' }, 400, 'window_invalid'],
    ['a site the tenant does not have', { toSiteId: 'site_xx' }, 404, 'site_not_found'],
    ['a person the tenant does not have', { personId: 'per_nobody' }, 404, 'person_not_found'],
    [
      'a person whose home is not the “from” site',
      { fromSiteId: 'site_js', toSiteId: 'site_zh' },
      422,
      'permit_rules_broken',
    ],
  ])('refuses %s, starting nothing', async (_, change, status, code) => {
    const w = world();
    await expect(requestPermit(w.deps, hr, { ...w.request, ...change }, 'r')).rejects.toMatchObject({
      status,
      detailCode: code,
    });
    expect(w.permits.permits.size).toBe(0);
    expect(w.workflow.executions.size).toBe(0);
  });

  it('refuses a window of no length, and names the person’s real home when it is not the “from” site', async () => {
    const w = world();
    await expect(requestPermit(w.deps, hr, { ...w.request, to: w.request.from }, 'r')).rejects.toMatchObject({
      status: 400,
      detailCode: 'window_invalid',
    });
    await expect(
      requestPermit(w.deps, hr, { ...w.request, fromSiteId: 'site_js', toSiteId: 'site_zh' }, 'r'),
    ).rejects.toMatchObject({
      violations: [{ code: 'not_home_site', personId: 'per_welder', detail: { homeSiteId: 'site_zh' } }],
    });
  });

  it('lets the manager of either site ask, and refuses one of neither site before looking anyone up', async () => {
    const w = world();
    const byFrom = await requestPermit(w.deps, fromManager, w.request, 'r');
    expect(byFrom.created).toBe(true);
    const other = world();
    // The receiving site's manager asks for a worker of the sending site.
    const byTo = await requestPermit(other.deps, toManager, other.request, 'r');
    expect(byTo).toMatchObject({ created: true, permit: { personId: 'per_welder', requestedBy: 'mgr-js' } });
    const third = world();
    const elsewhere = as('site_manager', { subject: 'mgr-nb', siteIds: ['site_nb'] });
    await expect(requestPermit(third.deps, elsewhere, third.request, 'r')).rejects.toMatchObject({
      status: 404,
      detailCode: 'site_not_found',
    });
    // A manager of the sending site only, for a person of the receiving one: not theirs to ask.
    await expect(
      requestPermit(
        third.deps,
        toManager,
        { ...third.request, fromSiteId: 'site_js', toSiteId: 'site_zh' },
        'r',
      ),
    ).rejects.toMatchObject({ status: 404, detailCode: 'person_not_found' });
  });

  it('keeps the window in UTC, so the same window written with an offset is the same permit', async () => {
    const w = world();
    const first = await requestPermit(w.deps, hr, w.request, 'r');
    expect(first.permit).toMatchObject({ from: '2026-06-02T00:00:00.000Z', to: '2026-06-05T00:00:00.000Z' });
    const again = await requestPermit(
      w.deps,
      hr,
      { ...w.request, from: '2026-06-02T08:00:00+08:00', to: '2026-06-05T08:00:00+08:00' },
      'r2',
    );
    expect(again).toMatchObject({ created: false, permit: { permitId: first.permit.permitId } });
  });

  it('takes each side’s signature from its own manager and hands it to the waiting task', async () => {
    const w = world();
    const { permit } = await requestPermit(w.deps, hr, w.request, 'r');
    // The workflow asks the "from" side first: the request reaches that site's managers.
    await onSignatureRequest(w.deps, {
      tenantId: 'acme',
      permitId: permit.permitId,
      side: 'from',
      siteId: 'site_zh',
      taskToken: 'tok-from',
    });
    expect(w.permits.inbox.map((n) => [n.request.kind, n.request.mailbox])).toEqual([
      ['permit_signature_request', 'SITE#site_zh#site_manager'],
    ]);
    const signed = await signPermit(w.deps, fromManager, permit.permitId, 'approve', '同意', 'r');
    expect(signed.signatures.from).toMatchObject({
      decision: 'approve',
      by: 'mgr-zh',
      personId: 'per_mgr_zh',
    });
    expect(w.workflow.answers).toEqual([{ token: 'tok-from', decision: 'approve', comment: '同意' }]);
    // Signing the same again changes nothing; the other decision is a conflict.
    await signPermit(w.deps, fromManager, permit.permitId, 'approve', undefined, 'r');
    expect(w.workflow.answers).toHaveLength(1);
    await expect(
      signPermit(w.deps, fromManager, permit.permitId, 'reject', undefined, 'r'),
    ).rejects.toMatchObject({
      status: 409,
    });
    // The "to" side signs before the workflow asks: the task is answered when it does.
    await signPermit(w.deps, toManager, permit.permitId, 'approve', undefined, 'r');
    expect(w.workflow.answers).toHaveLength(1);
    await onSignatureRequest(w.deps, {
      tenantId: 'acme',
      permitId: permit.permitId,
      side: 'to',
      siteId: 'site_js',
      taskToken: 'tok-to',
    });
    expect(w.workflow.answers.at(-1)).toEqual({ token: 'tok-to', decision: 'approve' });
    expect(w.permits.inbox).toHaveLength(1); // no request for a side already signed
  });

  it('lets only site managers of either site sign, and shows the permit to those concerned only', async () => {
    const w = world();
    const { permit } = await requestPermit(w.deps, hr, w.request, 'r');
    await expect(signPermit(w.deps, hr, permit.permitId, 'approve', undefined, 'r')).rejects.toMatchObject({
      status: 403,
    });
    const elsewhere = as('site_manager', { subject: 'mgr-x', siteIds: ['site_x'] });
    await expect(
      signPermit(w.deps, elsewhere, permit.permitId, 'approve', undefined, 'r'),
    ).rejects.toMatchObject({
      status: 404,
    });
    await expect(findPermit(w.deps, elsewhere, permit.permitId)).rejects.toMatchObject({ status: 404 });
    await expect(findPermit(w.deps, callerIn('other')('group_admin'), permit.permitId)).rejects.toMatchObject(
      {
        status: 404,
      },
    );
    await expect(findPermit(w.deps, hr, 'pmt_../../x')).rejects.toMatchObject({ status: 404 });
    expect(await findPermit(w.deps, toManager, permit.permitId)).toMatchObject({ workflow: 'RUNNING' });
    const self = as('worker', { personId: 'per_welder' });
    expect((await findPermit(w.deps, self, permit.permitId)).permitId).toBe(permit.permitId);
    await expect(
      findPermit(w.deps, as('worker', { personId: 'per_other' }), permit.permitId),
    ).rejects.toMatchObject({
      status: 404,
    });
  });

  it('ignores a signature request for a permit that does not exist (its task times out into expired)', async () => {
    const w = world();
    await onSignatureRequest(w.deps, {
      tenantId: 'acme',
      permitId: 'pmt_missing0000000000000000',
      side: 'from',
      siteId: 'site_zh',
      taskToken: 'tok',
    });
    expect(w.permits.inbox).toEqual([]);
    expect(w.workflow.answers).toEqual([]);
  });
});
