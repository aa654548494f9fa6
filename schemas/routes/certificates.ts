// The certificates function's routes (see schemas/route.ts).
import {
  Certificate,
  CertificateList,
  CreateCertificateBody,
  ForgeryReviewBody,
  StampCertificateBody,
  UpdateCertificateBody,
  VoidCertificateBody,
} from '../certificates.ts';
import { Problem } from '../common.ts';
import { Created, route } from '../route.ts';
import { PersonStatus } from '../status.ts';

export const createCertificate = route({
  operationId: 'createCertificate',
  method: 'POST',
  path: '/people/{personId}/certificates',
  capability: 'certificates',
  auth: true,
  summary: 'Enter a certificate or a renewal; recomputes the person’s status in the same transaction',
  body: CreateCertificateBody,
  responses: Created(Certificate, 'Certificate'),
});

export const stampCertificate = route({
  operationId: 'stampCertificate',
  method: 'POST',
  path: '/people/{personId}/certificates/{certificateId}/stamps',
  capability: 'certificates',
  auth: true,
  summary:
    'Record a review (MEM 复审) or an extension (MOHURD 延期复核) stamped on the card; recomputes the status at once',
  body: StampCertificateBody,
  responses: { 200: { description: 'The certificate with its new dates', schema: Certificate } },
});

export const reviewCertificateForgery = route({
  operationId: 'reviewCertificateForgery',
  method: 'POST',
  path: '/people/{personId}/certificates/{certificateId}/review',
  capability: 'certificates',
  auth: true,
  summary:
    'A person’s decision on a certificate locked by the forgery analysis (hr, group_admin): genuine unlocks it, forged keeps it red',
  body: ForgeryReviewBody,
  responses: { 200: { description: 'The certificate with the decision', schema: Certificate } },
});

export const listCertificates = route({
  operationId: 'listCertificates',
  method: 'GET',
  path: '/people/{personId}/certificates',
  capability: 'certificates',
  auth: true,
  summary: 'Every certificate of a person, renewed and voided ones included',
  responses: { 200: { description: 'Certificates', schema: CertificateList } },
});

export const getCertificate = route({
  operationId: 'getCertificate',
  method: 'GET',
  path: '/people/{personId}/certificates/{certificateId}',
  capability: 'certificates',
  auth: true,
  summary: 'One certificate of a person; its version as the ETag a correction names in If-Match',
  responses: { 200: { description: 'Certificate (ETag header: its version)', schema: Certificate } },
});

const correctionResponses = (what: string) => ({
  200: { description: `The certificate ${what} (ETag header: its new version)`, schema: Certificate },
  409: { description: 'Already voided, or another certificate has these details', schema: Problem },
  412: {
    description: 'The certificate changed since it was read (If-Match names an older version)',
    schema: Problem,
  },
  428: { description: 'No If-Match header', schema: Problem },
});

export const updateCertificate = route({
  operationId: 'updateCertificate',
  method: 'PATCH',
  path: '/people/{personId}/certificates/{certificateId}',
  capability: 'certificates',
  auth: true,
  summary:
    'Correct an entry mistake: number, dates, category, scheme (group_admin, hr; subcontractor for its own workers). Checked as a whole, the status recomputed in the same transaction, the registry asked again when what it answered about changed. If-Match required',
  body: UpdateCertificateBody,
  responses: correctionResponses('as corrected'),
});

export const voidCertificate = route({
  operationId: 'voidCertificate',
  method: 'POST',
  path: '/people/{personId}/certificates/{certificateId}/void',
  capability: 'certificates',
  auth: true,
  summary:
    'Void a certificate entered in error (group_admin, hr): kept in the history, no longer counted, its number free again; the status recomputed at once. If-Match required',
  body: VoidCertificateBody,
  responses: correctionResponses('voided'),
});

export const getPersonStatus = route({
  operationId: 'getPersonStatus',
  method: 'GET',
  path: '/people/{personId}/status',
  capability: 'certificates',
  auth: true,
  summary: 'Traffic-light status of a person and each certificate, as of today (Asia/Shanghai)',
  responses: { 200: { description: 'Status', schema: PersonStatus } },
});
