// Reading the audit trail (GET /audit) against an in-memory trail: ranges of China days,
// newest first, filters, pages that continue across days, cursors bound to their query,
// masking, roles — and every action the code writes has a name in both languages.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionName } from '../../functions/reports/audit-actions.ts';
import type { AuditFilter, AuditRecord, AuditTrail, DayKey } from '../../functions/reports/audit-store.ts';
import { maskDetails, readAuditTrail, renderAuditCsv } from '../../functions/reports/audit-trail.ts';
import type { Principal } from '../../functions/shared/auth/principal.ts';
import { TestClock } from '../support/fakes.ts';

/** The trail's port in memory, with the DynamoDB adapter's paging: Limit before the filter. */
class InMemoryAuditTrail implements AuditTrail {
  readonly days = new Map<string, AuditRecord[]>();
  queries = 0;

  add(tenantId: string, day: string, record: Partial<AuditRecord> & { at: string; action: string }) {
    const key = `${tenantId}#${day}`;
    const list = this.days.get(key) ?? [];
    list.push({
      auditId: `aud_${list.length}_${day}`,
      entityType: 'person',
      entityId: 'per_1',
      actor: { subject: 'hr-1', role: 'hr' },
      requestId: 'req',
      ...record,
    } as AuditRecord);
    this.days.set(key, list);
  }

  async day(tenantId: string, day: string, page: { limit: number; startKey?: DayKey; filter: AuditFilter }) {
    this.queries++;
    const all = [...(this.days.get(`${tenantId}#${day}`) ?? [])].sort((a, b) => b.at.localeCompare(a.at));
    const start = page.startKey ? all.findIndex((r) => r.auditId === page.startKey?.auditId) + 1 : 0;
    const evaluated = all.slice(start, start + page.limit);
    const f = page.filter;
    const matched = evaluated.filter(
      (r) =>
        (!f.entityType || r.entityType === f.entityType) &&
        (!f.entityId || r.entityId === f.entityId) &&
        (!f.actor || r.actor.subject === f.actor) &&
        (!f.action || r.action === f.action),
    );
    const last = evaluated.at(-1);
    return {
      items: matched.map((record) => ({ record, key: { auditId: record.auditId } })),
      ...(start + page.limit < all.length && last ? { lastKey: { auditId: last.auditId } } : {}),
    };
  }
}

const as = (role: Principal['role'], tenantId = 'acme'): Principal => ({
  subject: `${role}-1`,
  tenantId,
  role,
  siteIds: [],
});
const auditor = as('auditor');

function world() {
  const audit = new InMemoryAuditTrail();
  const clock = new TestClock('2026-06-10T04:00:00Z'); // 12:00 on 10 June in Shanghai
  return { audit, clock, deps: { audit, clock } };
}
const read = (w: ReturnType<typeof world>, q: Record<string, unknown> = {}, who = auditor) =>
  readAuditTrail(w.deps, who, { limit: 50, ...q }, 'zh');

