// The onboarding function: HTTP entry only; the use cases are in onboarding.ts.
import * as routes from '../../schemas/routes/onboarding.ts';
import { apiHandler } from '../api-handler.ts';
import { recordForgery } from '../certificates/certificates.ts';
import * as root from '../composition-root.ts';
import { registerPerson } from '../people/people.ts';
import { on } from '../shared/http/handler.ts';
import * as onboarding from './onboarding.ts';

const providers = root.admissionProviders();
const peopleDeps = {
  people: root.personRepository(),
  idHashKey: root.idHashKey(),
  pseudonyms: root.pseudonyms(),
  onRegistered: root.allianceOnRegistration(),
  clock: root.clock(),
};
const deps: onboarding.OnboardingDeps = {
  flows: root.onboardingRepository(),
  people: root.personRepository(),
  subcontractors: root.subcontractorRepository(),
  settings: root.settingsRepository(),
  ...providers,
  numbers: root.certificateNumbers(),
  idHashKey: root.idHashKey(),
  register: (principal, person, requestId) => registerPerson(peopleDeps, principal, person, requestId),
  certificates: root.certificateRepository(),
  recordForgery: (principal, personId, certificateId, next, action, requestId) =>
    recordForgery(root.verificationAdapters(), principal, personId, certificateId, next, action, requestId),
  registryChecks: root.registryChecks(),
  clock: root.clock(),
};

export const handler = apiHandler([
  on(routes.listConsentTexts, async ({ lang }) => ({
    status: 200,
    body: { items: onboarding.consentTexts(lang) },
  })),
  on(routes.giveConsent, async ({ principal, params, body, requestId }) => {
    const consent = await onboarding.giveConsent(deps, principal, params.personId, body, requestId);
    return {
      status: 201,
      body: consent,
      headers: { location: `/people/${params.personId}/consents` },
    };
  }),
  on(routes.listConsents, async ({ principal, params }) => ({
    status: 200,
    body: await onboarding.listConsents(deps, principal, params.personId),
  })),
  on(routes.withdrawConsent, async ({ principal, params, requestId }) => ({
    status: 200,
    body: await onboarding.withdrawConsent(deps, principal, params.personId, params.purpose, requestId),
  })),
  on(routes.startOnboarding, async ({ principal, body, requestId }) => {
    const flow = await onboarding.startOnboarding(deps, principal, body, requestId);
    return { status: 201, body: flow, headers: { location: `/onboarding/${flow.onboardingId}` } };
  }),
  on(routes.getOnboarding, async ({ principal, params }) => ({
    status: 200,
    body: await onboarding.getOnboarding(deps, principal, params.onboardingId),
  })),
  on(routes.createOnboardingUpload, async ({ principal, params, body }) => ({
    status: 201,
    body: await onboarding.createUpload(deps, principal, params.onboardingId, body),
  })),
  on(routes.startLiveness, async ({ principal, params, requestId }) => ({
    status: 201,
    body: await onboarding.startLiveness(deps, principal, params.onboardingId, requestId),
  })),
  on(routes.getLiveness, async ({ principal, params, requestId }) => ({
    status: 200,
    body: await onboarding.fetchLiveness(deps, principal, params.onboardingId, requestId),
  })),
  on(routes.matchFace, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: await onboarding.matchFace(deps, principal, params.onboardingId, body.imageKey, requestId),
  })),
  on(routes.readDocument, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: await onboarding.readDocument(deps, principal, params.onboardingId, body, requestId),
  })),
  on(routes.checkIdentity, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: await onboarding.checkIdentity(deps, principal, params.onboardingId, body.idNumber, requestId),
  })),
  on(routes.reviewOnboarding, async ({ principal, params, body, requestId }) => ({
    status: 200,
    body: await onboarding.reviewOnboarding(deps, principal, params.onboardingId, body, requestId),
  })),
]);
