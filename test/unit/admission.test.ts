// The admission rules (SPEC O1) and the consent ledger's, table by table.
import { describe, expect, it } from 'vitest';
import {
  certificateFields,
  DEFAULT_ONBOARDING_THRESHOLDS,
  documentOutcome,
  faceMatchOutcome,
  flowStatus,
  identityOutcome,
  livenessOutcome,
  registryOutcome,
  type StepName,
  type StepOutcome,
} from '../../functions/onboarding/admission.ts';
import {
  CONSENT_PURPOSES,
  CONSENT_TEXTS,
  type ConsentRecord,
  consentStands,
  currentConsentText,
  knownConsentText,
} from '../../functions/onboarding/consent.ts';

const ID = '11010519491231002X';
const OTHER_ID = '110105198001010016';

describe('liveness outcome against the tenant threshold', () => {
  it.each([
    [{ status: 'SUCCEEDED', confidence: 90 }, 90, { status: 'passed' }],
    [{ status: 'SUCCEEDED', confidence: 89.99 }, 90, { status: 'failed', reason: 'liveness_low_confidence' }],
    [{ status: 'SUCCEEDED' }, 90, { status: 'failed', reason: 'liveness_low_confidence' }],
    [{ status: 'SUCCEEDED' }, 0, { status: 'passed' }],
    [{ status: 'FAILED', confidence: 99 }, 90, { status: 'failed', reason: 'liveness_failed' }],
    [{ status: 'EXPIRED' }, 90, { status: 'failed', reason: 'liveness_session_expired' }],
    [{ status: 'CREATED' }, 90, { status: 'pending' }],
    [{ status: 'IN_PROGRESS' }, 90, { status: 'pending' }],
  ] as const)('%j at %i → %j', (result, threshold, expected) => {
    expect(livenessOutcome(result, threshold)).toEqual(expected);
  });
});

describe('face match outcome: never a refusal on a score', () => {
  it.each([
    [99.2, 95, { status: 'passed' }],
    [95, 95, { status: 'passed' }],
    [94.9, 95, { status: 'review', reason: 'face_similarity_low' }],
    [0, 95, { status: 'review', reason: 'face_similarity_low' }],
    [undefined, 95, { status: 'review', reason: 'face_not_found' }],
    [0, 0, { status: 'passed' }],
  ] as const)('similarity %s at %i → %j', (similarity, threshold, expected) => {
    expect(faceMatchOutcome(similarity, threshold)).toEqual(expected);
  });

  it('defaults to a liveness confidence of 90 and a similarity of 95', () => {
    expect(DEFAULT_ONBOARDING_THRESHOLDS).toEqual({
      livenessConfidence: 90,
      faceSimilarity: 95,
      forgeryRisk: 60,
      registryMaxAgeHours: 24,
    });
  });
});

describe('what can be read off a certificate', () => {
  it.each([
    [
      'a MEM number with OCR spaces',
      [`证号 T${ID.slice(0, 6)} ${ID.slice(6)}`],
      { certificateNumber: `T${ID}`, idNumber: ID, dates: [] },
    ],
    [
      'a lower-case MEM number, full-width digits',
      [`t${ID.toLowerCase()}`.replace('1', '１')],
      { certificateNumber: `T${ID}`, idNumber: ID, dates: [] },
    ],
    ['a bare ID number', [`公民身份号码 ${ID}`], { idNumber: ID, dates: [] }],
    [
      'a bare ID number in OCR groups, followed by text',
      [`${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)} 男`],
      { idNumber: ID, dates: [] },
    ],
    ['an invalid ID number is not one', [`${ID.slice(0, 17)}1`], { dates: [] }],
    ['an ID number glued to letters is not one', [`AB${ID}`], { dates: [] }],
    ['an ID number glued to digits is not one', [`9${ID}`], { dates: [] }],
    [
      'dates in several notations, sorted, deduplicated',
      ['有效期 2031.05.04', '初领 2025-5-4', '2025年05月04日', 'x 2031/05/04'],
      { dates: ['2025-05-04', '2031-05-04'] },
    ],
    ['impossible dates are dropped', ['2025-02-30', '2025-13-01'], { dates: [] }],
    ['nothing readable', ['特种作业操作证'], { dates: [] }],
    [
      'a MEM number whose ID part is invalid: number kept, ID taken from elsewhere',
      [`T${ID.slice(0, 17)}1`, OTHER_ID],
      { certificateNumber: `T${ID.slice(0, 17)}1`, idNumber: OTHER_ID, dates: [] },
    ],
    [
      'several lines joined',
      [`T${ID}`, '2024-01-01', '2030-01-01'],
      { certificateNumber: `T${ID}`, idNumber: ID, dates: ['2024-01-01', '2030-01-01'] },
    ],
  ])('%s', (_, lines, expected) => {
    expect(certificateFields(lines)).toEqual(expected);
  });

  it('prefers the QR payload to OCR, field by field', () => {
    const ocr = [`T${OTHER_ID}`, '2024-01-01'];
    expect(certificateFields(ocr, `T${ID}|2025-01-01|2031-01-01`)).toEqual({
      certificateNumber: `T${ID}`,
      idNumber: ID,
      dates: ['2025-01-01', '2031-01-01'],
    });
    // A QR with no dates leaves OCR's dates; one with only an ID number keeps OCR's number.
    expect(certificateFields(ocr, `ID ${ID}`)).toEqual({
      certificateNumber: `T${OTHER_ID}`,
      idNumber: ID,
      dates: ['2024-01-01'],
    });
    expect(certificateFields(['2024-01-01'], 'https://example.invalid/x')).toEqual({ dates: ['2024-01-01'] });
  });
});

