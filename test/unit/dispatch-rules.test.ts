import { describe, expect, it } from 'vitest';
import type { CertificateFacts } from '../../functions/domain/status-rules.ts';
import {
  DEFAULT_DISPATCH_SETTINGS,
  dispatchViolations,
  distanceKm,
  type PersonOnTicket,
  type SiteLocation,
  type TicketDraft,
} from '../../functions/tickets/dispatch-rules.ts';
import {
  type RoleNeeds,
  stricterHours,
  TICKET_TYPE_RULES,
  TICKET_TYPES,
} from '../../functions/tickets/ticket-types.ts';
import { TICKET_ROLES } from '../../schemas/tickets.ts';

// Shanghai: 08:00 on 1 December 2026 is 00:00 UTC.
const FROM = '2026-12-01T00:00:00Z';
const hoursLater = (h: number) => new Date(Date.parse(FROM) + h * 3600_000).toISOString();
const shift = (from: number, to: number) => ({ from: hoursLater(from), to: hoursLater(to) });

const sites = new Map<string, SiteLocation>([
  ['zs', { siteId: 'zs', lat: 30.0, lng: 122.1 }], // 舟山
  ['nb', { siteId: 'nb', lat: 29.87, lng: 121.55 }], // 宁波, ~55 km away
  ['zs2', { siteId: 'zs2', lat: 30.05, lng: 122.15 }], // next door
]);

const welding = (over: Partial<CertificateFacts> = {}): CertificateFacts => ({
  certificateId: 'w',
  scheme: 'MEM',
  category: 'welding',
  issuedOn: '2024-01-10',
  expiresOn: '2030-01-09',
  reviewDueOn: '2027-01-10',
  ...over,
});

const person = (personId: string, over: Partial<PersonOnTicket> = {}): PersonOnTicket => ({
  personId,
  frozen: false,
  homeSiteId: 'zs',
  certificates: [welding()],
  checkIns: [],
  lastWorkedInType: '2026-11-20T02:00:00Z',
  crossSitePermits: [],
  ...over,
});

const draft = (over: Partial<TicketDraft> = {}): TicketDraft => ({
  siteId: 'zs',
  type: 'hot_work',
  grade: '1',
  plannedFrom: FROM,
  plannedTo: hoursLater(6),
  workers: [{ personId: 'welder', role: 'welder' }],
  leaderId: 'leader',
  guardianId: 'guard',
  ...over,
});

const crew = (...people: PersonOnTicket[]) =>
  new Map(
    [
      person('welder'),
      person('leader', { certificates: [] }),
      person('guard', { certificates: [] }),
      ...people,
    ].map((p) => [p.personId, p]),
  );

const codes = (d: TicketDraft, people = crew(), guarding = 0) =>
  dispatchViolations(d, people, sites, DEFAULT_DISPATCH_SETTINGS, guarding).map((v) =>
    v.personId ? `${v.code}:${v.personId}` : v.code,
  );

describe('the special-work types (GB 30871-2022)', () => {
  it('has all eight, each with a source, and the hot-work limits SPEC.md gives', () => {
    expect(Object.keys(TICKET_TYPE_RULES).sort()).toEqual([...TICKET_TYPES].sort());
    for (const rule of Object.values(TICKET_TYPE_RULES)) expect(rule.source).toMatch(/GB 30871-2022/);
    expect(TICKET_TYPE_RULES.hot_work.grades).toEqual({
      special: { maxHours: 8 },
      '1': { maxHours: 8 },
      '2': { maxHours: 72 },
    });
    expect(TICKET_TYPE_RULES.hot_work.gasAnalysisMinutesBefore).toBe(30);
    expect(TICKET_TYPE_RULES.confined_space.gasAnalysisMinutesBefore).toBe(30);
  });

  it.each([
    [8, undefined, 8],
    [8, 4, 4],
    [8, 24, 8], // a tenant may tighten a limit, never loosen it
    [null, 12, 12],
    [null, undefined, null],
  ] as const)('standard %s h, tenant %s h → %s h', (standard, tenant, limit) => {
    expect(stricterHours(standard, tenant)).toBe(limit);
  });
});

