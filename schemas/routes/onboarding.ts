// The onboarding function's routes (see schemas/route.ts): consent ledger and admission.
import {
  Consent,
  ConsentBody,
  ConsentList,
  ConsentTextList,
  DocumentBody,
  FaceMatchBody,
  IdentityBody,
  LivenessSession,
  Onboarding,
  ReviewBody,
  StartOnboardingBody,
  Upload,
  UploadBody,
} from '../onboarding.ts';
import { Created, route, Unprocessable } from '../route.ts';

const flow = { 200: { description: 'The admission flow', schema: Onboarding } };

export const listConsentTexts = route({
  operationId: 'listConsentTexts',
  method: 'GET',
  path: '/consent-texts',
  capability: 'onboarding',
  auth: true,
  summary: 'The current consent texts per purpose, in the caller’s language (zh-CN default)',
  responses: { 200: { description: 'Consent texts', schema: ConsentTextList } },
});

export const giveConsent = route({
  operationId: 'giveConsent',
  method: 'POST',
  path: '/people/{personId}/consents',
  capability: 'onboarding',
  auth: true,
  summary: 'Record a person’s consent to one purpose (face data has its own, PIPL Art. 28/29)',
  body: ConsentBody,
  responses: Created(Consent, 'Consent'),
});

export const listConsents = route({
  operationId: 'listConsents',
  method: 'GET',
  path: '/people/{personId}/consents',
  capability: 'onboarding',
  auth: true,
  summary: 'A person’s consent records, and which purposes stand',
  responses: { 200: { description: 'Consents', schema: ConsentList } },
});

export const withdrawConsent = route({
  operationId: 'withdrawConsent',
  method: 'POST',
  path: '/people/{personId}/consents/{purpose}/withdrawal',
  capability: 'onboarding',
  auth: true,
  summary: 'Withdraw a consent; for face data, the face images and liveness results are deleted',
  responses: { 200: { description: 'The withdrawn consent', schema: Consent } },
});

export const startOnboarding = route({
  operationId: 'startOnboarding',
  method: 'POST',
  path: '/onboarding',
  capability: 'onboarding',
  auth: true,
  summary: 'Start admitting an outside worker of a subcontractor (needs their personal-information consent)',
  body: StartOnboardingBody,
  responses: {
    ...Created(Onboarding, 'Admission flow'),
    ...Unprocessable('admission_refused_blacklisted: the person is on the alliance blacklist'),
  },
});

export const getOnboarding = route({
  operationId: 'getOnboarding',
  method: 'GET',
  path: '/onboarding/{onboardingId}',
  capability: 'onboarding',
  auth: true,
  summary: 'An admission flow: each step’s outcome, evidence (S3 key, SHA-256) and time',
  responses: flow,
});

export const createOnboardingUpload = route({
  operationId: 'createOnboardingUpload',
  method: 'POST',
  path: '/onboarding/{onboardingId}/uploads',
  capability: 'onboarding',
  auth: true,
  summary: 'A presigned PUT URL for an ID card or certificate image (straight to S3, encrypted)',
  body: UploadBody,
  responses: Created(Upload, 'Upload'),
});

export const startLiveness = route({
  operationId: 'startLiveness',
  method: 'POST',
  path: '/onboarding/{onboardingId}/liveness',
  capability: 'onboarding',
  auth: true,
  summary: 'A face liveness session for the mobile client (needs the face consent)',
  responses: Created(LivenessSession, 'Liveness session'),
});

export const getLiveness = route({
  operationId: 'getLiveness',
  method: 'GET',
  path: '/onboarding/{onboardingId}/liveness',
  capability: 'onboarding',
  auth: true,
  summary: 'Fetch the liveness result into the flow',
  responses: flow,
});

export const matchFace = route({
  operationId: 'matchFace',
  method: 'POST',
  path: '/onboarding/{onboardingId}/face-match',
  capability: 'onboarding',
  auth: true,
  summary: 'Compare the liveness reference image with the photo on an uploaded ID card or certificate',
  body: FaceMatchBody,
  responses: flow,
});

export const readDocument = route({
  operationId: 'readDocument',
  method: 'POST',
  path: '/onboarding/{onboardingId}/document',
  capability: 'onboarding',
  auth: true,
  summary:
    'Read the certificate image (QR first, then OCR), cross-check it with what was typed and with the registry',
  body: DocumentBody,
  responses: flow,
});

export const checkIdentity = route({
  operationId: 'checkIdentity',
  method: 'POST',
  path: '/onboarding/{onboardingId}/identity',
  capability: 'onboarding',
  auth: true,
  summary: 'Ask the identity authority whether name and ID number belong together',
  body: IdentityBody,
  responses: flow,
});

export const reviewOnboarding = route({
  operationId: 'reviewOnboarding',
  method: 'POST',
  path: '/onboarding/{onboardingId}/review',
  capability: 'onboarding',
  auth: true,
  summary: 'A person’s decision on a flow under review or refused (hr, group_admin): final',
  body: ReviewBody,
  responses: flow,
});
