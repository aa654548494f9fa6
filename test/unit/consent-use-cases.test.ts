// The consent ledger of admission (O1, PIPL) as use cases against in-memory fakes: consent
// given for a known text only, what stands listed, a withdrawal of the face consent deleting
// every face image and the flows' face results (the decisions kept), and a step that needs a
// consent refused once it is withdrawn.
import { describe, expect, it } from 'vitest';
import { type ConsentRecord, currentConsentText } from '../../functions/onboarding/consent.ts';
import {
  consentTexts,
  giveConsent,
  listConsents,
  requireConsent,
  withdrawConsent,
} from '../../functions/onboarding/consent-ledger.ts';
import type { OnboardingDeps } from '../../functions/onboarding/onboarding-deps.ts';
import type { OnboardingRecord } from '../../functions/onboarding/onboarding-repository.ts';
import { registerPerson } from '../../functions/people/people.ts';
import type { Actor } from '../../functions/shared/audit.ts';
import { callerIn, recordFakes } from '../support/fakes.ts';
import { newIdNumber } from '../support/fixtures.ts';

const as = callerIn('acme');
const hr = as('hr');

async function world() {
  const f = recordFakes('2026-06-01T02:00:00Z');
  const consents = new Map<string, ConsentRecord[]>();
  const flows = new Map<string, OnboardingRecord>();
  const saved: { action: string; flow: OnboardingRecord }[] = [];
  const deletedPrefixes: string[] = [];
  const images = new Set<string>();
  const used = {
    flows: {
      consents: async (_t: string, personId: string) => structuredClone(consents.get(personId) ?? []),
      addConsent: async (_a: Actor, personId: string, record: ConsentRecord) => {
        consents.set(personId, [...(consents.get(personId) ?? []), record]);
      },
      withdrawConsent: async (_a: Actor, personId: string, withdrawn: ConsentRecord) => {
        consents.set(
          personId,
          (consents.get(personId) ?? []).map((r) => (r.consentId === withdrawn.consentId ? withdrawn : r)),
        );
      },
      flowsOf: async (_t: string, personId: string) =>
        [...flows.values()].filter((x) => x.personId === personId).map((x) => x.onboardingId),
      get: async (_t: string, id: string) => structuredClone(flows.get(id)),
      save: async (_a: Actor, flow: OnboardingRecord, audit: { action: string }) => {
        flows.set(flow.onboardingId, flow);
        saved.push({ action: audit.action, flow });
      },
    },
    evidence: () => ({
      deletePrefix: async (prefix: string) => {
        deletedPrefixes.push(prefix);
        const gone = [...images].filter((k) => k.startsWith(prefix));
        for (const k of gone) images.delete(k);
        return gone.length;
      },
    }),
    people: f.people,
    clock: f.clock,
  };
  const deps = new Proxy(used, {
    get: (target, name) => {
      if (name in target) return target[name as keyof typeof target];
      throw new Error(`the consent use cases used deps.${String(name)}, which this fake does not have`);
    },
  }) as unknown as OnboardingDeps;
  const person = await registerPerson(f, hr, { name: '外包焊工', idNumber: newIdNumber() }, 'r');
  const consent = (purpose: 'personal_information' | 'face' | 'alliance_sharing') => ({
    purpose,
    textVersion: currentConsentText(purpose).version,
    language: 'zh' as const,
    channel: 'app' as const,
  });
  return { f, deps, consents, flows, saved, deletedPrefixes, images, person, consent };
}