describe('dispatching a ticket', () => {
  it('lets a qualified, unfrozen local crew through', () => {
    expect(codes(draft())).toEqual([]);
  });

  it.each([
    ['a window that ends before it starts', draft({ plannedTo: FROM }), ['window_invalid']],
    ['a grade the type does not have', draft({ grade: '9' }), ['grade_invalid']],
    ['no grade for a graded type', draft({ grade: undefined }), ['grade_invalid']],
    ['a grade-1 hot-work permit of 9 hours', draft({ plannedTo: hoursLater(9) }), ['window_too_long']],
    [
      'a grade-2 one of 9 hours (≤ 72 h) — but past the fatigue limit of 12 h? no: 9 h',
      draft({ grade: '2', plannedTo: hoursLater(9) }),
      [],
    ],
    // A permit's validity is not a shift (field finding 2): 13 h and the full 72 h are legal.
    ['a grade-2 permit of 13 hours', draft({ grade: '2', plannedTo: hoursLater(13) }), []],
    ['a grade-2 permit of the full 72 hours', draft({ grade: '2', plannedTo: hoursLater(72) }), []],
    ['a grade-2 permit of 73 hours', draft({ grade: '2', plannedTo: hoursLater(73) }), ['window_too_long']],
    [
      'a 72 h permit with three 10 h day shifts',
      draft({ grade: '2', plannedTo: hoursLater(72), shifts: [0, 24, 48].map((h) => shift(h, h + 10)) }),
      [],
    ],
    [
      'a planned shift of 13 hours',
      draft({ grade: '2', plannedTo: hoursLater(72), shifts: [shift(0, 13)] }),
      ['fatigue_limit'],
    ],
    [
      'two 8 h shifts 2 h apart: 16 h in 24 h (limit 14 h)',
      draft({ grade: '2', plannedTo: hoursLater(72), shifts: [shift(0, 8), shift(10, 18)] }),
      ['fatigue_24h_limit'],
    ],
    [
      'two 7 h shifts 10 h apart: 14 h in 24 h, the limit exactly',
      draft({ grade: '2', plannedTo: hoursLater(72), shifts: [shift(0, 7), shift(17, 24)] }),
      [],
    ],
    [
      'a shift past the permit’s end',
      draft({ plannedTo: hoursLater(6), shifts: [shift(0, 7)] }),
      ['shift_outside_window'],
    ],
    [
      'a shift before the permit starts',
      draft({ plannedTo: hoursLater(6), shifts: [shift(-1, 4)] }),
      ['shift_outside_window'],
    ],
    [
      'overlapping shifts',
      draft({ grade: '2', plannedTo: hoursLater(72), shifts: [shift(30, 36), shift(0, 6), shift(5, 8)] }),
      ['shifts_overlap'],
    ],
    ['no guardian on hot work', draft({ guardianId: undefined }), ['guardian_required']],
    ['the guardian also welding', draft({ guardianId: 'welder' }), ['guardian_is_worker:welder']],
    // A role the type does not list switched the certificate rule off once (field finding 1).
    ...['hot_worker', 'welders', 'helper', 'electrician', 'operator'].map(
      (role) =>
        [
          `a role hot work does not list (${role}) is refused, not read as "needs nothing"`,
          draft({ workers: [{ personId: 'welder', role }] }),
          ['role_not_in_type:welder'],
        ] as const,
    ),
    [
      'a fire watcher needs no certificate (GB 30871: trained on site)',
      draft({ workers: [{ personId: 'leader', role: 'fire_watcher' }] }),
      [],
    ],
  ] as const)('%s', (_, d, expected) => {
    expect(codes(d)).toEqual(expected);
  });

  it('refuses a worker without the certificate the role needs, or one that lapses before the window ends', () => {
    const none = crew(person('welder', { certificates: [] }));
    expect(codes(draft(), none)).toEqual(['certificate_missing:welder']);
    // Valid through 1 December: a ticket ending that evening passes, one running past midnight does not.
    const lapsing = crew(
      person('welder', { certificates: [welding({ expiresOn: '2026-12-01', reviewDueOn: null })] }),
    );
    expect(codes(draft({ grade: '2', plannedTo: hoursLater(11) }), lapsing)).toEqual([]);
    expect(
      codes(draft({ grade: '2', plannedFrom: hoursLater(10), plannedTo: hoursLater(20) }), lapsing),
    ).toEqual(['certificate_not_valid_for_window:welder']);
    // A review missed during the window, a certificate issued after it starts, a revoked one.
    for (const bad of [
      welding({ reviewDueOn: '2026-11-30' }),
      welding({ issuedOn: '2026-12-02' }),
      welding({ revokedOn: '2026-11-01' }),
      { ...welding(), scheme: 'SAMR' as const },
    ])
      expect(codes(draft(), crew(person('welder', { certificates: [bad] }))), JSON.stringify(bad)).toEqual([
        expect.stringMatching(/^certificate_(missing|not_valid_for_window):welder$/),
      ]);
  });

  it('accepts any of the certificates that qualify for a role (MEM or MOHURD for height)', () => {
    const scaffolder = {
      ...welding(),
      certificateId: 's',
      scheme: 'MOHURD' as const,
      category: 'scaffolder',
      reviewDueOn: null,
    };
    const d = draft({
      type: 'work_at_height',
      grade: '2',
      workers: [{ personId: 'welder', role: 'worker' }],
    });
    expect(codes(d, crew(person('welder', { certificates: [scaffolder] })))).toEqual([]);
    expect(codes(d, crew(person('welder', { certificates: [welding()] })))).toEqual([
      'certificate_missing:welder',
    ]);
  });

  it('refuses anyone frozen or unknown, in any role', () => {
    expect(codes(draft(), crew(person('leader', { frozen: true, certificates: [] })))).toEqual([
      'person_frozen:leader',
    ]);
    expect(codes(draft({ leaderId: 'nobody' }))).toEqual(['person_unknown:nobody']);
  });

  it('refuses anyone blacklisted on the start day, green or not, with that reason, its end and its source', () => {
    const own = { expiresOn: '2029-12-01' };
    expect(codes(draft(), crew(person('leader', { blacklisted: own, certificates: [] })))).toEqual([
      'person_blacklisted:leader',
    ]);
    expect(
      codes(draft(), crew(person('leader', { blacklisted: own, frozen: true, certificates: [] }))),
    ).toEqual(['person_blacklisted:leader']);
    expect(codes(draft(), crew(person('leader', { certificates: [] })))).toEqual([]);
    const byPartner = { expiresOn: '2029-12-01', organisation: '杭州市安全生产协会' };
    expect(
      dispatchViolations(
        draft(),
        crew(person('leader', { blacklisted: byPartner, certificates: [] })),
        sites,
      ),
    ).toEqual([
      {
        code: 'person_blacklisted',
        personId: 'leader',
        detail: { expiresOn: '2029-12-01', organisation: '杭州市安全生产协会' },
      },
    ]);
  });

  it('refuses anyone whose engagement has ended by the start day, with the day and why', () => {
    const ended = { on: '2026-11-30', reason: 'subcontractor_terminated' };
    expect(
      dispatchViolations(
        draft(),
        crew(person('leader', { engagementEnded: ended, certificates: [] })),
        sites,
      ),
    ).toEqual([{ code: 'person_engagement_ended', personId: 'leader', detail: ended }]);
    expect(
      codes(
        draft(),
        crew(
          person('leader', {
            engagementEnded: ended,
            blacklisted: { expiresOn: '2029-12-01' },
            certificates: [],
          }),
        ),
      ),
    ).toEqual(['person_engagement_ended:leader']);
  });

  it('applies 50 km / 24 h: a check-in more than 50 km away within the 24 hours before the start', () => {
    const at = (h: number) => hoursLater(h);
    const cases: [PersonOnTicket['checkIns'], string[]][] = [
      [[{ siteId: 'nb', at: at(-23) }], ['too_far_too_soon:welder']],
      [[{ siteId: 'nb', at: at(-25) }], []], // more than a day ago
      [[{ siteId: 'zs2', at: at(-2) }], []], // next door
      [[{ siteId: 'nb', at: at(1) }], []], // after the start: not before it
    ];
    for (const [checkIns, expected] of cases)
      expect(codes(draft(), crew(person('welder', { checkIns }))), JSON.stringify(checkIns)).toEqual(
        expected,
      );
    expect(distanceKm(sites.get('zs') as SiteLocation, sites.get('nb') as SiteLocation)).toBeGreaterThan(50);
    expect(distanceKm(sites.get('zs') as SiteLocation, sites.get('nb') as SiteLocation)).toBeLessThan(60);
  });

  it('asks for a practical re-exam after 6 months away from the work type (MEM Order 30 Art. 32)', () => {
    const away = { lastWorkedInType: '2026-05-30T02:00:00Z' };
    expect(codes(draft(), crew(person('welder', away)))).toEqual(['practical_reexam_required:welder']);
    expect(codes(draft(), crew(person('welder', { lastWorkedInType: '2026-06-01T02:00:00Z' })))).toEqual([]);
    expect(codes(draft(), crew(person('welder', { ...away, practicalReexamOn: '2026-11-01' })))).toEqual([]);
    // Practice hr declared (work elsewhere before the product knew them) counts, if recent.
    expect(codes(draft(), crew(person('welder', { ...away, practiceDeclaredOn: '2026-06-01' })))).toEqual([]);
    expect(codes(draft(), crew(person('welder', { ...away, practiceDeclaredOn: '2026-05-31' })))).toEqual([
      'practical_reexam_required:welder',
    ]);
    // A certificate issued within the 6 months is recent practice; no history at all and an old one is not.
    expect(
      codes(
        draft(),
        crew(
          person('welder', {
            lastWorkedInType: undefined,
            certificates: [welding({ issuedOn: '2026-07-01' })],
          }),
        ),
      ),
    ).toEqual([]);
    expect(codes(draft(), crew(person('welder', { lastWorkedInType: undefined })))).toEqual([
      'practical_reexam_required:welder',
    ]);
    // No qualifying certificate at all is that, not a matter of practice.
    expect(codes(draft(), crew(person('welder', { ...away, certificates: [] })))).toEqual([
      'certificate_missing:welder',
    ]);
  });

  it('needs an approved cross-site permit covering the window for anyone from another site', () => {
    const visitor = (permits: PersonOnTicket['crossSitePermits']) =>
      crew(person('welder', { homeSiteId: 'nb', crossSitePermits: permits }));
    expect(codes(draft(), visitor([]))).toEqual(['cross_site_permit_required:welder']);
    expect(codes(draft(), visitor([{ toSiteId: 'zs', from: hoursLater(-1), to: hoursLater(7) }]))).toEqual(
      [],
    );
    expect(codes(draft(), visitor([{ toSiteId: 'zs', from: hoursLater(1), to: hoursLater(7) }]))).toEqual([
      'cross_site_permit_required:welder',
    ]);
    expect(codes(draft(), visitor([{ toSiteId: 'zs2', from: hoursLater(-1), to: hoursLater(7) }]))).toEqual([
      'cross_site_permit_required:welder',
    ]);
  });

  it('lets a guardian guard only as many tickets at once as the tenant allows', () => {
    expect(codes(draft(), crew(), 1)).toEqual(['guardian_overloaded:guard']);
  });

  it('lists every rule a ticket breaks, not just the first', () => {
    const people = crew(
      person('welder', {
        frozen: true,
        certificates: [],
        homeSiteId: 'nb',
        checkIns: [{ siteId: 'nb', at: hoursLater(-3) }],
      }),
    );
    expect(codes(draft({ plannedTo: hoursLater(9), guardianId: 'welder' }), people)).toEqual([
      'window_too_long',
      'person_frozen:welder',
      'certificate_missing:welder',
      'too_far_too_soon:welder',
      'cross_site_permit_required:welder',
      'guardian_is_worker:welder',
    ]);
  });
});