describe('document outcome: what was read against what was typed', () => {
  const typed = { issuedOn: '2025-01-01', expiresOn: '2031-01-01' };
  const both = ['2025-01-01', '2031-01-01'] as never[];
  it.each([
    [
      'all agree',
      { numberMatches: true, idNumberMatches: true, dates: both },
      { status: 'passed', mismatches: [], unreadable: [] },
    ],
    [
      'number of someone else',
      { numberMatches: false, idNumberMatches: true, dates: both },
      {
        status: 'failed',
        reason: 'document_names_someone_else',
        mismatches: ['certificate_number'],
        unreadable: [],
      },
    ],
    [
      'ID of someone else',
      { numberMatches: true, idNumberMatches: false, dates: both },
      { status: 'failed', reason: 'document_names_someone_else', mismatches: ['id_number'], unreadable: [] },
    ],
    [
      'someone else and other dates',
      { numberMatches: false, idNumberMatches: false, dates: ['2020-01-01'] },
      {
        status: 'failed',
        reason: 'document_names_someone_else',
        mismatches: ['certificate_number', 'id_number', 'dates'],
        unreadable: [],
      },
    ],
    [
      'nothing identifying read',
      { dates: both },
      {
        status: 'review',
        reason: 'document_unreadable',
        mismatches: [],
        unreadable: ['certificate_number', 'id_number'],
      },
    ],
    [
      'nothing at all read',
      { dates: [] },
      {
        status: 'review',
        reason: 'document_unreadable',
        mismatches: [],
        unreadable: ['certificate_number', 'id_number', 'dates'],
      },
    ],
    [
      'number only, no dates: passes, dates noted unreadable',
      { numberMatches: true, dates: [] },
      { status: 'passed', mismatches: [], unreadable: ['id_number', 'dates'] },
    ],
    [
      'ID only, matching',
      { idNumberMatches: true, dates: both },
      { status: 'passed', mismatches: [], unreadable: ['certificate_number'] },
    ],
    [
      'expiry differs',
      { numberMatches: true, idNumberMatches: true, dates: ['2025-01-01', '2032-01-01'] },
      { status: 'review', reason: 'document_dates_differ', mismatches: ['dates'], unreadable: [] },
    ],
    [
      'issue date differs',
      { numberMatches: true, idNumberMatches: true, dates: ['2024-12-31', '2031-01-01'] },
      { status: 'review', reason: 'document_dates_differ', mismatches: ['dates'], unreadable: [] },
    ],
    [
      'extra dates read beside both typed ones',
      { numberMatches: true, idNumberMatches: true, dates: ['2020-06-01', ...both] },
      { status: 'passed', mismatches: [], unreadable: [] },
    ],
  ] as const)('%s', (_, comparison, expected) => {
    expect(documentOutcome({ ...typed, ...comparison, dates: [...comparison.dates] })).toEqual(expected);
  });
});

describe('registry and identity outcomes', () => {
  it.each([
    ['valid', false, { status: 'passed' }],
    ['name_review', false, { status: 'review', reason: 'registry_name_review' }],
    ['mismatch', false, { status: 'review', reason: 'registry_mismatch' }],
    ['expired', false, { status: 'failed', reason: 'registry_expired' }],
    ['revoked', false, { status: 'failed', reason: 'registry_revoked' }],
    ['not_found', false, { status: 'failed', reason: 'registry_not_found' }],
    [undefined, false, { status: 'failed', reason: 'registry_no_answer' }],
    ['valid', true, { status: 'pending', reason: 'registry_unavailable' }],
  ] as const)('registry %s (unavailable %s) → %j', (outcome, unavailable, expected) => {
    expect(registryOutcome(outcome, unavailable)).toEqual(expected);
  });

  it.each([
    ['match', { status: 'passed' }],
    ['no_match', { status: 'failed', reason: 'identity_no_match' }],
    ['unavailable', { status: 'pending', reason: 'identity_unavailable' }],
  ] as const)('identity %s → %j', (answer, expected) => {
    expect(identityOutcome(answer)).toEqual(expected);
  });
});

