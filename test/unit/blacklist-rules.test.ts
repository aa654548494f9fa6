// The blacklist's rules (O4), table by table: expiry, holds, evidence scope, who may appeal
// and when, what a decision does, and the status a hold lays over the certificates' own.
import { describe, expect, it } from 'vitest';
import {
  APPEAL_DAYS,
  appealProblem,
  BLACKLIST_YEARS,
  type BlacklistEntry,
  entryInForce,
  expiresOnFor,
  feedEntryOf,
  foreignEvidence,
  holdActive,
  holdOf,
  LEGAL_BASIS,
  newEntry,
  noticeFacts,
  partnerOrganisation,
  REASON_CODES,
  stateAfter,
} from '../../functions/domain/blacklist-rules.ts';
import { computePersonStatus, withBlacklist } from '../../functions/domain/status-rules.ts';

const entry = (over: Partial<BlacklistEntry> = {}): BlacklistEntry => ({
  entryId: 'bl_1',
  tenantId: 't',
  personId: 'per_1',
  nameMasked: '赵**',
  subcontractorId: 'sub_1',
  reasonCode: 'forged_certificate',
  legalBasis: LEGAL_BASIS.forged_certificate,
  evidence: [],
  note: '',
  source: { type: 'own' },
  state: 'active',
  createdOn: '2026-12-01',
  expiresOn: '2029-12-01',
  appealBy: '2026-12-31',
  appeals: [],
  decisions: [],
  createdAt: '2026-12-01T02:00:00Z',
  createdBy: 'u',
  version: 1,
  ...over,
});

describe('an entry’s time', () => {
  it('lasts three years to the day, leap days included, and counts until its expiry day', () => {
    expect(BLACKLIST_YEARS).toBe(3);
    expect(APPEAL_DAYS).toBe(30);
    expect(expiresOnFor('2026-12-01')).toBe('2029-12-01');
    expect(expiresOnFor('2028-02-29')).toBe('2031-02-28');
    const hold = holdOf(entry());
    expect(hold).toEqual({
      entryId: 'bl_1',
      reasonCode: 'forged_certificate',
      expiresOn: '2029-12-01',
      source: { type: 'own' },
    });
    expect(holdActive(hold, '2029-11-30')).toBe(true);
    expect(holdActive(hold, '2029-12-01')).toBe(false);
    expect(holdActive(undefined, '2026-12-01')).toBe(false);
    expect(entryInForce(entry(), '2029-11-30')).toBe(true);
    expect(entryInForce(entry(), '2029-12-01')).toBe(false);
    expect(entryInForce(entry({ state: 'removed' }), '2027-01-01')).toBe(false);
    expect(entryInForce(entry({ state: 'appealed' }), '2027-01-01')).toBe(true);
  });

  it('has a legal basis for every reason, naming PIPL Art. 13', () => {
    for (const code of REASON_CODES) expect(LEGAL_BASIS[code]).toContain('个人信息保护法》第十三条');
  });
});

describe('a new entry', () => {
  const base = {
    entryId: 'bl_2',
    person: {
      tenantId: 't',
      personId: 'per_1',
      name: '赵铁柱',
      employer: { type: 'subcontractor', subcontractorId: 'sub_1' },
    },
    reasonCode: 'identity_fraud' as const,
    evidence: ['documents/t/t/p/per_1/x.jpg'],
    note: 'n',
    source: { type: 'own' as const },
    today: '2026-12-02',
    at: '2026-12-02T03:00:00.000Z',
    createdBy: 'u',
  };
  it('runs 3 years, 30 days to appeal, masked, with its legal basis and the subcontractor', () => {
    expect(newEntry(base)).toEqual({
      entryId: 'bl_2',
      tenantId: 't',
      personId: 'per_1',
      nameMasked: '赵**',
      subcontractorId: 'sub_1',
      reasonCode: 'identity_fraud',
      legalBasis: LEGAL_BASIS.identity_fraud,
      evidence: ['documents/t/t/p/per_1/x.jpg'],
      note: 'n',
      source: { type: 'own' },
      state: 'active',
      createdOn: '2026-12-02',
      expiresOn: '2029-12-02',
      appealBy: '2027-01-01',
      appeals: [],
      decisions: [],
      createdAt: '2026-12-02T03:00:00.000Z',
      createdBy: 'u',
      version: 1,
    });
    expect(
      newEntry({ ...base, person: { ...base.person, employer: { type: 'own' } } }).subcontractorId,
    ).toBeUndefined();
  });
  it.each([
    ['2028-01-01', '2028-01-01'], // a partner's sooner expiry
    ['2031-01-01', '2029-12-02'], // never longer than ours
    ['2029-12-02', '2029-12-02'],
  ])('a partner expiry of %s → %s', (notAfter, expiresOn) => {
    expect(newEntry({ ...base, notAfter }).expiresOn).toBe(expiresOn);
  });
});