describe('what a refusal says (the details a dispatcher reads)', () => {
  const one = (d: TicketDraft, people = crew(), guarding = 0) =>
    dispatchViolations(d, people, sites, DEFAULT_DISPATCH_SETTINGS, guarding);

  it('names the allowed grades, the hours against the limit, the role and the certificates accepted', () => {
    expect(one(draft({ grade: 'x' }))).toEqual([
      { code: 'grade_invalid', detail: { allowed: '1,2,special' } },
    ]);
    expect(one(draft({ plannedTo: hoursLater(8) }))).toEqual([]); // exactly the limit
    expect(one(draft({ plannedTo: hoursLater(8.5) }))).toEqual([
      { code: 'window_too_long', detail: { hours: 8.5, maxHours: 8 } },
    ]);
    expect(
      one(
        draft({ type: 'lifting', workers: [{ personId: 'welder', role: 'signaller' }] }),
        crew(person('welder', { certificates: [] })),
      ),
    ).toEqual([
      {
        code: 'certificate_missing',
        personId: 'welder',
        detail: { role: 'signaller', accepted: 'SAMR:Q1,MOHURD:signaller_rigger' },
      },
    ]);
  });

  it('names where a too-far check-in was and how far, the months away, the home site and the guardian load', () => {
    expect(
      one(draft(), crew(person('welder', { checkIns: [{ siteId: 'nb', at: hoursLater(-24) }] }))),
    ).toEqual([{ code: 'too_far_too_soon', personId: 'welder', detail: { fromSiteId: 'nb', km: 55 } }]);
    expect(one(draft(), crew(person('welder', { checkIns: [{ siteId: 'nb', at: FROM }] })))).toHaveLength(1);
    expect(one(draft(), crew(person('welder', { lastWorkedInType: undefined })))).toEqual([
      { code: 'practical_reexam_required', personId: 'welder', detail: { months: 6 } },
    ]);
    expect(one(draft(), crew(person('welder', { homeSiteId: 'nb' })))).toEqual([
      { code: 'cross_site_permit_required', personId: 'welder', detail: { homeSiteId: 'nb' } },
    ]);
    expect(one(draft(), crew(), 2)).toEqual([
      { code: 'guardian_overloaded', personId: 'guard', detail: { guarding: 2, max: 1 } },
    ]);
    expect(one(draft({ plannedTo: hoursLater(20), grade: '2', shifts: [shift(2, 15)] }))).toEqual([
      { code: 'fatigue_limit', detail: { shift: 1, minutes: 780, max: 720 } },
    ]);
    expect(
      one(
        draft({ plannedTo: hoursLater(40), grade: '2', shifts: [shift(14, 22), shift(0, 8), shift(24, 32)] }),
      ),
    ).toEqual([{ code: 'fatigue_24h_limit', detail: { from: hoursLater(0), minutes: 960, max: 840 } }]);
  });

  it('refuses a ticket at a site it does not know, and a worker nobody knows without crashing', () => {
    // (Everyone's home site is another one, so each also needs a cross-site permit.)
    expect(one(draft({ siteId: 'elsewhere' }))).toContainEqual({ code: 'site_unknown' });
    expect(codes(draft({ workers: [{ personId: 'ghost', role: 'welder' }] }))).toEqual([
      'person_unknown:ghost',
      'certificate_missing:ghost',
    ]);
  });

  it('takes a certificate issued on the first day of the window', () => {
    const fresh = crew(person('welder', { certificates: [welding({ issuedOn: '2026-12-01' })] }));
    expect(codes(draft(), fresh)).toEqual([]);
  });

  it('asks for the re-exam only for MEM certificates, and counts only qualifying ones as recent practice', () => {
    const away = { lastWorkedInType: '2025-01-01T00:00:00Z' };
    const q2 = {
      ...welding(),
      certificateId: 'q2',
      scheme: 'SAMR' as const,
      category: 'Q2',
      reviewDueOn: null,
    };
    const lifting = draft({ type: 'lifting', workers: [{ personId: 'welder', role: 'operator' }] });
    expect(codes(lifting, crew(person('welder', { ...away, certificates: [q2] })))).toEqual([]);
    const recentButUnrelated = { ...q2, issuedOn: '2026-10-01' };
    expect(
      codes(draft(), crew(person('welder', { ...away, certificates: [welding(), recentButUnrelated] }))),
    ).toEqual(['practical_reexam_required:welder']);
  });
});

