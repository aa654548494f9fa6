import { describe, expect, it } from 'vitest';
import { Conflict, Forbidden, InvalidRequest, RulesBroken } from '../../functions/shared/errors.ts';
import {
  activate,
  activationViolations,
  approve,
  cancel,
  close,
  expire,
  type GasReadings,
  isOpen,
  judgeGas,
  peopleOnTicket,
  recordGasAnalysis,
  suspend,
  type TicketStatus,
  type WorkTicket,
} from '../../functions/tickets/ticket-lifecycle.ts';
import { openTicketEntry, parseOpenTicketEntry } from '../../functions/tickets/ticket-suspension-store.ts';

const T0 = '2026-12-01T08:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000);

const ticket = (over: Partial<WorkTicket> = {}): WorkTicket => ({
  ticketId: 'tkt_01JD0000000000000000000000',
  siteId: 'site_A',
  type: 'hot_work',
  grade: '1',
  location: 'tank 3',
  plannedFrom: T0,
  plannedTo: at(240).toISOString(),
  workers: [{ personId: 'w1', role: 'welder' }],
  leaderId: 'lead',
  guardianId: 'guard',
  approverIds: ['a1', 'a2'],
  status: 'draft',
  approvals: [],
  gasAnalyses: [],
  createdAt: T0,
  createdBy: 'u',
  version: 1,
  ...over,
});

const passing: GasReadings = { oxygenPct: 20.9, flammable: { volumePct: 0.1, lowerExplosiveLimitPct: 5 } };
const gas = (minutes: number, pass = true) => ({
  takenAt: at(minutes).toISOString(),
  analystId: 'lead',
  readings: passing,
  pass,
  failures: pass ? [] : ['oxygen_out_of_range'],
});

/** Which error, with which code: `Conflict:ticket_state`. */
const failure = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return `${(e as Error).constructor.name}:${(e as Conflict).detailCode}`;
  }
  return 'ok';
};

const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('approvals', () => {
  it('needs every approver; the last signature approves; signing again changes nothing', () => {
    const one = approve(ticket(), 'a1', at(0), 'ok');
    expect(one.status).toBe('draft');
    expect(one.approvals).toEqual([{ personId: 'a1', at: T0, comment: 'ok' }]);
    expect(approve(one, 'a1', at(5))).toBe(one);
    const both = approve(one, 'a2', at(1));
    expect(both.status).toBe('approved');
    expect(both.approvals.map((a) => a.personId)).toEqual(['a1', 'a2']);
    expect(both.approvals[1]).not.toHaveProperty('comment');
  });

  it.each([
    ['someone not named', 'lead'],
    ['a user with no linked person', undefined],
  ])('refuses %s (403)', (_, who) => {
    expect(thrown(() => approve(ticket(), who, at(0)))).toBeInstanceOf(Forbidden);
  });

  it('cannot sign a ticket that is no longer a draft', () => {
    const e = thrown(() => approve(ticket({ status: 'cancelled' }), 'a1', at(0)));
    expect(e).toBeInstanceOf(Conflict);
    expect((e as Conflict).params).toEqual({ status: 'cancelled' });
  });
});

