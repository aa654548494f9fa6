// Admission of outside workers (SPEC O1) and the consent ledger (PIPL): use cases over
// ports. Each step asks its provider, keeps the evidence (S3 key, SHA-256, score) and
// time, and lets admission.ts decide what the evidence means. Face steps need the face
// consent; every step needs the personal-information consent; a withdrawal of the face
// consent deletes the images and the liveness results.
import { createHash } from 'node:crypto';
import type * as z from 'zod';
import type { Onboarding } from '../../schemas/onboarding.ts';
import type { CreatePersonBody } from '../../schemas/people.ts';
import { partnerOrganisation } from '../domain/blacklist.ts';
import { holdActive } from '../domain/blacklist-rules.ts';
import type { CertificateRecord, CertificateRepository, StoredForgery } from '../domain/certificate.ts';
import type { CertificateNumberVault } from '../domain/certificate-numbers.ts';
import type { PersonRecord, PersonRepository } from '../domain/person.ts';
import { findPerson } from '../domain/person.ts';
import type { RegistryChecks } from '../domain/registry-checks.ts';
import { ONBOARDING_THRESHOLDS, type TenantSettings } from '../domain/settings.ts';
import type { SubcontractorRepository } from '../domain/subcontractors.ts';
import { authorize, canSeeSubcontractor } from '../shared/auth/permissions.ts';
import type { Principal } from '../shared/auth/principal.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict, Forbidden, InvalidRequest, NotFound, RulesBroken } from '../shared/errors.ts';
import { hashIdNumber, normalizeIdNumber } from '../shared/identity-numbers.ts';
import { newId } from '../shared/ids.ts';
import {
  certificateFields,
  documentOutcome,
  type FlowStatus,
  faceMatchOutcome,
  flowStatus,
  identityOutcome,
  livenessOutcome,
  registryOutcome,
  type StepOutcome,
} from './admission.ts';
import {
  CONSENT_PURPOSES,
  type ConsentPurpose,
  type ConsentRecord,
  consentStands,
  currentConsentText,
  knownConsentText,
} from './consent.ts';
import { drivers, riskScore, type Signal } from './forgery.ts';
import type { RgbaImage } from './image-signals.ts';
import type { OnboardingRecord, OnboardingRepository } from './onboarding-repository.ts';
import type { OnboardingProviders } from './providers.ts';

export interface OnboardingDeps extends OnboardingProviders {
  flows: OnboardingRepository;
  people: PersonRepository;
  subcontractors: SubcontractorRepository;
  settings: TenantSettings;
  numbers: CertificateNumberVault;
  idHashKey: () => Promise<string>;
  /** Registers a new outside worker (the people capability: hashes, pseudonym, alliance check). */
  register: (
    principal: Principal,
    person: z.output<typeof CreatePersonBody>,
    requestId: string,
  ) => Promise<PersonRecord>;
  /** A person's certificates (the admission's document step compares the card with them). */
  certificates: Pick<CertificateRepository, 'listForPerson'>;
  /** Stores a forgery analysis with the status it leads to (the certificates capability). */
  recordForgery: (
    principal: Principal,
    personId: string,
    certificateId: string,
    next: (cert: CertificateRecord, now: string) => StoredForgery,
    action: 'certificate.forgery_analysis',
    requestId: string,
  ) => Promise<CertificateRecord>;
  /** Asks the registry about a certificate and stores the answer (verification). */
  registryChecks: Pick<RegistryChecks, 'verify'>;
  clock: Clock;
}

/** A liveness session is single-use and lapses ~3 minutes after creation (Rekognition). */
export const LIVENESS_SESSION_SECONDS = 180;
/** Presigned upload URLs: long enough for a phone on a building site's network. */
export const UPLOAD_SECONDS = 300;

// Where evidence lives. Face images (liveness and the ID card, whose photo is compared)
// sit under one prefix per person, so withdrawing the face consent deletes them all.
const facePrefix = (tenantId: string, personId: string) => `face/t/${tenantId}/p/${personId}/`;
const documentPrefix = (tenantId: string, personId: string) => `documents/t/${tenantId}/p/${personId}/`;

// ---- consent ledger ------------------------------------------------------------------

export function consentTexts(language: 'zh' | 'en') {
  return CONSENT_PURPOSES.map((purpose) => {
    const t = currentConsentText(purpose);
    return { purpose, version: t.version, language, text: t[language] };
  });
}

type ConsentInput = {
  purpose: ConsentPurpose;
  textVersion: string;
  language: 'zh' | 'en';
  channel: ConsentRecord['channel'];
};

function checkConsentTexts(consents: readonly ConsentInput[], field: (i: number) => string) {
  const unknown = consents.findIndex((c) => !knownConsentText(c.purpose, c.textVersion));
  if (unknown >= 0)
    throw new InvalidRequest('validation_failed', [
      { field: field(unknown), code: 'consent_text_unknown', message: 'consent_text_unknown' },
    ]);
}

