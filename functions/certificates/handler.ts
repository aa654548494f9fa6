import {
  createCertificate,
  getCertificate,
  getPersonStatus,
  listCertificates as listCertificatesRoute,
  reviewCertificateForgery,
  stampCertificate as stampCertificateRoute,
  updateCertificate,
  voidCertificate as voidCertificateRoute,
} from '../../schemas/routes/certificates.ts';
import { apiHandler } from '../api-handler.ts';
import {
  certificateNumbers,
  certificateRepository,
  clock,
  idHashKey,
  personRepository,
  scanStore,
  settingsRepository,
  statusStore,
  workQueue,
} from '../composition-root.ts';
import { certificateVersion } from '../domain/certificate.ts';
import { fatigueWindow } from '../domain/fatigue.ts';
import { FATIGUE_THRESHOLDS } from '../domain/settings.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { errorForLog } from '../shared/error-log.ts';
import { NotFound } from '../shared/errors.ts';
import { etagOf, versionFromIfMatch } from '../shared/http/etag.ts';
import { on } from '../shared/http/handler.ts';
import { logger } from '../shared/logger.ts';
import {
  addCertificate,
  certificateView,
  currentStatus,
  listCertificates,
  reviewForgery,
  stampCertificate,
} from './certificates.ts';
import { correctCertificate, voidCertificate } from './corrections.ts';
import { statusView } from './status-view.ts';

const deps = {
  people: personRepository(),
  certificates: certificateRepository(),
  numbers: certificateNumbers(),
  statusStore: statusStore(),
  settings: settingsRepository(),
  gates: scanStore(),
  workQueue: workQueue(),
  idHashKey: idHashKey(),
  clock: clock(),
};

/** A registry check in the background; a queue failure is logged, never the caller's failure. */
async function queueRegistryCheck(tenantId: string, personId: string, certificateId: string) {
  await deps.workQueue
    .send([{ type: 'verify-certificate', tenantId, personId, certificateId }])
    .catch((error: unknown) =>
      logger.error('could not queue the registry check', { error: errorForLog(error) }),
    );
}

export const handler = apiHandler([
  on(createCertificate, async ({ principal, params, body, requestId }) => {
    const personId = params.personId;
    const cert = await addCertificate(deps, principal, personId, body, requestId);
    // Verified against the registry in the background; until then it shows as never verified.
    await queueRegistryCheck(principal.tenantId, personId, cert.certificateId);
    return {
      status: 201,
      body: certificateView(cert),
      headers: { location: `/people/${personId}/certificates/${cert.certificateId}` },
    };
  }),
  on(stampCertificateRoute, async ({ principal, params, body, requestId }) => {
    const personId = params.personId;
    const cert = await stampCertificate(deps, principal, personId, params.certificateId, body, requestId);
    // The registry has the new dates too: check again in the background.
    await queueRegistryCheck(principal.tenantId, personId, cert.certificateId);
    return { status: 200, body: certificateView(cert) };
  }),
  on(getCertificate, async ({ principal, params }) => {
    const found = (await listCertificates(deps, principal, params.personId)).find(
      (c) => c.certificateId === params.certificateId,
    );
    if (!found) throw new NotFound('certificate_not_found');
    return {
      status: 200,
      body: certificateView(found),
      headers: { etag: etagOf(certificateVersion(found)) },
    };
  }),
  on(updateCertificate, async ({ principal, params, body, ifMatch, requestId }) => {
    authorize(principal, 'certificate:correct');
    const { personId, certificateId } = params;
    const { certificate, recheck } = await correctCertificate(
      deps,
      principal,
      personId,
      certificateId,
      body,
      versionFromIfMatch(ifMatch),
      requestId,
    );
    // What the registry answered was about the old details: asked again in the background.
    if (recheck) await queueRegistryCheck(principal.tenantId, personId, certificateId);
    return {
      status: 200,
      body: certificateView(certificate),
      headers: { etag: etagOf(certificateVersion(certificate)) },
    };
  }),
  on(voidCertificateRoute, async ({ principal, params, body, ifMatch, requestId }) => {
    authorize(principal, 'certificate:void');
    const certificate = await voidCertificate(
      deps,
      principal,
      params.personId,
      params.certificateId,
      body.reason,
      versionFromIfMatch(ifMatch),
      requestId,
    );
    return {
      status: 200,
      body: certificateView(certificate),
      headers: { etag: etagOf(certificateVersion(certificate)) },
    };
  }),
  on(reviewCertificateForgery, async ({ principal, params, body, requestId }) => {
    const cert = await reviewForgery(deps, principal, params.personId, params.certificateId, body, requestId);
    return { status: 200, body: certificateView(cert) };
  }),
  on(listCertificatesRoute, async ({ principal, params }) => {
    const items = await listCertificates(deps, principal, params.personId);
    return { status: 200, body: { items: items.map(certificateView) } };
  }),
  on(getPersonStatus, async ({ principal, params, lang, requestId }) => {
    const personId = params.personId;
    const status = await currentStatus(deps, principal, personId, requestId);
    const now = deps.clock.now();
    const [checkIns, limits] = await Promise.all([
      deps.gates.fatigueCheckIns(principal.tenantId, personId, now),
      deps.settings.read(principal.tenantId, FATIGUE_THRESHOLDS),
    ]);
    return {
      status: 200,
      body: { ...statusView(personId, status, lang), fatigue: fatigueWindow(checkIns, now, limits) },
    };
  }),
]);
