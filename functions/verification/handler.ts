import {
  getJwks,
  getWorkerCode,
  getWorkerCodeQr,
  revokeWorkerCodes as revokeRoute,
  verifyCertificateNow,
  verifyWorkerCode as verifyCodeRoute,
} from '../../schemas/routes/verification.ts';
import { apiHandler } from '../api-handler.ts';
import { certificateView } from '../certificates/certificates.ts';
import { statusView } from '../certificates/status-view.ts';
import {
  allowlistSigner,
  tenantKeyStore,
  verificationAdapters,
  workerCodeStore,
} from '../composition-root.ts';
import { findPerson } from '../domain/person.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { on } from '../shared/http/handler.ts';
import { verifyCertificate } from './verify.ts';
import {
  issueWorkerCode,
  publishedKeys,
  revokeWorkerCodes,
  verifyWorkerCode,
  workerCodeQr,
} from './worker-codes.ts';

const deps = {
  ...verificationAdapters(),
  codes: workerCodeStore(),
  signer: allowlistSigner(),
  tenantKeys: tenantKeyStore(),
};

export const handler = apiHandler([
  on(verifyCertificateNow, async ({ principal, params, requestId, lang }) => {
    authorize(principal, 'certificate:verify');
    const person = await findPerson(deps.people, principal, params.personId);
    const { certificate, verification, status } = await verifyCertificate(
      deps,
      principal,
      person,
      params.certificateId,
      requestId,
    );
    return {
      status: 200,
      body: {
        certificate: certificateView(certificate),
        result: verification.lastAttemptResult,
        ...(verification.unavailableReason ? { unavailableReason: verification.unavailableReason } : {}),
        ...(verification.mismatches ? { mismatches: verification.mismatches } : {}),
        ...(verification.lastAnsweredAt ? { lastAnsweredAt: verification.lastAnsweredAt } : {}),
        // As GET …/status shows it: localised reasons, no engine internals.
        status: statusView(person.personId, status, lang),
      },
    };
  }),
  on(getWorkerCode, async ({ principal, params }) => ({
    status: 200,
    body: await issueWorkerCode(deps, principal, params.personId),
    // A code is valid for its window only: never cached by anything in between.
    headers: { 'cache-control': 'no-store' },
  })),
  on(getWorkerCodeQr, async ({ principal, params }) => ({
    status: 200,
    file: {
      contentType: 'image/png',
      fileName: 'code.png',
      data: await workerCodeQr(deps, principal, params.personId),
    },
    headers: { 'cache-control': 'no-store' },
  })),
  on(revokeRoute, async ({ principal, params, requestId }) => {
    await revokeWorkerCodes(deps, principal, params.personId, requestId);
    return { status: 204 };
  }),
  on(verifyCodeRoute, async ({ principal, body, requestId }) => ({
    status: 200,
    body: await verifyWorkerCode(deps, principal, body.code, requestId),
  })),
  on(getJwks, async () => ({
    status: 200,
    body: await publishedKeys(deps),
    // A new tenant's key appears within 5 minutes for offline verifiers.
    headers: { 'cache-control': 'public, max-age=300' },
  })),
]);