describe('gas analysis (GB 30871 via secondary sources)', () => {
  it.each<[string, GasReadings, string[]]>([
    [
      'normal air, no flammable gas',
      { oxygenPct: 20.9, flammable: { volumePct: 0, lowerExplosiveLimitPct: 5 } },
      [],
    ],
    [
      'oxygen at the lower bound',
      { oxygenPct: 19.5, flammable: { volumePct: 0, lowerExplosiveLimitPct: 5 } },
      [],
    ],
    [
      'oxygen at the upper bound',
      { oxygenPct: 21, flammable: { volumePct: 0, lowerExplosiveLimitPct: 5 } },
      [],
    ],
    [
      'oxygen-poor',
      { oxygenPct: 19.4, flammable: { volumePct: 0, lowerExplosiveLimitPct: 5 } },
      ['oxygen_out_of_range'],
    ],
    [
      'oxygen-rich',
      { oxygenPct: 21.1, flammable: { volumePct: 0, lowerExplosiveLimitPct: 5 } },
      ['oxygen_out_of_range'],
    ],
    [
      'LEL ≥ 4 %: 0.5 % is the limit',
      { oxygenPct: 20.9, flammable: { volumePct: 0.5, lowerExplosiveLimitPct: 4 } },
      [],
    ],
    [
      'LEL ≥ 4 %: over 0.5 %',
      { oxygenPct: 20.9, flammable: { volumePct: 0.51, lowerExplosiveLimitPct: 4 } },
      ['flammable_over_limit'],
    ],
    [
      'LEL < 4 %: 0.2 % is the limit',
      { oxygenPct: 20.9, flammable: { volumePct: 0.2, lowerExplosiveLimitPct: 3.9 } },
      [],
    ],
    [
      'LEL < 4 %: over 0.2 %',
      { oxygenPct: 20.9, flammable: { volumePct: 0.3, lowerExplosiveLimitPct: 3.9 } },
      ['flammable_over_limit'],
    ],
    ['hot work without a flammable reading', { oxygenPct: 20.9 }, ['flammable_reading_missing']],
  ])('hot work: %s', (_, readings, failures) => {
    expect(judgeGas('hot_work', readings)).toEqual(failures);
  });

  it('a confined space needs no flammable reading, but oxygen in range', () => {
    expect(judgeGas('confined_space', { oxygenPct: 20 })).toEqual([]);
    expect(judgeGas('confined_space', { oxygenPct: 17 })).toEqual(['oxygen_out_of_range']);
  });

  it('keeps each analysis with its verdict', () => {
    const t = recordGasAnalysis(
      ticket(),
      { takenAt: at(-5).toISOString(), analystId: 'lead', readings: { oxygenPct: 18 } },
      at(0),
    );
    expect(t.gasAnalyses).toEqual([
      expect.objectContaining({
        pass: false,
        failures: ['oxygen_out_of_range', 'flammable_reading_missing'],
      }),
    ]);
  });

  it('refuses an analysis for a type that needs none, one in the future, or on an ended ticket', () => {
    expect(thrown(() => recordGasAnalysis(ticket({ type: 'lifting' }), gas(0), at(0)))).toBeInstanceOf(
      InvalidRequest,
    );
    expect(thrown(() => recordGasAnalysis(ticket(), gas(2), at(0)))).toBeInstanceOf(InvalidRequest);
    expect(recordGasAnalysis(ticket(), gas(1), at(0)).gasAnalyses).toHaveLength(1); // a minute of clock skew
    expect(thrown(() => recordGasAnalysis(ticket({ status: 'closed' }), gas(0), at(0)))).toBeInstanceOf(
      Conflict,
    );
  });
});

describe('activation', () => {
  const approved = (over: Partial<WorkTicket> = {}) => ticket({ status: 'approved', ...over });

  it.each<[string, Partial<WorkTicket>, number, string[]]>([
    ['fresh passing analysis inside the window', { gasAnalyses: [gas(-10)] }, 0, []],
    ['analysis exactly 30 minutes old', { gasAnalyses: [gas(-30)] }, 0, []],
    ['analysis 31 minutes old', { gasAnalyses: [gas(-31)] }, 0, ['gas_analysis_required']],
    ['only a failing analysis', { gasAnalyses: [gas(-5, false)] }, 0, ['gas_analysis_required']],
    ['an analysis dated after now', { gasAnalyses: [gas(5)] }, 0, ['gas_analysis_required']],
    ['no analysis', {}, 0, ['gas_analysis_required']],
    ['before the window', { gasAnalyses: [gas(-11)] }, -1, ['window_not_started']],
    ['at the window’s end', { gasAnalyses: [gas(230)] }, 240, ['window_ended']],
    ['a type without gas analysis', { type: 'lifting', grade: '1' }, 0, []],
  ])('%s', (_, over, minute, codes) => {
    expect(activationViolations(approved(over), at(minute)).map((v) => v.code)).toEqual(codes);
  });

  it('starts an approved ticket and records when; lists every violation otherwise', () => {
    const started = activate(approved({ gasAnalyses: [gas(-1)] }), at(1));
    expect(started).toMatchObject({ status: 'active', activatedAt: at(1).toISOString() });
    const e = thrown(() => activate(approved(), at(-5), [{ code: 'person_frozen', personId: 'w1' }]));
    expect(e).toBeInstanceOf(RulesBroken);
    expect((e as RulesBroken).violations.map((v) => v.code)).toEqual([
      'window_not_started',
      'gas_analysis_required',
      'person_frozen',
    ]);
    expect(thrown(() => activate(ticket(), at(0)))).toBeInstanceOf(Conflict);
  });
});