describe('the consent ledger (use cases, fakes)', () => {
  it('records consent for a known text only, and lists what stands', async () => {
    const w = await world();
    const given = await giveConsent(w.deps, hr, w.person.personId, w.consent('face'), 'r');
    expect(given).toMatchObject({ purpose: 'face', personId: w.person.personId, collectedBy: 'hr-1' });
    await expect(
      giveConsent(
        w.deps,
        hr,
        w.person.personId,
        { ...w.consent('personal_information'), textVersion: '1999-01' },
        'r',
      ),
    ).rejects.toMatchObject({
      status: 400,
      fieldErrors: [expect.objectContaining({ code: 'consent_text_unknown' })],
    });
    const listed = await listConsents(w.deps, as('auditor'), w.person.personId);
    expect(listed.standing).toEqual(['face']);
    expect(listed.items).toHaveLength(1);
  });

  it('withdraws the face consent: every face image deleted, the flows’ face results dropped, decisions kept', async () => {
    const w = await world();
    const pid = w.person.personId;
    await giveConsent(w.deps, hr, pid, w.consent('face'), 'r');
    await giveConsent(w.deps, hr, pid, w.consent('personal_information'), 'r');
    w.images.add(`face/t/acme/p/${pid}/onb_1/liveness/ref.jpg`);
    w.images.add(`face/t/acme/p/${pid}/onb_1/card.jpg`);
    w.images.add(`documents/t/acme/p/${pid}/onb_1/cert.jpg`);
    w.flows.set('onb_1', {
      onboardingId: 'onb_1',
      tenantId: 'acme',
      personId: pid,
      status: 'admitted',
      steps: {
        liveness: { status: 'passed', at: 'x', confidence: 97, sessionId: 's-1' },
        faceMatch: { status: 'passed', at: 'x', similarity: 99 },
        identity: { status: 'passed', at: 'x' },
      },
      version: 3,
    } as unknown as OnboardingRecord);
    const withdrawn = await withdrawConsent(w.deps, hr, pid, 'face', 'r');
    expect(withdrawn).toMatchObject({ purpose: 'face', withdrawnBy: 'hr-1' });
    expect(w.deletedPrefixes).toEqual([`face/t/acme/p/${pid}/`]);
    expect([...w.images]).toEqual([`documents/t/acme/p/${pid}/onb_1/cert.jpg`]);
    const flow = w.flows.get('onb_1') as unknown as {
      steps: Record<string, Record<string, unknown>>;
      version: number;
    };
    expect(flow.steps.liveness).toEqual({ status: 'passed', at: 'x', faceDataDeletedAt: expect.any(String) });
    expect(flow.steps.faceMatch).not.toHaveProperty('similarity');
    expect(flow.steps.identity).toEqual({ status: 'passed', at: 'x' });
    expect(flow.version).toBe(4);
    expect(w.saved.map((s) => s.action)).toEqual(['onboarding.face_data_deleted']);
    expect((await listConsents(w.deps, hr, pid)).standing).toEqual(['personal_information']);
    // A step that needs the face consent is refused now; the other consent still stands.
    await expect(requireConsent(w.deps, 'acme', pid, 'face')).rejects.toMatchObject({
      status: 403,
      detailCode: 'consent_required',
    });
    await expect(requireConsent(w.deps, 'acme', pid, 'personal_information')).resolves.toBeUndefined();
    await expect(withdrawConsent(w.deps, hr, pid, 'face', 'r')).rejects.toMatchObject({ status: 409 });
  });

  it('withdraws another purpose without touching any image; refuses what was never given or is unknown', async () => {
    const w = await world();
    const pid = w.person.personId;
    await giveConsent(w.deps, hr, pid, w.consent('alliance_sharing'), 'r');
    await withdrawConsent(w.deps, hr, pid, 'alliance_sharing', 'r');
    expect(w.deletedPrefixes).toEqual([]);
    await expect(withdrawConsent(w.deps, hr, pid, 'face', 'r')).rejects.toMatchObject({ status: 404 });
    await expect(withdrawConsent(w.deps, hr, pid, 'marketing', 'r')).rejects.toMatchObject({ status: 404 });
  });

  it('keeps roles and tenants to their own', async () => {
    const w = await world();
    const pid = w.person.personId;
    await expect(giveConsent(w.deps, as('auditor'), pid, w.consent('face'), 'r')).rejects.toMatchObject({
      status: 403,
    });
    await expect(listConsents(w.deps, as('worker', { personId: 'per_x' }), pid)).rejects.toMatchObject({
      status: 403,
    });
    await expect(
      giveConsent(w.deps, callerIn('other')('hr'), pid, w.consent('face'), 'r'),
    ).rejects.toMatchObject({ status: 404 });
    expect(w.consents.size).toBe(0);
  });
});

