// The certificates function's routes (see schemas/route.ts).
import {
  Certificate,
  CertificateList,
  CreateCertificateBody,
  ForgeryReviewBody,
  StampCertificateBody,
} from '../certificates.ts';
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
  summary: 'Every certificate of a person, renewed ones included',
  responses: { 200: { description: 'Certificates', schema: CertificateList } },
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