describe('ending and suspending', () => {
  const states: TicketStatus[] = [
    'draft',
    'approved',
    'active',
    'suspended',
    'closed',
    'cancelled',
    'expired',
  ];

  it.each(states)('from %s', (status) => {
    const t = ticket({ status });
    const can = (f: () => WorkTicket | undefined) => {
      const e = thrown(f);
      if (e && !(e instanceof Conflict)) throw e;
      return !e;
    };
    expect(can(() => close(t, at(1)))).toBe(['active', 'suspended'].includes(status));
    expect(can(() => cancel(t, at(1)))).toBe(['draft', 'approved', 'suspended'].includes(status));
    expect(isOpen(status)).toBe(['draft', 'approved', 'active', 'suspended'].includes(status));
    expect(suspend(t, 'w1', ['expired'], at(1))?.status).toBe(
      ['draft', 'approved', 'active'].includes(status) ? 'suspended' : undefined,
    );
    expect(expire(t, at(240))?.status).toBe(isOpen(status) ? 'expired' : undefined);
    expect(expire(t, at(239))).toBeUndefined();
  });

  it('records who, when and why', () => {
    expect(close(ticket({ status: 'active' }), at(60), 'done')).toMatchObject({
      status: 'closed',
      endedAt: at(60).toISOString(),
      endReason: 'done',
    });
    expect(close(ticket({ status: 'active' }), at(60))).not.toHaveProperty('endReason');
    expect(cancel(ticket(), at(2), 'weather')).toMatchObject({ status: 'cancelled', endReason: 'weather' });
    expect(expire(ticket(), at(300))).toMatchObject({ status: 'expired', endReason: 'window_ended' });
    expect(suspend(ticket({ status: 'active' }), 'w1', ['revoked'], at(3))?.suspension).toEqual({
      personId: 'w1',
      at: at(3).toISOString(),
      reasons: ['revoked'],
    });
  });
});

describe('people on a ticket', () => {
  it('names each person once with their part (a worker who also leads is a worker)', () => {
    expect(
      peopleOnTicket({
        ...ticket(),
        workers: [
          { personId: 'w1', role: 'welder' },
          { personId: 'lead', role: 'welder' },
        ],
      }),
    ).toEqual([
      { personId: 'w1', part: 'worker:welder' },
      { personId: 'lead', part: 'worker:welder' },
      { personId: 'guard', part: 'guardian' },
    ]);
    const { guardianId, ...noGuardian } = ticket();
    expect(peopleOnTicket(noGuardian).map((p) => p.part)).toEqual(['worker:welder', 'leader']);
  });

  it('round-trips the gate view’s open-ticket entry', () => {
    const entry = openTicketEntry({ ticketId: 'tkt_1', siteId: 'site_A', leaderId: 'per_L' });
    expect(parseOpenTicketEntry(entry)).toEqual({ ticketId: 'tkt_1', siteId: 'site_A', leaderId: 'per_L' });
  });
});

describe('what each refusal says', () => {
  it.each<[string, () => unknown, string]>([
    ['a stranger signs', () => approve(ticket(), 'x', at(0)), 'Forbidden:not_an_approver'],
    [
      'a cancelled ticket is signed',
      () => approve(ticket({ status: 'cancelled' }), 'a1', at(0)),
      'Conflict:ticket_state',
    ],
    [
      'gas for a lifting ticket',
      () => recordGasAnalysis(ticket({ type: 'lifting' }), gas(0), at(0)),
      'InvalidRequest:gas_analysis_not_needed',
    ],
    [
      'gas from the future',
      () => recordGasAnalysis(ticket(), gas(5), at(0)),
      'InvalidRequest:gas_analysis_in_future',
    ],
    [
      'gas on a suspended ticket',
      () => recordGasAnalysis(ticket({ status: 'suspended' }), gas(0), at(0)),
      'Conflict:ticket_state',
    ],
    [
      'gas on an approved ticket',
      () => recordGasAnalysis(ticket({ status: 'approved' }), gas(0), at(0)),
      'ok',
    ],
    ['gas on an active ticket', () => recordGasAnalysis(ticket({ status: 'active' }), gas(0), at(0)), 'ok'],
    [
      'starting without gas',
      () => activate(ticket({ status: 'approved' }), at(0)),
      'RulesBroken:dispatch_rules_broken',
    ],
  ])('%s', (_, f, expected) => {
    expect(failure(f)).toBe(expected);
  });

  it('a single approver approves at once; a passing analysis passes; one taken this instant is fresh', () => {
    expect(approve(ticket({ approverIds: ['a1'] }), 'a1', at(0)).status).toBe('approved');
    const t = recordGasAnalysis(
      ticket(),
      { takenAt: at(0).toISOString(), analystId: 'lead', readings: passing },
      at(0),
    );
    expect(t.gasAnalyses[0]).toMatchObject({ pass: true, failures: [] });
    expect(activationViolations({ ...t, status: 'approved' }, at(0))).toEqual([]);
    expect(activationViolations(ticket({ status: 'approved' }), at(0))).toEqual([
      { code: 'gas_analysis_required', detail: { minutes: 30 } },
    ]);
  });
});