describe('evidence', () => {
  it.each([
    [['documents/t/t/p/per_1/onb_1/certificate.jpg'], []],
    [['face/t/t/p/per_1/onb_1/reference.jpg'], []],
    [['documents/t/other/p/per_1/x.jpg'], ['documents/t/other/p/per_1/x.jpg']],
    [['documents/t/t2/x.jpg'], ['documents/t/t2/x.jpg']], // a tenant whose id starts like ours
    [['documents/t/t/../other/x.jpg'], ['documents/t/t/../other/x.jpg']],
    [['reports/t/t/x.pdf'], ['reports/t/t/x.pdf']],
    // Another person's images in the same tenant, and keys no upload of ours has.
    [['documents/t/t/p/per_2/onb_1/certificate.jpg'], ['documents/t/t/p/per_2/onb_1/certificate.jpg']],
    [['documents/t/t/p/per_1/onb_1/a\u0000.jpg'], ['documents/t/t/p/per_1/onb_1/a\u0000.jpg']],
    [['documents/t/t/p/per_1//x.jpg'], ['documents/t/t/p/per_1//x.jpg']],
    [['documents/t/t/p/per_1/onb_1/x'], ['documents/t/t/p/per_1/onb_1/x']],
    [['face/t/t/p/per_1/onb 1/x.jpg'], ['face/t/t/p/per_1/onb 1/x.jpg']],
    [['documents/t/t/p/per_1/onb_1/a.jpg\u0000'], ['documents/t/t/p/per_1/onb_1/a.jpg\u0000']],
    [['documents/t/t/p/per_1/onb_1/a.jpg.'], ['documents/t/t/p/per_1/onb_1/a.jpg.']],
    // The product's own deeper keys: a liveness reference under its version.
    [['face/t/t/p/per_1/onb_1/liveness/3/reference.jpg'], []],
  ])('%j → foreign %j', (keys, foreign) => {
    expect(foreignEvidence('t', 'per_1', keys)).toEqual(foreign);
  });
});

describe('who may appeal, and when', () => {
  const me = { role: 'subcontractor', personId: 'per_1' };
  const theirSub = { role: 'subcontractor', subcontractorId: 'sub_1' };
  it.each([
    ['the person, in time', entry(), me, '2026-12-10', undefined],
    ['their subcontractor', entry(), theirSub, '2026-12-10', undefined],
    [
      'another subcontractor',
      entry(),
      { role: 'subcontractor', subcontractorId: 'sub_2' },
      '2026-12-10',
      'not_yours',
    ],
    ['hr on their behalf', entry(), { role: 'hr' }, '2026-12-10', 'not_yours'],
    [
      'a subcontractor, for an own employee',
      entry({ subcontractorId: undefined }),
      theirSub,
      '2026-12-10',
      'not_yours',
    ],
    [
      'someone else’s account',
      entry(),
      { role: 'subcontractor', personId: 'per_2' },
      '2026-12-10',
      'not_yours',
    ],
    ['on the last day', entry(), me, '2026-12-31', undefined],
    ['a day late', entry(), me, '2027-01-01', 'appeal_window_closed'],
    [
      'late, with an appeal already made (a further statement)',
      entry({ appeals: [{ statement: 's', by: { subject: 'x', role: 'r' }, at: 'a' }] }),
      me,
      '2027-01-01',
      undefined,
    ],
    ['removed', entry({ state: 'removed' }), me, '2026-12-10', 'not_in_force'],
    ['expired', entry(), me, '2029-12-01', 'not_in_force'],
  ] as const)('%s → %s', (_, e, principal, today, problem) => {
    expect(appealProblem(e, principal, today)).toBe(problem);
  });

  it('keeps an upheld entry in force and ends a removed one; tells the person facts only', () => {
    expect(stateAfter('uphold')).toBe('active');
    expect(stateAfter('remove')).toBe('removed');
    expect(noticeFacts(entry())).toEqual({
      entryId: 'bl_1',
      reasonCode: 'forged_certificate',
      expiresOn: '2029-12-01',
      appealBy: '2026-12-31',
      sharedWith: 'alliance_pseudonymous',
    });
  });
});