describe('the types table as transcribed', () => {
  it.each([
    ['hot_work', 30, { welder: ['MEM:welding'], cutter: ['MEM:welding'], fire_watcher: 'none' }],
    ['confined_space', 30, { entrant: 'none', rescuer: 'none' }],
    ['blind_plate', null, { fitter: 'none' }],
    [
      'work_at_height',
      null,
      { worker: ['MEM:height', 'MOHURD:scaffolder'], scaffolder: ['MOHURD:scaffolder', 'MEM:height'] },
    ],
    [
      'lifting',
      null,
      {
        operator: ['SAMR:Q2', 'MOHURD:crane_driver'],
        signaller: ['SAMR:Q1', 'MOHURD:signaller_rigger'],
        rigger: ['SAMR:Q1', 'MOHURD:signaller_rigger'],
      },
    ],
    ['temporary_electricity', null, { electrician: ['MEM:electrical', 'MOHURD:builder_electrician'] }],
    ['excavation', null, { worker: 'none', machine_operator: 'none' }],
    ['road_closure', null, { worker: 'none' }],
  ] as const)('%s: gas analysis %s min before, roles and certificates %j', (type, gas, roles) => {
    const rule = TICKET_TYPE_RULES[type];
    expect(rule.type).toBe(type);
    expect(rule.title).toMatch(/作业 \(.+\)$/);
    expect(['high', 'medium', 'low']).toContain(rule.confidence);
    expect(rule.gasAnalysisMinutesBefore).toBe(gas);
    expect(rule.maxHours).toBeNull(); // no limit the sources give beyond hot work's grades: a tenant setting
    const needs: Record<string, RoleNeeds> = rule.roles;
    expect(
      Object.fromEntries(
        Object.entries(needs).map(([role, n]) => [
          role,
          n.certificates === 'none' ? 'none' : n.certificates.map((q) => `${q.scheme}:${q.category}`),
        ]),
      ),
    ).toEqual(roles);
    // The roles the API accepts for the type are exactly those; an uncertified one says why.
    expect(Object.keys(needs)).toEqual([...TICKET_ROLES[type]]);
    for (const n of Object.values(needs))
      if (n.certificates === 'none') expect(n.source).toMatch(/GB 30871|TSG/);
  });

  it('grades work at height and lifting without limits the sources give', () => {
    expect(TICKET_TYPE_RULES.work_at_height.grades).toEqual({
      '1': { maxHours: null },
      '2': { maxHours: null },
      '3': { maxHours: null },
      special: { maxHours: null },
    });
    expect(TICKET_TYPE_RULES.lifting.grades).toEqual({
      '1': { maxHours: null },
      '2': { maxHours: null },
      '3': { maxHours: null },
    });
    for (const type of [
      'confined_space',
      'blind_plate',
      'temporary_electricity',
      'excavation',
      'road_closure',
    ] as const)
      expect(TICKET_TYPE_RULES[type].grades).toBeNull();
    expect(TICKET_TYPE_RULES.hot_work.source).toMatch(/grade 1 ≤ 24 h/); // the disagreeing source is named
  });
});

