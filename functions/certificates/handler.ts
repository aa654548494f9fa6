import {
  createCertificate,
  getPersonStatus,
  listCertificates as listCertificatesRoute,
} from '../../schemas/routes.ts';
import { DynamoPersonRepository } from '../people/person-repository.ts';
import { DynamoSettingsRepository } from '../settings/settings-repository.ts';
import { tableName } from '../shared/config.ts';
import { createDocumentClient } from '../shared/dynamo/client.ts';
import { httpHandler, on } from '../shared/http/handler.ts';
import { getIdHashKey } from '../shared/secrets.ts';
import { DynamoCertificateRepository } from './certificate-repository.ts';
import { addCertificate, certificateView, currentStatus, listCertificates } from './certificates.ts';
import { statusView } from './status-view.ts';

const db = createDocumentClient();
const deps = {
  people: new DynamoPersonRepository(db, tableName()),
  certificates: new DynamoCertificateRepository(db, tableName()),
  settings: new DynamoSettingsRepository(db, tableName()),
  idHashKey: getIdHashKey,
};

export const handler = httpHandler([
  on(createCertificate, async ({ principal, params, body, requestId }) => {
    const personId = params.personId ?? '';
    const cert = await addCertificate(deps, principal, personId, body, requestId);
    return {
      status: 201,
      body: certificateView(cert),
      headers: { location: `/people/${personId}/certificates/${cert.certificateId}` },
    };
  }),
  on(listCertificatesRoute, async ({ principal, params }) => {
    const items = await listCertificates(deps, principal, params.personId ?? '');
    return { status: 200, body: { items: items.map(certificateView) } };
  }),
  on(getPersonStatus, async ({ principal, params, lang }) => {
    const personId = params.personId ?? '';
    return { status: 200, body: statusView(personId, await currentStatus(deps, principal, personId), lang) };
  }),
]);
