// The privacy function's routes (PIPL Art. 44–47: copies and deletion; the leavers' retention).
import { DataExport, DeletionAnswer, DeletionRequestBody, RecordRetention } from '../privacy.ts';
import { Created, route } from '../route.ts';

export const exportPersonalData = route({
  operationId: 'exportPersonalData',
  method: 'POST',
  path: '/people/{personId}/data-export',
  capability: 'privacy',
  auth: true,
  summary:
    'A copy of everything kept about the person — a ZIP of JSON records and their images — through a link valid 15 minutes (the person themself, hr, group_admin)',
  responses: Created(DataExport, 'DataExport'),
});

export const requestDeletion = route({
  operationId: 'requestPersonalDataDeletion',
  method: 'POST',
  path: '/people/{personId}/data-deletion',
  capability: 'privacy',
  auth: true,
  summary:
    'A deletion request (the person themself, hr, group_admin): deletes what the law lets go now and answers what is kept, why and until when',
  body: DeletionRequestBody,
  responses: { 200: { description: 'What was deleted and what is kept', schema: DeletionAnswer } },
});

export const getRecordRetention = route({
  operationId: 'getRecordRetention',
  method: 'GET',
  path: '/settings/record-retention',
  capability: 'privacy',
  auth: true,
  summary: 'How long a leaver’s records are kept (default 3 years)',
  responses: { 200: { description: 'Retention', schema: RecordRetention } },
});

export const putRecordRetention = route({
  operationId: 'putRecordRetention',
  method: 'PUT',
  path: '/settings/record-retention',
  capability: 'privacy',
  auth: true,
  summary: 'Set how long a leaver’s records are kept (group_admin; 3–30 years)',
  body: RecordRetention,
  responses: { 200: { description: 'Retention', schema: RecordRetention } },
});