describe('the flow’s status', () => {
  const at = '2026-12-01T08:00:00Z';
  const s = (status: StepOutcome['status'], reason?: string): StepOutcome => ({
    status,
    at,
    ...(reason ? { reason } : {}),
  });
  const all = (status: StepOutcome['status']) =>
    Object.fromEntries(
      ['liveness', 'faceMatch', 'document', 'registry', 'identity'].map((n) => [n, s(status)]),
    ) as Record<StepName, StepOutcome>;
  it.each([
    ['nothing yet', {}, undefined, { status: 'in_progress' }],
    ['all passed', all('passed'), undefined, { status: 'admitted' }],
    [
      'four passed, one missing',
      { ...all('passed'), identity: undefined },
      undefined,
      { status: 'in_progress' },
    ],
    [
      'one pending',
      { ...all('passed'), registry: s('pending', 'registry_unavailable') },
      undefined,
      { status: 'in_progress' },
    ],
    [
      'one under review',
      { ...all('passed'), faceMatch: s('review', 'face_similarity_low') },
      undefined,
      { status: 'review' },
    ],
    [
      'review beats pending',
      { liveness: s('pending'), faceMatch: s('review') },
      undefined,
      { status: 'review' },
    ],
    [
      'a failure beats a review',
      { faceMatch: s('review'), identity: s('failed', 'identity_no_match') },
      undefined,
      { status: 'refused', reason: 'identity_no_match' },
    ],
    [
      'the first failed step in order names the reason',
      { liveness: s('failed', 'liveness_failed'), document: s('failed', 'document_names_someone_else') },
      undefined,
      { status: 'refused', reason: 'liveness_failed' },
    ],
    [
      'a failure without its reason',
      { registry: s('failed') },
      undefined,
      { status: 'refused', reason: 'registry_failed' },
    ],
    [
      'a reviewer admits a refused flow',
      { liveness: s('failed', 'liveness_failed') },
      { decision: 'admit' },
      { status: 'admitted' },
    ],
    [
      'a reviewer refuses a clean flow',
      all('passed'),
      { decision: 'refuse' },
      { status: 'refused', reason: 'refused_on_review' },
    ],
  ] as const)('%s', (_, steps, review, expected) => {
    expect(flowStatus(steps as Partial<Record<StepName, StepOutcome>>, review)).toEqual(expected);
  });
});

describe('the consent ledger', () => {
  const r = (purpose: ConsentRecord['purpose'], givenAt: string, withdrawnAt?: string): ConsentRecord => ({
    consentId: `con_${givenAt}`,
    purpose,
    textVersion: '2026-12-01',
    language: 'zh',
    channel: 'app',
    givenAt,
    collectedBy: 'hr-1',
    ...(withdrawnAt ? { withdrawnAt, withdrawnBy: 'hr-1' } : {}),
  });
  it.each([
    ['never given', [], 'face', false],
    ['given', [r('face', '2026-01-01')], 'face', true],
    ['given for another purpose only', [r('personal_information', '2026-01-01')], 'face', false],
    ['withdrawn', [r('face', '2026-01-01', '2026-02-01')], 'face', false],
    [
      'given again after a withdrawal',
      [r('face', '2026-03-01'), r('face', '2026-01-01', '2026-02-01')],
      'face',
      true,
    ],
    [
      'withdrawn after being given twice',
      [r('face', '2026-01-01'), r('face', '2026-03-01', '2026-04-01')],
      'face',
      false,
    ],
  ] as const)('%s → %s', (_, records, purpose, stands) => {
    expect(consentStands(records, purpose)).toBe(stands);
  });

  it('has a current text in both languages for every purpose, and knows only the versions it has', () => {
    for (const purpose of CONSENT_PURPOSES) {
      const text = currentConsentText(purpose);
      expect(text.purpose).toBe(purpose);
      expect(text.zh.length).toBeGreaterThan(40);
      expect(text.en.length).toBeGreaterThan(40);
      expect(knownConsentText(purpose, text.version)).toBe(true);
    }
    expect(knownConsentText('face', '2000-01-01')).toBe(false);
    expect(knownConsentText('marketing' as never, '2026-12-01')).toBe(false);
    expect(currentConsentText('face').version).toBe('2026-12-01');
    expect(knownConsentText('alliance_sharing', CONSENT_TEXTS[0]?.version as string)).toBe(true);
    // Face consent names the data as sensitive, as PIPL Art. 29 wants it said.
    expect(currentConsentText('face').zh).toContain('敏感个人信息');
  });
});
