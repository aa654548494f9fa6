// The verification function's routes (see schemas/route.ts).

import { AllowlistKeys } from '../gates.ts';
import { route } from '../route.ts';
import { CodeVerification, VerificationResult, VerifyCodeBody, WorkerCode } from '../verification.ts';

export const verifyCertificateNow = route({
  operationId: 'verifyCertificate',
  method: 'POST',
  path: '/people/{personId}/certificates/{certificateId}/verify',
  capability: 'verification',
  auth: true,
  summary: 'Check one certificate against the national registry now and apply the answer to the status',
  responses: {
    200: { description: 'The registry’s answer and the resulting status', schema: VerificationResult },
  },
});

export const getWorkerCode = route({
  operationId: 'getWorkerCode',
  method: 'GET',
  path: '/workers/{personId}/verification-code',
  capability: 'verification',
  auth: true,
  summary: 'The worker’s rotating verification code for the current 2-hour window (their own account only)',
  responses: { 200: { description: 'The signed code', schema: WorkerCode } },
});

export const getWorkerCodeQr = route({
  operationId: 'getWorkerCodeQr',
  method: 'GET',
  path: '/workers/{personId}/verification-code/qr.png',
  capability: 'verification',
  auth: true,
  summary: 'The same code as a QR code (PNG) for the phone’s screen',
  responses: { 200: { description: 'QR code of the compact JWS', contentType: 'image/png' } },
});

export const revokeWorkerCodes = route({
  operationId: 'revokeWorkerCodes',
  method: 'POST',
  path: '/workers/{personId}/verification-code/revocation',
  capability: 'verification',
  auth: true,
  summary: 'Revoke every code issued so far (a lost phone): hr, group_admin',
  responses: { 204: { description: 'Revoked' } },
});

export const verifyWorkerCode = route({
  operationId: 'verifyWorkerCode',
  method: 'POST',
  path: '/verify',
  capability: 'verification',
  auth: true,
  summary:
    'Check a scanned worker code: signature, window, and the person’s live status with each certificate’s registry answer and its age',
  body: VerifyCodeBody,
  responses: { 200: { description: 'The verdict', schema: CodeVerification } },
});

export const getJwks = route({
  operationId: 'getJwks',
  method: 'GET',
  path: '/.well-known/jwks.json',
  capability: 'verification',
  auth: false,
  summary:
    'The public keys (JWK Set) that verify signed work tickets, permit-board links, gate allowlists and every tenant’s worker codes',
  responses: { 200: { description: 'JWK Set', schema: AllowlistKeys } },
});