async function recordConsent(
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
async function requireConsent(
  deps: OnboardingDeps,
  tenantId: string,
  personId: string,
  ...purposes: ConsentPurpose[]
) {
  const records = await deps.flows.consents(tenantId, personId);
  const missing = purposes.find((purpose) => !consentStands(records, purpose));
  if (missing) throw new Forbidden('consent_required', { purpose: missing });
}

// ---- the flow ------------------------------------------------------------------------

export function onboardingView(flow: OnboardingRecord): Onboarding {
  const { tenantId: _t, version: _v, createdBy: _c, ...view } = flow;
  return view;
}

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

/** The flow, if the caller may see its person (another tenant's or scope's: 404). */
async function visibleFlow(deps: OnboardingDeps, principal: Principal, onboardingId: string) {
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
async function openFlow(
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

async function saveStep(
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

/** An uploaded image of this flow: keys are checked, never trusted (another person's image is not evidence). */
async function uploadedImage(deps: OnboardingDeps, flow: OnboardingRecord, key: string) {
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

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

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

/**
 * Reads the certificate image (its QR code first, then OCR), compares what was read with
 * what was typed — by keyed hash, so no number is held in clear — and asks the registry.
 */
export async function readDocument(
  deps: OnboardingDeps,
  principal: Principal,
  onboardingId: string,
  body: { certificateId: string; imageKey: string; flashImageKey?: string },
  requestId: string,
) {
  const { flow, person } = await openFlow(deps, principal, onboardingId);
  const certificate = (await deps.certificates.listForPerson(flow.tenantId, flow.personId)).find(
    (c) => c.certificateId === body.certificateId,
  );
  if (!certificate) throw new NotFound('certificate_not_found');
  const image = await uploadedImage(deps, flow, body.imageKey);
  const imaging = await import('./document-imaging.ts');
  // Decoded once: the QR code and the forgery analysis read the same pixels.
  const pixels = imaging.decodeImage(image.bytes);
  const qr = imaging.readQrCode(image.bytes, pixels);
  const lines = await deps.documents().readLines({ bucket: deps.evidence().bucket, key: body.imageKey });
  const fields = certificateFields(lines, qr);
  const key = await deps.idHashKey();
  const document = documentOutcome({
    ...(fields.certificateNumber
      ? { numberMatches: (await deps.numbers.hash(fields.certificateNumber)) === certificate.numberHash }
      : {}),
    ...(fields.idNumber ? { idNumberMatches: hashIdNumber(fields.idNumber, key) === person.idHash } : {}),
    dates: fields.dates,
    issuedOn: certificate.issuedOn,
    expiresOn: certificate.expiresOn,
  });
  const flash = body.flashImageKey ? await uploadedImage(deps, flow, body.flashImageKey) : undefined;
  const registry = await registryStep(deps, principal, person, body.certificateId, requestId);
  const forgery = await analyseForgery(
    deps,
    principal,
    flow,
    body.certificateId,
    { ...image, pixels },
    flash?.bytes,
    requestId,
  );
  // A suspected forgery sends an otherwise clean card to a person; evidence that names
  // someone else still refuses.
  const suspected = forgery.state === 'pending_review' || forgery.state === 'forged';
  const documentStep =
    suspected && document.status !== 'failed'
      ? { status: 'review' as const, reason: 'forgery_suspected' }
      : { status: document.status, ...(document.reason ? { reason: document.reason } : {}) };
  const at = deps.clock.now().toISOString();
  return saveStep(
    deps,
    principal,
    flow,
    {
      document: {
        ...documentStep,
        at,
        image: image.evidence,
        source: qr ? 'qr' : 'ocr',
        mismatches: document.mismatches,
        unreadable: document.unreadable,
        forgery: { risk: forgery.risk, signals: forgery.signals },
      },
      registry: { ...registry, at },
    },
    'onboarding.document',
    requestId,
  );
}

/**
 * The forgery analysis (O3) of the certificate image: what the image says, reuse of the
 * card or the portrait by another person of the tenant (band index), a face match that
 * went to review. At or above the tenant's threshold the certificate is locked red until
 * hr or a group admin reviews it; the image joins the index either way.
 */
async function analyseForgery(
  deps: OnboardingDeps,
  principal: Principal,
  flow: OnboardingRecord,
  certificateId: string,
  image: { bytes: Buffer; pixels: RgbaImage | undefined; evidence: { key: string; sha256: string } },
  flashBytes: Buffer | undefined,
  requestId: string,
): Promise<StoredForgery> {
  const { measureImage, reuseSignals } = await import('./document-imaging.ts');
  const measured = await measureImage(image.bytes, flashBytes, image.pixels);
  const signals: Signal[] = [...measured.signals];
  if (measured.hashes && measured.prints)
    signals.push(
      ...(await reuseSignals(
        { hashes: measured.hashes, prints: measured.prints },
        flow.personId,
        await deps.flows.reuseCandidates(flow.tenantId, measured.hashes),
        (candidate) => deps.flows.imagePrints(flow.tenantId, candidate),
      )),
    );
  const face = flow.steps.faceMatch;
  if (face?.status === 'review' && face.reason === 'face_similarity_low')
    signals.push({
      code: 'face_mismatch',
      confidence: Math.max(0, 1 - (face.similarity ?? 0) / 100),
      detail: { similarity: face.similarity ?? 0 },
    });
  const risk = riskScore(signals);
  const { forgeryRisk } = await deps.settings.read(flow.tenantId, ONBOARDING_THRESHOLDS);
  const updated = await deps.recordForgery(
    principal,
    flow.personId,
    certificateId,
    (cert, now) => ({
      risk,
      signals: drivers(signals),
      analysedAt: now,
      imageKey: image.evidence.key,
      onboardingId: flow.onboardingId,
      // A confirmed forgery stays confirmed; a card cleared on review is locked again by new evidence.
      state: cert.forgery?.state === 'forged' ? 'forged' : risk >= forgeryRisk ? 'pending_review' : 'clear',
    }),
    'certificate.forgery_analysis',
    requestId,
  );
  if (measured.hashes && measured.prints)
    await deps.flows.indexImage(flow.tenantId, {
      personId: flow.personId,
      certificateId,
      imageSha256: image.evidence.sha256,
      hashes: measured.hashes,
      prints: measured.prints,
    });
  return updated.forgery as StoredForgery;
}

async function registryStep(
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