describe('the consent ledger, in detail (use cases, fakes)', () => {
  it('shows every purpose’s current text in the language asked for', () => {
    const zh = consentTexts('zh');
    const en = consentTexts('en');
    expect(zh.map((t) => t.purpose)).toEqual(['personal_information', 'face', 'alliance_sharing']);
    for (const [i, t] of zh.entries()) {
      const current = currentConsentText(t.purpose);
      expect(t).toEqual({ purpose: t.purpose, version: current.version, language: 'zh', text: current.zh });
      expect(en[i]).toEqual({
        purpose: t.purpose,
        version: current.version,
        language: 'en',
        text: current.en,
      });
      expect(t.text).not.toBe(en[i]?.text);
    }
  });

  it('answers each refusal with its code: an unknown text names its field, a missing or withdrawn consent says so', async () => {
    const w = await world();
    const pid = w.person.personId;
    await expect(
      giveConsent(w.deps, hr, pid, { ...w.consent('face'), textVersion: '1999-01' }, 'r'),
    ).rejects.toMatchObject({
      detailCode: 'validation_failed',
      fieldErrors: [{ field: 'textVersion', code: 'consent_text_unknown', message: 'consent_text_unknown' }],
    });
    await expect(withdrawConsent(w.deps, hr, pid, 'face', 'r')).rejects.toMatchObject({
      detailCode: 'consent_not_found',
    });
    await expect(withdrawConsent(w.deps, hr, pid, 'marketing', 'r')).rejects.toMatchObject({
      detailCode: 'consent_not_found',
    });
    await giveConsent(w.deps, hr, pid, w.consent('face'), 'r');
    await withdrawConsent(w.deps, hr, pid, 'face', 'r');
    await expect(withdrawConsent(w.deps, hr, pid, 'face', 'r')).rejects.toMatchObject({
      detailCode: 'consent_already_withdrawn',
    });
    await expect(requireConsent(w.deps, 'acme', pid, 'personal_information', 'face')).rejects.toMatchObject({
      params: { purpose: 'personal_information' },
    });
  });

  it('lists each record with its person and id', async () => {
    const w = await world();
    const pid = w.person.personId;
    const given = await giveConsent(w.deps, hr, pid, w.consent('alliance_sharing'), 'r');
    expect(given.consentId).toMatch(/^con_/);
    const listed = await listConsents(w.deps, hr, pid);
    expect(listed.items).toEqual([given]);
  });

  it('clears face results from the flows that have them only, and keeps a step’s reason', async () => {
    const w = await world();
    const pid = w.person.personId;
    await giveConsent(w.deps, hr, pid, w.consent('face'), 'r');
    const flow = (id: string, steps: Record<string, unknown>) =>
      ({ onboardingId: id, tenantId: 'acme', personId: pid, status: 'refused', steps, version: 1 }) as never;
    w.flows.set(
      'onb_a',
      flow('onb_a', { faceMatch: { status: 'failed', reason: 'face_mismatch', at: 'x', similarity: 41 } }),
    );
    w.flows.set('onb_b', flow('onb_b', { identity: { status: 'passed', at: 'x' } }));
    await withdrawConsent(w.deps, hr, pid, 'face', 'r');
    expect(w.saved.map((s) => s.flow.onboardingId)).toEqual(['onb_a']);
    const cleared = w.flows.get('onb_a') as unknown as { steps: Record<string, unknown> };
    expect(cleared.steps.faceMatch).toEqual({
      status: 'failed',
      reason: 'face_mismatch',
      at: 'x',
      faceDataDeletedAt: w.f.clock.now().toISOString(),
    });
    expect(cleared.steps).not.toHaveProperty('liveness');
  });
});
