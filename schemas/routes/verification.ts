// The verification function's routes (see schemas/route.ts).

import { route } from '../route.ts';
import { VerificationResult } from '../verification.ts';

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
