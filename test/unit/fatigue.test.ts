import { describe, expect, it } from 'vitest';
import {
  type CheckIn,
  fatigueWindow,
  recentJobs,
  withTicketWorkTypes,
} from '../../functions/domain/fatigue.ts';

const NOW = new Date('2026-11-29T12:00:00+08:00');
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * 3600_000).toISOString();
const c = (hoursAgo: number, direction: 'in' | 'out', siteId = 's1'): CheckIn => ({
  at: at(hoursAgo),
  direction,
  siteId,
});

describe('the fatigue window', () => {
  it.each([
    ['nobody there', [], false, 0, 0, []],
    ['on site for 3 hours', [c(3, 'in')], true, 180, 180, []],
    ['left after a 4-hour shift', [c(6, 'in'), c(2, 'out')], false, 0, 240, []],
    ['on site for 13 hours', [c(13, 'in')], true, 780, 780, ['continuous_too_long']],
    [
      'two shifts adding up to 15 hours',
      [c(23, 'in'), c(15, 'out'), c(7, 'in')],
      true,
      420,
      900,
      ['too_long_in_24h'],
    ],
    [
      'a shift that began before the 24 h window counts only inside it',
      [c(30, 'in'), c(20, 'out')],
      false,
      0,
      240,
      [],
    ],
    ['a second "in" continues the shift (another gate)', [c(5, 'in'), c(2, 'in', 's2')], true, 300, 300, []],
    ['an "out" without an "in" is ignored', [c(5, 'out')], false, 0, 0, []],
  ] as const)('%s', (_, checkIns, onSite, continuous, inDay, reasons) => {
    const w = fatigueWindow([...checkIns], NOW);
    expect(w).toMatchObject({
      onSite,
      continuousMinutes: continuous,
      minutesInLast24h: inDay,
      reasons: [...reasons],
      flagged: reasons.length > 0,
    });
  });

  it('reads check-ins in any order', () => {
    expect(fatigueWindow([c(2, 'out'), c(23, 'in'), c(7, 'in'), c(15, 'out')], NOW)).toMatchObject({
      continuousMinutes: 0,
      minutesInLast24h: 480 + 300, // 23 h → 15 h ago, then 7 h → 2 h ago
    });
  });

  it('flags only what goes beyond a limit, not what reaches it', () => {
    const limits = { maxContinuousMinutes: 180, maxMinutesIn24h: 180 };
    expect(fatigueWindow([c(3, 'in')], NOW, limits).reasons).toEqual([]);
    expect(fatigueWindow([c(3.02, 'in')], NOW, limits).reasons).toEqual([
      'continuous_too_long',
      'too_long_in_24h',
    ]);
  });

  it('knows where the person is', () => {
    expect(fatigueWindow([c(5, 'in'), c(2, 'in', 's2')], NOW).siteId).toBe('s2');
  });

  it('follows tenant thresholds', () => {
    expect(
      fatigueWindow([c(3, 'in')], NOW, { maxContinuousMinutes: 120, maxMinutesIn24h: 600 }).reasons,
    ).toEqual(['continuous_too_long']);
  });
});

describe('the last jobs (heat map drill-down)', () => {
  const w = (hoursAgo: number, direction: 'in' | 'out', siteId: string, workType?: string): CheckIn => ({
    ...c(hoursAgo, direction, siteId),
    ...(workType ? { workType } : {}),
  });
  it.each([
    ['no check-ins', [], []],
    [
      'an open shift with a hot-work ticket',
      [w(2, 'in', 's1', 'hot_work')],
      [{ siteId: 's1', start: at(2), workTypes: ['hot_work'] }],
    ],
    [
      'four shifts: the last three, newest first, open one included',
      [
        w(60, 'in', 's1', 'lifting'),
        w(52, 'out', 's1'),
        w(40, 'in', 's2', 'hot_work'),
        w(39, 'in', 's2', 'confined_space'),
        w(39, 'in', 's2', 'hot_work'),
        w(32, 'out', 's2'),
        w(20, 'in', 's1'),
        w(12, 'out', 's1'),
        w(1, 'in', 's3', 'work_at_height'),
      ],
      [
        { siteId: 's3', start: at(1), workTypes: ['work_at_height'] },
        { siteId: 's1', start: at(20), end: at(12), workTypes: [] },
        { siteId: 's2', start: at(40), end: at(32), workTypes: ['hot_work', 'confined_space'] },
      ],
    ],
    [
      'an exit whose entry fell outside the window is ignored',
      [w(30, 'out', 's1'), w(5, 'in', 's2', 'lifting'), w(3, 'out', 's2')],
      [{ siteId: 's2', start: at(5), end: at(3), workTypes: ['lifting'] }],
    ],
  ] as const)('%s', (_, checkIns, expected) => {
    expect(recentJobs([...checkIns].reverse())).toEqual(expected);
  });
});

describe('work types of a shift from its closed tickets', () => {
  const shift = (start: string, end?: string) => ({
    siteId: 's1',
    start,
    ...(end ? { end } : {}),
    workTypes: ['lifting'],
  });
  const ticket = (ticketId: string, type: string, from: string, to: string, siteId = 's1') => ({
    ticketId,
    siteId,
    type,
    from,
    to,
  });
  const now = new Date('2026-12-01T20:00:00Z');

  it.each([
    [
      'a ticket inside the shift',
      [ticket('t1', 'hot_work', '2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z')],
      ['hot_work'],
      'tickets',
    ],
    [
      'two tickets, one type each',
      [
        ticket('t1', 'hot_work', '2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z'),
        ticket('t2', 'confined_space', '2026-12-01T11:00:00Z', '2026-12-01T12:00:00Z'),
      ],
      ['hot_work', 'confined_space'],
      'tickets',
    ],
    [
      'a ticket ending as the shift starts',
      [ticket('t1', 'hot_work', '2026-12-01T06:00:00Z', '2026-12-01T08:00:00Z')],
      ['lifting'],
      'gates',
    ],
    [
      'a ticket at another site',
      [ticket('t1', 'hot_work', '2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z', 's2')],
      ['lifting'],
      'gates',
    ],
    ['no ticket', [], ['lifting'], 'gates'],
  ])('%s', (_, tickets, types, from) => {
    const [job] = withTicketWorkTypes([shift('2026-12-01T08:00:00Z', '2026-12-01T16:00:00Z')], tickets, now);
    expect(job?.workTypes).toEqual(types);
    expect(job?.workTypesFrom).toBe(from);
  });

  it('counts an open shift up to now', () => {
    const [job] = withTicketWorkTypes(
      [shift('2026-12-01T08:00:00Z')],
      [ticket('t1', 'excavation', '2026-12-01T19:00:00Z', '2026-12-01T21:00:00Z')],
      now,
    );
    expect(job).toMatchObject({ workTypes: ['excavation'], ticketIds: ['t1'] });
    const [later] = withTicketWorkTypes(
      [shift('2026-12-01T08:00:00Z')],
      [ticket('t1', 'excavation', '2026-12-01T20:00:00Z', '2026-12-01T21:00:00Z')],
      now,
    );
    expect(later?.workTypesFrom).toBe('gates');
  });
});
