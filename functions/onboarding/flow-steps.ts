// What every admission step does around its provider: the flow as the caller sees it,
// opened for a step, the step's outcome saved, an uploaded image fetched with its hash,
// the registry asked.
import { createHash } from 'node:crypto';
import type { Onboarding } from '../../schemas/onboarding.ts';
import type { PersonRecord } from '../domain/person.ts';
import { findPerson } from '../domain/person.ts';
import { authorize, canSeeSubcontractor } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { Conflict, InvalidRequest, NotFound } from '../shared/errors.ts';
import { flowStatus, registryOutcome, type StepOutcome } from './admission.ts';
import type { ConsentPurpose } from './consent.ts';
import { requireConsent } from './consent-ledger.ts';
import type { OnboardingDeps } from './onboarding-deps.ts';
import { documentPrefix, facePrefix } from './onboarding-deps.ts';
import type { OnboardingRecord } from './onboarding-repository.ts';

export function onboardingView(flow: OnboardingRecord): Onboarding {
  const { tenantId: _t, version: _v, createdBy: _c, ...view } = flow;
  return view;
}

/** The flow, if the caller may see its person (another tenant's or scope's: 404). */
export async function visibleFlow(deps: OnboardingDeps, principal: Principal, onboardingId: string) {
  const flow = await deps.flows.get(principal.tenantId, onboardingId);
  if (!flow || !canSeeSubcontractor(principal, flow.subcontractorId))
    throw new NotFound('onboarding_not_found');
  const person = await findPerson(deps.people, principal, flow.personId).catch(() => {
    throw new NotFound('onboarding_not_found');
  });
  return { flow, person };
}

export async function getOnboarding(deps: OnboardingDeps, principal: Principal, onboardingId: string) {
  authorize(principal, 'onboarding:read');
  return onboardingView((await visibleFlow(deps, principal, onboardingId)).flow);
}

/** A flow a step may still change: not decided, with the person's consent standing. */
export async function openFlow(
  deps: OnboardingDeps,
  principal: Principal,
  onboardingId: string,
  consent: ConsentPurpose = 'personal_information',
) {
  authorize(principal, 'onboarding:write');
  const found = await visibleFlow(deps, principal, onboardingId);
  if (found.flow.review || found.flow.status === 'admitted' || found.flow.status === 'refused')
    throw new Conflict('onboarding_closed', { status: found.flow.status });
  await requireConsent(deps, principal.tenantId, found.flow.personId, 'personal_information', consent);
  return found;
}

export async function saveStep(
  deps: OnboardingDeps,
  principal: Principal,
  flow: OnboardingRecord,
  steps: Partial<OnboardingRecord['steps']>,
  action: string,
  requestId: string,
) {
  const merged = { ...flow.steps, ...steps };
  const { status, reason } = flowStatus(merged);
  const next: OnboardingRecord = {
    ...flow,
    steps: merged,
    status,
    ...(reason ? { reason } : {}),
    updatedAt: deps.clock.now().toISOString(),
    version: flow.version + 1,
  };
  if (!reason) delete next.reason;
  const details = Object.fromEntries(
    Object.entries(steps).map(([name, s]) => {
      const step = s as StepOutcome | undefined;
      return [name, { status: step?.status, reason: step?.reason }];
    }),
  );
  await deps.flows.save(principal, next, { action, details: { ...details, flowStatus: status } }, requestId);
  return onboardingView(next);
}

/** An uploaded image of this flow: keys are checked, never trusted (another person's image is not evidence). */
export async function uploadedImage(deps: OnboardingDeps, flow: OnboardingRecord, key: string) {
  const ours = [facePrefix, documentPrefix].some((p) =>
    key.startsWith(`${p(flow.tenantId, flow.personId)}${flow.onboardingId}/`),
  );
  if (!ours || key.includes('..') || key.includes('/liveness/'))
    throw new InvalidRequest('validation_failed', [
      { field: 'imageKey', code: 'image_not_of_flow', message: 'image_not_of_flow' },
    ]);
  const bytes = await deps.evidence().get(key);
  if (!bytes?.length)
    throw new InvalidRequest('validation_failed', [
      { field: 'imageKey', code: 'image_not_uploaded', message: 'image_not_uploaded' },
    ]);
  return { bytes, evidence: { key, sha256: sha256(bytes) } };
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export async function registryStep(
  deps: OnboardingDeps,
  principal: Principal,
  person: PersonRecord,
  certificateId: string,
  requestId: string,
) {
  const { verification } = await deps.registryChecks.verify(principal, person, certificateId, requestId);
  const unavailable = verification.lastAttemptResult === 'unavailable';
  return {
    ...registryOutcome(verification.lastAttemptResult, unavailable),
    ...(unavailable ? {} : { outcome: verification.lastAttemptResult }),
  };
}
