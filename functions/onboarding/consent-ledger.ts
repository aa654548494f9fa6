import { findPerson } from '../domain/person.ts';
import { authorize } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { Conflict, Forbidden, InvalidRequest, NotFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { StepOutcome } from './admission.ts';
import {
  CONSENT_PURPOSES,
  type ConsentPurpose,
  type ConsentRecord,
  consentStands,
  currentConsentText,
  knownConsentText,
} from './consent.ts';
import type { OnboardingDeps } from './onboarding-deps.ts';
import { facePrefix } from './onboarding-deps.ts';
import type { OnboardingRecord } from './onboarding-repository.ts';

export function consentTexts(language: 'zh' | 'en') {
  return CONSENT_PURPOSES.map((purpose) => {
    const t = currentConsentText(purpose);
    return { purpose, version: t.version, language, text: t[language] };
  });
}

export type ConsentInput = {
  purpose: ConsentPurpose;
  textVersion: string;
  language: 'zh' | 'en';
  channel: ConsentRecord['channel'];
};

export function checkConsentTexts(consents: readonly ConsentInput[], field: (i: number) => string) {
  const unknown = consents.findIndex((c) => !knownConsentText(c.purpose, c.textVersion));
  if (unknown >= 0)
    throw new InvalidRequest('validation_failed', [
      { field: field(unknown), code: 'consent_text_unknown', message: 'consent_text_unknown' },
    ]);
}

export async function recordConsent(
  deps: OnboardingDeps,
  principal: Principal,
  personId: string,
  body: ConsentInput,
  requestId: string,
) {
  const record: ConsentRecord = {
    consentId: newId('con'),
    purpose: body.purpose,
    textVersion: body.textVersion,
    language: body.language,
    channel: body.channel,
    givenAt: deps.clock.now().toISOString(),
    collectedBy: principal.subject,
  };
  await deps.flows.addConsent(principal, personId, record, requestId);
  return { ...record, personId };
}

export async function giveConsent(
  deps: OnboardingDeps,
  principal: Principal,
  personId: string,
  body: ConsentInput,
  requestId: string,
) {
  authorize(principal, 'consent:write');
  await findPerson(deps.people, principal, personId);
  checkConsentTexts([body], () => 'textVersion');
  return recordConsent(deps, principal, personId, body, requestId);
}

export async function listConsents(deps: OnboardingDeps, principal: Principal, personId: string) {
  authorize(principal, 'consent:read');
  await findPerson(deps.people, principal, personId);
  const records = await deps.flows.consents(principal.tenantId, personId);
  return {
    items: records.map((r) => ({ ...r, personId })),
    standing: CONSENT_PURPOSES.filter((p) => consentStands(records, p)),
  };
}

/**
 * Withdraws the standing consent for a purpose. For face data (PIPL Art. 47: deletion on
 * withdrawal) every face image of the person is deleted from S3 and every flow drops its
 * liveness and face-match results; the step outcomes stay, as the record of a decision.
 */
export async function withdrawConsent(
  deps: OnboardingDeps,
  principal: Principal,
  personId: string,
  purpose: string,
  requestId: string,
) {
  authorize(principal, 'consent:write');
  if (!(CONSENT_PURPOSES as readonly string[]).includes(purpose)) throw new NotFound('consent_not_found');
  await findPerson(deps.people, principal, personId);
  const records = await deps.flows.consents(principal.tenantId, personId);
  const latest = records.filter((r) => r.purpose === purpose).at(-1);
  if (!latest) throw new NotFound('consent_not_found');
  if (latest.withdrawnAt) throw new Conflict('consent_already_withdrawn');
  const now = deps.clock.now().toISOString();
  let deletedImages = 0;
  let flowsCleared = 0;
  if (purpose === 'face') {
    deletedImages = await deps.evidence().deletePrefix(facePrefix(principal.tenantId, personId));
    for (const onboardingId of await deps.flows.flowsOf(principal.tenantId, personId)) {
      const flow = await deps.flows.get(principal.tenantId, onboardingId);
      if (flow && (flow.steps.liveness || flow.steps.faceMatch)) {
        await deps.flows.save(
          principal,
          withoutFaceData(flow, now),
          { action: 'onboarding.face_data_deleted', details: { reason: 'consent_withdrawn' } },
          requestId,
        );
        flowsCleared += 1;
      }
    }
  }
  const withdrawn: ConsentRecord = { ...latest, withdrawnAt: now, withdrawnBy: principal.subject };
  await deps.flows.withdrawConsent(
    principal,
    personId,
    withdrawn,
    { deletedImages, flowsCleared },
    requestId,
  );
  return { ...withdrawn, personId };
}

/** A flow without face data: scores, session ids and image references gone, outcomes kept. */
export function withoutFaceData(flow: OnboardingRecord, now: string): OnboardingRecord {
  const { liveness, faceMatch, ...steps } = flow.steps;
  const bare = (s: StepOutcome | undefined) =>
    s
      ? { status: s.status, ...(s.reason ? { reason: s.reason } : {}), at: s.at, faceDataDeletedAt: now }
      : undefined;
  const l = bare(liveness);
  const f = bare(faceMatch);
  return {
    ...flow,
    steps: { ...steps, ...(l ? { liveness: l } : {}), ...(f ? { faceMatch: f } : {}) },
    updatedAt: now,
    version: flow.version + 1,
  };
}

/** Every purpose must stand; the ledger is read once. */
export async function requireConsent(
  deps: OnboardingDeps,
  tenantId: string,
  personId: string,
  ...purposes: ConsentPurpose[]
) {
  const records = await deps.flows.consents(tenantId, personId);
  const missing = purposes.find((purpose) => !consentStands(records, purpose));
  if (missing) throw new Forbidden('consent_required', { purpose: missing });
}