describe('edges of the rules', () => {
  it('takes a permit covering exactly the window, not one that ends before the work does', () => {
    const visitor = (to: number) =>
      crew(
        person('welder', {
          homeSiteId: 'nb',
          crossSitePermits: [{ toSiteId: 'zs', from: FROM, to: hoursLater(to) }],
        }),
      );
    expect(codes(draft(), visitor(6))).toEqual([]);
    expect(codes(draft(), visitor(5))).toEqual(['cross_site_permit_required:welder']);
  });

  it('checks the guardian like everyone else, and as a worker among several', () => {
    expect(codes(draft(), crew(person('guard', { frozen: true, certificates: [] })))).toEqual([
      'person_frozen:guard',
    ]);
    const two = draft({
      workers: [
        { personId: 'welder', role: 'welder' },
        { personId: 'guard', role: 'fire_watcher' },
      ],
    });
    expect(codes(two)).toEqual(['guardian_is_worker:guard']);
  });

  it('says which shift is wrong and how: the boundaries of the window and of the next shift', () => {
    const long = { grade: '2', plannedTo: hoursLater(30) };
    const one = (shifts: { from: string; to: string }[]) =>
      dispatchViolations(draft({ ...long, shifts }), crew(), sites, DEFAULT_DISPATCH_SETTINGS);
    // Ending exactly when the permit ends, and back to back: fine.
    expect(one([shift(16, 22), shift(22, 30)])).toEqual([]);
    expect(one([shift(0, 8), shift(25, 31)])).toEqual([
      { code: 'shift_outside_window', detail: { shift: 2 } },
    ]);
    expect(one([shift(4, 4)])).toEqual([{ code: 'shift_outside_window', detail: { shift: 1 } }]);
    expect(one([shift(10, 16), shift(0, 6), shift(15, 20)])).toEqual([
      { code: 'shifts_overlap', detail: { shift: 3 } },
    ]);
  });

  it('names the type’s roles when refusing one it does not list', () => {
    expect(
      dispatchViolations(draft({ workers: [{ personId: 'welder', role: 'rigger' }] }), crew(), sites).filter(
        (v) => v.code === 'role_not_in_type',
      ),
    ).toEqual([
      {
        code: 'role_not_in_type',
        personId: 'welder',
        detail: { role: 'rigger', type: 'hot_work', roles: 'welder, cutter, fire_watcher' },
      },
    ]);
  });

  it('allows a shift of exactly the fatigue limit, and not a minute more', () => {
    expect(codes(draft({ grade: '2', plannedTo: hoursLater(14), shifts: [shift(0, 12)] }))).toEqual([]);
    expect(codes(draft({ grade: '2', plannedTo: hoursLater(14), shifts: [shift(0, 12 + 1 / 60)] }))).toEqual([
      'fatigue_limit',
    ]);
  });

  it('stops at an impossible window: nothing else can be judged', () => {
    expect(codes(draft({ plannedTo: FROM }), crew(person('welder', { frozen: true })))).toEqual([
      'window_invalid',
    ]);
  });

  it('ignores a grade on a type that has none', () => {
    expect(codes(draft({ type: 'confined_space', grade: undefined, workers: [] }))).toEqual([]);
    expect(codes(draft({ type: 'confined_space', grade: '1', workers: [] }))).toEqual([]);
  });
});
