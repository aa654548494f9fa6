// Admission of outside workers (SPEC O1): the flow's use cases over ports. Each step asks
// its provider, keeps the evidence (S3 key, SHA-256, score) and time, and lets
// admission.ts decide what the evidence means. Face steps need the face consent; every
// step needs the personal-information consent (the ledger: consent-ledger.ts). The
// document step and its forgery analysis are document-step.ts.
import { partnerOrganisation } from '../domain/blacklist.ts';
import { holdActive } from '../domain/blacklist-rules.ts';
import type { PersonRecord } from '../domain/person.ts';
import { findPerson } from '../domain/person.ts';
import { ONBOARDING_THRESHOLDS } from '../domain/settings.ts';
import { authorize, canSeeSubcontractor } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { Conflict, Forbidden, InvalidRequest, NotFound, RulesBroken } from '../shared/errors.ts';
import { hashIdNumber, normalizeIdNumber } from '../shared/identity-numbers.ts';
import { newId } from '../shared/ids.ts';
import {
  type FlowStatus,
  faceMatchOutcome,
  flowStatus,
  identityOutcome,
  livenessOutcome,
} from './admission.ts';
import { type ConsentInput, checkConsentTexts, recordConsent, requireConsent } from './consent-ledger.ts';
import { onboardingView, openFlow, saveStep, sha256, uploadedImage, visibleFlow } from './flow-steps.ts';
import type { OnboardingDeps } from './onboarding-deps.ts';
import { documentPrefix, facePrefix, LIVENESS_SESSION_SECONDS, UPLOAD_SECONDS } from './onboarding-deps.ts';
import type { OnboardingRecord } from './onboarding-repository.ts';

export {
  consentTexts,
  giveConsent,
  listConsents,
  withdrawConsent,
  withoutFaceData,
} from './consent-ledger.ts';
export { readDocument } from './document-step.ts';
export { getOnboarding, onboardingView } from './flow-steps.ts';
export { LIVENESS_SESSION_SECONDS, type OnboardingDeps, UPLOAD_SECONDS } from './onboarding-deps.ts';

/**
 * Starts admitting a registered person, or registers a new one as the subcontractor's
 * worker with the consents collected alongside (a paper form, a kiosk). Everything that can
 * be refused is checked before anything is written.
 */
export async function startOnboarding(
  deps: OnboardingDeps,
  principal: Principal,
  body: {
    personId?: string;
    person?: { name: string; idNumber: string; phone?: string; homeSiteId?: string };
    consents?: ConsentInput[];
    subcontractorId: string;
  },
  requestId: string,
) {
  authorize(principal, 'onboarding:write');
  const sub = canSeeSubcontractor(principal, body.subcontractorId)
    ? await deps.subcontractors.get(principal.tenantId, body.subcontractorId)
    : undefined;
  if (!sub) throw new NotFound('subcontractor_not_found');
  const consents = body.consents ?? [];
  if (consents.length) authorize(principal, 'consent:write');
  checkConsentTexts(consents, (i) => `consents.${i}.textVersion`);
  let person: PersonRecord;
  if (body.person) {
    if (!consents.some((c) => c.purpose === 'personal_information'))
      throw new Forbidden('consent_required', { purpose: 'personal_information' });
    person = await deps.register(
      principal,
      { ...body.person, employer: { type: 'subcontractor', subcontractorId: body.subcontractorId } },
      requestId,
    );
  } else {
    person = await findPerson(deps.people, principal, body.personId as string);
    // An outside worker is admitted through the company that employs them, and only that one.
    if (person.employer.subcontractorId !== body.subcontractorId)
      throw new InvalidRequest('validation_failed', [
        {
          field: 'subcontractorId',
          code: 'person_not_of_subcontractor',
          message: 'person_not_of_subcontractor',
        },
      ]);
  }
  // A blacklisted worker is not admitted anywhere in the alliance until the entry ends (O4).
  if (person.blacklist && holdActive(person.blacklist, deps.clock.today()))
    throw new RulesBroken('admission_refused_blacklisted', [
      {
        code: 'person_blacklisted',
        personId: person.personId,
        detail: {
          entryId: person.blacklist.entryId,
          expiresOn: person.blacklist.expiresOn,
          ...(partnerOrganisation(person.blacklist.source)
            ? { organisation: partnerOrganisation(person.blacklist.source) as string }
            : {}),
        },
      },
    ]);
  for (const c of consents) await recordConsent(deps, principal, person.personId, c, requestId);
  await requireConsent(deps, principal.tenantId, person.personId, 'personal_information');
  const now = deps.clock.now().toISOString();
  const flow: OnboardingRecord = {
    tenantId: principal.tenantId,
    onboardingId: newId('onb'),
    personId: person.personId,
    subcontractorId: body.subcontractorId,
    status: 'in_progress',
    steps: {},
    createdAt: now,
    updatedAt: now,
    createdBy: principal.subject,
    version: 1,
  };
  await deps.flows.create(principal, flow, requestId);
  return onboardingView(flow);
}

export async function createUpload(
  deps: OnboardingDeps,
  principal: Principal,
  onboardingId: string,
  body: { kind: 'id_card' | 'certificate'; contentType: 'image/jpeg' | 'image/png' },
) {
  const { flow } = await openFlow(deps, principal, onboardingId);
  const extension = body.contentType === 'image/png' ? 'png' : 'jpg';
  const prefix = body.kind === 'id_card' ? facePrefix : documentPrefix;
  const key = `${prefix(principal.tenantId, flow.personId)}${flow.onboardingId}/${body.kind}-${newId('ver').slice(4)}.${extension}`;
  const expiresAt = new Date(deps.clock.now().getTime() + UPLOAD_SECONDS * 1000).toISOString();
  const uploadUrl = await deps.evidence().uploadUrl(key, body.contentType, UPLOAD_SECONDS);
  return { key, uploadUrl, contentType: body.contentType, expiresAt };
}

