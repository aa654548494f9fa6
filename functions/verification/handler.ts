import { verifyCertificateNow } from '../../schemas/routes/verification.ts';
import { certificateView } from '../certificates/certificates.ts';
import { verificationAdapters } from '../composition-root.ts';
import { findPerson } from '../people/people.ts';
import { authorize } from '../shared/auth/permissions.ts';
import { httpHandler, on } from '../shared/http/handler.ts';
import { verifyCertificate } from './verify.ts';

const deps = verificationAdapters();

export const handler = httpHandler([
  on(verifyCertificateNow, async ({ principal, params, requestId }) => {
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
        status: { personId: person.personId, ...status },
      },
    };
  }),
]);