describe('the status under a hold', () => {
  const green = computePersonStatus(
    [
      {
        certificateId: 'c',
        scheme: 'MEM',
        category: 'welding',
        issuedOn: '2025-01-01',
        expiresOn: '2031-01-01',
        reviewDueOn: '2028-01-01',
      },
    ] as never,
    '2026-12-01',
  );
  it('is red and frozen with `blacklisted` first while the hold counts, and untouched after', () => {
    expect(green.color).toBe('green');
    const held = withBlacklist(green, { expiresOn: '2029-12-01' }, '2026-12-01');
    expect(held).toMatchObject({ color: 'red', gateAccess: 'frozen', dispatch: 'frozen' });
    expect(held.reasons[0]).toEqual({ code: 'blacklisted', date: '2029-12-01' });
    expect(held.certificates).toEqual(green.certificates);
    expect(withBlacklist(green, { expiresOn: '2026-12-01' }, '2026-12-01')).toBe(green);
    expect(withBlacklist(green, undefined, '2026-12-01')).toBe(green);
  });

  it.each([
    ['the hold ends before the certificates’ next change', '2027-03-01', '2027-03-01'],
    ['the certificates change first', '2029-12-01', green.nextChangeOn],
    ['on the same day', green.nextChangeOn as string, green.nextChangeOn],
  ])('brings the status back on the earlier of its changes: %s', (_, expiresOn, next) => {
    expect(green.nextChangeOn).toBe('2027-10-03');
    expect(withBlacklist(green, { expiresOn }, '2026-12-01').nextChangeOn).toBe(next);
    // Nothing else due: the hold's end.
    const still = { ...green, nextChangeOn: null };
    expect(withBlacklist(still, { expiresOn }, '2026-12-01').nextChangeOn).toBe(expiresOn);
  });

  it('names the registered partner as the source of a partner’s hold, and no source for the tenant’s own', () => {
    const partner = { type: 'partner', partnerId: 'ptn_1', organisation: '宁波市特种作业行业协会' } as const;
    expect(
      withBlacklist(green, { expiresOn: '2029-12-01', source: partner }, '2026-12-01').reasons[0],
    ).toEqual({
      code: 'blacklisted',
      date: '2029-12-01',
      source: '宁波市特种作业行业协会',
    });
    expect(
      withBlacklist(green, { expiresOn: '2029-12-01', source: { type: 'own' } }, '2026-12-01').reasons[0],
    ).toEqual({ code: 'blacklisted', date: '2029-12-01' });
    expect(partnerOrganisation(partner)).toBe('宁波市特种作业行业协会');
    expect(partnerOrganisation({ type: 'own' })).toBeUndefined();
    expect(partnerOrganisation(undefined)).toBeUndefined();
  });
});

describe('the alliance feed entry', () => {
  it('carries an entry’s change with no name, ID number or evidence: only its pseudonym and facts', () => {
    const entry = newEntry({
      entryId: 'bl_9',
      person: { tenantId: 't', personId: 'per_9', name: '钱多多', employer: { type: 'own' } },
      reasonCode: 'identity_fraud',
      evidence: ['documents/t/t/p/per_9/x.jpg'],
      note: '伪造身份证',
      source: { type: 'own' },
      today: '2026-12-02',
    } as never);
    const feed = feedEntryOf({ ...entry, version: 4 }, 'pseu-1', 'remove', '2026-12-03T01:00:00Z');
    expect(feed).toEqual({
      entryRef: 'bl_9',
      version: 4,
      action: 'remove',
      pseudonym: 'pseu-1',
      reasonCode: 'identity_fraud',
      organisation: 't',
      createdOn: '2026-12-02',
      expiresOn: entry.expiresOn,
      at: '2026-12-03T01:00:00Z',
    });
    expect(JSON.stringify(feed)).not.toMatch(/钱|per_9|documents|伪造/);
  });
});