export async function startLiveness(
  deps: OnboardingDeps,
  principal: Principal,
  onboardingId: string,
  requestId: string,
) {
  const { flow } = await openFlow(deps, principal, onboardingId, 'face');
  if (flow.steps.liveness?.status === 'passed') throw new Conflict('liveness_already_passed');
  const now = deps.clock.now();
  // One attempt per version: a retried request (same version) gets the same session.
  const { sessionId } = await deps.liveness().createSession({
    clientToken: `${flow.onboardingId}-${flow.version}`,
    output: {
      bucket: deps.evidence().bucket,
      prefix: `${facePrefix(flow.tenantId, flow.personId)}${flow.onboardingId}/liveness/${flow.version}/`,
    },
  });
  await saveStep(
    deps,
    principal,
    flow,
    { liveness: { status: 'pending', sessionId, at: now.toISOString() } },
    'onboarding.liveness_started',
    requestId,
  );
  return { sessionId, expiresAt: new Date(now.getTime() + LIVENESS_SESSION_SECONDS * 1000).toISOString() };
}

export async function fetchLiveness(
  deps: OnboardingDeps,
  principal: Principal,
  onboardingId: string,
  requestId: string,
) {
  const { flow } = await openFlow(deps, principal, onboardingId, 'face');
  const step = flow.steps.liveness;
  if (!step?.sessionId) throw new Conflict('liveness_not_started');
  // A result once read is final for that session: asking again changes nothing.
  if (step.status !== 'pending') return onboardingView(flow);
  const result = await deps.liveness().sessionResult(step.sessionId);
  const thresholds = await deps.settings.read(flow.tenantId, ONBOARDING_THRESHOLDS);
  const outcome = livenessOutcome(result, thresholds.livenessConfidence);
  if (outcome.status === 'pending') return onboardingView(flow);
  const reference = result.referenceImage ? await deps.evidence().get(result.referenceImage.key) : undefined;
  return saveStep(
    deps,
    principal,
    flow,
    {
      liveness: {
        ...outcome,
        sessionId: step.sessionId,
        at: deps.clock.now().toISOString(),
        ...(result.confidence === undefined ? {} : { confidence: result.confidence }),
        ...(result.referenceImage && reference
          ? { referenceImage: { key: result.referenceImage.key, sha256: sha256(reference) } }
          : {}),
      },
    },
    'onboarding.liveness_result',
    requestId,
  );
}

export async function matchFace(
  deps: OnboardingDeps,
  principal: Principal,
  onboardingId: string,
  imageKey: string,
  requestId: string,
) {
  const { flow } = await openFlow(deps, principal, onboardingId, 'face');
  const reference = flow.steps.liveness?.status === 'passed' ? flow.steps.liveness.referenceImage : undefined;
  if (!reference) throw new Conflict('liveness_required');
  const image = await uploadedImage(deps, flow, imageKey);
  const bucket = deps.evidence().bucket;
  const { similarity } = await deps
    .faces()
    .compare({ bucket, key: reference.key }, { bucket, key: imageKey });
  const thresholds = await deps.settings.read(flow.tenantId, ONBOARDING_THRESHOLDS);
  return saveStep(
    deps,
    principal,
    flow,
    {
      faceMatch: {
        ...faceMatchOutcome(similarity, thresholds.faceSimilarity),
        at: deps.clock.now().toISOString(),
        ...(similarity === undefined ? {} : { similarity }),
        image: image.evidence,
      },
    },
    'onboarding.face_match',
    requestId,
  );
}

export async function checkIdentity(
  deps: OnboardingDeps,
  principal: Principal,
  onboardingId: string,
  idNumber: string,
  requestId: string,
) {
  const { flow, person } = await openFlow(deps, principal, onboardingId);
  const normalized = normalizeIdNumber(idNumber);
  // The number read off the card must be the one the person was registered with.
  if (hashIdNumber(normalized, await deps.idHashKey()) !== person.idHash)
    throw new InvalidRequest('validation_failed', [
      { field: 'idNumber', code: 'id_number_not_persons', message: 'id_number_not_persons' },
    ]);
  const answer = await deps.identity().verify(person.name, normalized);
  return saveStep(
    deps,
    principal,
    flow,
    { identity: { ...identityOutcome(answer), at: deps.clock.now().toISOString() } },
    'onboarding.identity',
    requestId,
  );
}

/** A person's final decision on a flow that waits for one or was refused on evidence. */
export async function reviewOnboarding(
  deps: OnboardingDeps,
  principal: Principal,
  onboardingId: string,
  body: { decision: 'admit' | 'refuse'; note: string },
  requestId: string,
) {
  authorize(principal, 'onboarding:review');
  const { flow } = await visibleFlow(deps, principal, onboardingId);
  const reviewable: FlowStatus[] = ['review', 'refused'];
  if (flow.review || !reviewable.includes(flow.status))
    throw new Conflict('onboarding_not_reviewable', { status: flow.status });
  const at = deps.clock.now().toISOString();
  const review = { decision: body.decision, note: body.note, by: principal.subject, at };
  const { status, reason } = flowStatus(flow.steps, review);
  const next: OnboardingRecord = {
    ...flow,
    review,
    status,
    updatedAt: at,
    version: flow.version + 1,
  };
  if (reason) next.reason = reason;
  else delete next.reason;
  await deps.flows.save(
    principal,
    next,
    { action: 'onboarding.review', details: { decision: body.decision, previous: flow.status } },
    requestId,
  );
  return onboardingView(next);
}
