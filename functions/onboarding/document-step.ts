import type { StoredForgery } from '../domain/certificate.ts';
import { ONBOARDING_THRESHOLDS } from '../domain/settings.ts';
import type { Principal } from '../shared/auth/principal.ts';
import { NotFound } from '../shared/errors.ts';
import { hashIdNumber } from '../shared/identity-numbers.ts';
import { switchedOff } from '../shared/kill-switches.ts';
import { certificateFields, documentOutcome } from './admission.ts';
import { openFlow, registryStep, saveStep, uploadedImage } from './flow-steps.ts';
import { drivers, riskScore, type Signal } from './forgery.ts';
import type { RgbaImage } from './image-signals.ts';
import type { OnboardingDeps } from './onboarding-deps.ts';
import type { OnboardingRecord } from './onboarding-repository.ts';

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
export async function analyseForgery(
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
      state:
        cert.forgery?.state === 'forged'
          ? 'forged'
          : risk >= forgeryRisk && !switchedOff('forgery-lock')
            ? 'pending_review'
            : 'clear',
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