describe('reading the audit trail (use case, fakes)', () => {
  it('covers the last seven China days by default, newest first, and names each action', async () => {
    const w = world();
    w.audit.add('acme', '2026-06-03', { at: '2026-06-03T01:00:00Z', action: 'person.create' }); // outside
    w.audit.add('acme', '2026-06-04', { at: '2026-06-04T01:00:00Z', action: 'person.create' });
    w.audit.add('acme', '2026-06-10', { at: '2026-06-10T01:00:00Z', action: 'certificate.create' });
    w.audit.add('acme', '2026-06-10', { at: '2026-06-10T02:00:00Z', action: 'settings.dispatch-policy.put' });
    w.audit.add('other', '2026-06-10', { at: '2026-06-10T03:00:00Z', action: 'person.create' });
    const page = await read(w);
    expect(page).toMatchObject({ from: '2026-06-04', to: '2026-06-10' });
    expect(page.items.map((r) => [r.at, r.actionName])).toEqual([
      ['2026-06-10T02:00:00Z', '修改设置：dispatch-policy'],
      ['2026-06-10T01:00:00Z', '录入证书'],
      ['2026-06-04T01:00:00Z', '登记人员'],
    ]);
    expect(page.nextCursor).toBeUndefined();
  });

  it('pages across days with a cursor, and the pages join up to the whole trail', async () => {
    const w = world();
    for (let d = 4; d <= 10; d++)
      for (let h = 0; h < 3; h++)
        w.audit.add('acme', `2026-06-${String(d).padStart(2, '0')}`, {
          at: `2026-06-${String(d).padStart(2, '0')}T0${h}:00:00Z`,
          action: 'person.create',
        });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await read(w, { limit: 4, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((r) => r.at));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(21);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it.each([
    ['entity', { entityType: 'certificate' }, ['certificate.create']],
    ['entity id', { entityId: 'per_2' }, ['person.status.change']],
    ['actor', { actor: 'admin-1' }, ['settings.alliance.put']],
    ['action', { action: 'person.create' }, ['person.create']],
  ])('filters by %s', async (_, filter, actions) => {
    const w = world();
    const day = '2026-06-09';
    w.audit.add('acme', day, { at: `${day}T01:00:00Z`, action: 'person.create' });
    w.audit.add('acme', day, {
      at: `${day}T02:00:00Z`,
      action: 'certificate.create',
      entityType: 'certificate',
      entityId: 'cer_1',
    });
    w.audit.add('acme', day, { at: `${day}T03:00:00Z`, action: 'person.status.change', entityId: 'per_2' });
    w.audit.add('acme', day, {
      at: `${day}T04:00:00Z`,
      action: 'settings.alliance.put',
      entityType: 'settings',
      entityId: 'alliance',
      actor: { subject: 'admin-1', role: 'group_admin' },
    });
    expect((await read(w, filter)).items.map((r) => r.action)).toEqual(actions);
  });

  it('keeps looking past days without a match, but answers within a bounded number of queries', async () => {
    const w = world();
    for (let i = 0; i < 300; i++)
      w.audit.add('acme', '2026-06-10', {
        at: `2026-06-10T01:${String(i).padStart(4, '0')}`,
        action: 'person.create',
      });
    w.audit.add('acme', '2026-06-05', { at: '2026-06-05T01:00:00Z', action: 'badge.bind' });
    const page = await read(w, { action: 'badge.bind', limit: 1 });
    expect(page.items.map((r) => r.action)).toEqual(['badge.bind']);
    const sparse = world();
    for (let i = 0; i < 30_000; i++)
      sparse.audit.add('acme', '2026-06-10', {
        at: `2026-06-10T01:${String(i).padStart(4, '0')}`,
        action: 'person.create',
      });
    const partial = await read(sparse, { action: 'badge.bind', limit: 1 });
    expect(sparse.audit.queries).toBeLessThanOrEqual(100);
    expect(partial.items).toEqual([]);
    expect(partial.nextCursor).toBeDefined(); // more to look at: the caller goes on
  });

  it.each([
    ['a range that ends before it starts', { from: '2026-06-10', to: '2026-06-01' }, 'audit_range_inverted'],
    ['more than 92 days', { from: '2026-03-01', to: '2026-06-10' }, 'audit_range_too_long'],
    ['a cursor that is not one', { cursor: 'bm90IGpzb24' }, 'invalid_cursor'],
    [
      'a cursor made for another range',
      {
        from: '2026-06-01',
        cursor: Buffer.from(JSON.stringify({ d: '2026-06-09', f: '2026-06-04', t: '2026-06-10' })).toString(
          'base64url',
        ),
      },
      'invalid_cursor',
    ],
    [
      'a cursor pointing outside its range',
      {
        cursor: Buffer.from(JSON.stringify({ d: '2026-05-01', f: '2026-06-04', t: '2026-06-10' })).toString(
          'base64url',
        ),
      },
      'invalid_cursor',
    ],
  ])('refuses %s with a 400 naming the field', async (_, q, code) => {
    await expect(read(world(), q)).rejects.toMatchObject({ status: 400, fieldErrors: [{ code }] });
  });

  it.each([['hr'], ['site_manager'], ['subcontractor'], ['worker']] as const)(
    'refuses %s (403)',
    async (role) => {
      await expect(read(world(), {}, as(role))).rejects.toMatchObject({ status: 403 });
    },
  );

  it('shows an organisation’s own name, masking its contacts', () => {
    expect(
      maskDetails(
        {
          before: { name: '镇海炼化' },
          after: { name: '镇海炼化一期', contacts: [{ name: '王建国', phone: '13800138000' }] },
        },
        'site',
      ),
    ).toEqual({
      before: { name: '镇海炼化' },
      after: { name: '镇海炼化一期', contacts: [{ name: '王**', phone: '138****8000' }] },
    });
  });

  it('masks what names or reaches a person in the details, and ID-like runs anywhere', () => {
    expect(
      maskDetails({
        name: '张伟',
        phone: '13812345678',
        note: '证号 T330106197007072536 已核对',
        nested: [{ formerName: '张小伟', email: 'zhang.wei@example.com' }],
        color: 'red',
        count: 3,
      }),
    ).toEqual({
      name: '张*',
      phone: '138****5678',
      note: '证号 T3301**********2536 已核对',
      nested: [{ formerName: '张**', email: expect.not.stringContaining('zhang.wei') }],
      color: 'red',
      count: 3,
    });
  });

  it('downloads as CSV that Excel opens in Chinese and that cannot run a formula', async () => {
    const w = world();
    w.audit.add('acme', '2026-06-10', {
      at: '2026-06-10T01:00:00Z',
      action: 'person.create',
      entityId: '=HYPERLINK("x")',
    });
    const csv = renderAuditCsv(await read(w));
    expect(csv.startsWith('\uFEFFat,action,actionName')).toBe(true);
    expect(csv).toContain('登记人员');
    expect(csv).not.toMatch(/,=HYPERLINK/);
  });
});

describe('action names', () => {
  it('shows an unknown code as itself, and every name in English too', () => {
    expect(actionName('something.new', 'en')).toBe('something.new');
    expect(actionName('person.create', 'en')).toBe('Person registered');
    expect(actionName('settings.fatigue-thresholds.put', 'en')).toBe('Setting changed: fatigue-thresholds');
  });

  it('names every action the code writes as a literal', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    const written = new Set<string>();
    for (const f of files('functions'))
      for (const m of readFileSync(f, 'utf8').matchAll(/action: '([a-z][a-z0-9_.-]+\.[a-z0-9_.-]+)'/g))
        written.add(m[1] as string);
    expect(written.size).toBeGreaterThan(30);
    expect([...written].filter((a) => actionName(a, 'zh') === a || actionName(a, 'en') === a)).toEqual([]);
  });
});
