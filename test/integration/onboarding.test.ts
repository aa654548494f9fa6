// Admission of outside workers end to end over the API, with the development providers
// (infra/local/onboarding-simulator.ts) and images in the emulator's S3: consent →
// liveness → face match → certificate read → registry → identity → admitted, and refused
// (or sent to a person) at each step with its reason; a withdrawn face consent deletes the
// face images.
import { createHash } from 'node:crypto';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../functions/shared/identity-numbers.ts';
import {
  type OnboardingSimulator,
  startOnboardingSimulator,
} from '../../infra/local/onboarding-simulator.ts';
import { type RegistrySimulator, startRegistrySimulator } from '../../infra/local/registry-simulator.ts';
import { type ApiClient, auditTrail, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, today, yearsFromToday } from '../support/fixtures.ts';
import { cleanPhoto, flashPhoto, forwardedCard, pastedText } from '../support/forgery-images.ts';

const TENANT = 'admit';
let api: TestApi;
let admin: ApiClient;
let hr: ApiClient;
let providers: OnboardingSimulator;
let registry: RegistrySimulator;
let subcontractorId: string;
const s3 = new S3Client({ forcePathStyle: true, maxAttempts: 1 });

beforeAll(async () => {
  // This file's own simulators, so that making them misbehave affects no other file.
  providers = await startOnboardingSimulator();
  registry = await startRegistrySimulator();
  process.env.ONBOARDING_PROVIDER_URL = providers.url;
  process.env.REGISTRY_BASE_URL = registry.url;
  api = await startTestApi();
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
  expect(
    (await admin.put('/settings/registry', { unifiedSocialCreditCode: '91350100M000100Y43' })).status,
  ).toBe(200);
  subcontractorId = (
    await admin.post('/subcontractors', {
      name: '华信安装工程有限公司',
      unifiedSocialCreditCode: '91350100M000100Y43',
      contacts: [{ name: '王建国', phone: '13800138000' }],
    })
  ).body.subcontractorId;
  expect(subcontractorId).toMatch(/^sub_/);
});
afterAll(async () => {
  await api.close();
  await providers.close();
  await registry.close();
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** An outside welder with a MEM certificate (number = T + ID number) the registry knows. */
async function worker(options: { idNumber?: string; inRegistry?: boolean; consents?: string[] } = {}) {
  const idNumber = options.idNumber ?? newIdNumber();
  const personId = (
    await admin.post('/people', {
      name: '陈师傅',
      idNumber,
      employer: { type: 'subcontractor', subcontractorId },
    })
  ).body.personId as string;
  const cert = {
    scheme: 'MEM',
    category: 'welding',
    number: `T${idNumber}`,
    issuedOn: yearsFromToday(-1),
    expiresOn: yearsFromToday(5, -1),
  };
  const certificateId = (await admin.post(`/people/${personId}/certificates`, cert)).body
    .certificateId as string;
  if (options.inRegistry !== false)
    registry.add({
      scheme: 'MEM',
      number: cert.number,
      category: 'welding',
      holderName: '陈师傅',
      holderIdNumber: idNumber,
      issuedOn: cert.issuedOn,
      expiresOn: cert.expiresOn,
      status: 'valid',
    });
  for (const purpose of options.consents ?? ['personal_information', 'face'])
    expect(
      (await hr.post(`/people/${personId}/consents`, { purpose, textVersion: '2026-12-01', channel: 'app' }))
        .status,
    ).toBe(201);
  return { idNumber, personId, certificateId, cert };
}

async function start(personId: string, client = hr) {
  const res = await client.post('/onboarding', { personId, subcontractorId });
  expect(res.status).toBe(201);
  return res.body.onboardingId as string;
}

/** The mobile client: a liveness session, the selfie sent to the provider, the result fetched. */
async function liveness(id: string, selfie: string) {
  const session = await hr.post(`/onboarding/${id}/liveness`, {});
  expect(session.status).toBe(201);
  const capture = await fetch(`${providers.url}/liveness/sessions/${session.body.sessionId}/capture`, {
    method: 'POST',
    body: selfie,
  });
  expect(capture.status).toBe(200);
  return hr.get(`/onboarding/${id}/liveness`);
}

/** An image uploaded straight to S3 through the presigned URL. */
async function upload(
  id: string,
  kind: 'id_card' | 'certificate',
  bytes: Buffer,
  contentType = 'image/jpeg',
) {
  const res = await hr.post(`/onboarding/${id}/uploads`, { kind, contentType });
  expect(res.status).toBe(201);
  // moto accepts any body on a presigned PUT; real S3 checks a checksum the URL carries, and
  // the SDK's default one is the CRC32 of an empty body (AAAAAA==), which refuses the real file.
  const signed = [...new URL(res.body.uploadUrl).searchParams.keys()].map((k) => k.toLowerCase());
  expect(signed.filter((k) => k.startsWith('x-amz-checksum') || k.startsWith('x-amz-sdk-checksum'))).toEqual(
    [],
  );
  const put = await fetch(res.body.uploadUrl, {
    method: 'PUT',
    body: bytes,
    headers: { 'content-type': contentType },
  });
  expect(put.status).toBe(200);
  return res.body.key as string;
}

const certificateImage = (lines: string[]) => Buffer.from(`JPEG…TEXT:\n${lines.join('\n')}\nEND`);

describe('consent first (PIPL)', () => {
  it('serves the consent texts in Chinese by default and in English on request', async () => {
    const zh = await hr.get('/consent-texts');
    expect(zh.status).toBe(200);
    expect(zh.body.items.map((t: { purpose: string }) => t.purpose)).toEqual([
      'personal_information',
      'face',
      'alliance_sharing',
    ]);
    expect(zh.body.items[1].text).toContain('敏感个人信息');
    const en = await hr.get('/consent-texts', { 'accept-language': 'en' });
    expect(en.body.items[1]).toMatchObject({ language: 'en', version: '2026-12-01' });
    expect(en.body.items[1].text).toContain('sensitive personal information');
  });

  it('starts no flow without the personal-information consent, and no face step without the face consent', async () => {
    const { personId } = await worker({ consents: [] });
    const refused = await hr.post('/onboarding', { personId, subcontractorId });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'consent_required' });
    const given = await hr.post(`/people/${personId}/consents`, {
      purpose: 'personal_information',
      textVersion: '2026-12-01',
      channel: 'paper',
    });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({ purpose: 'personal_information', language: 'zh', channel: 'paper' });
    const id = await start(personId);
    const face = await hr.post(`/onboarding/${id}/liveness`, {});
    expect(face.status).toBe(403);
    expect(face.body).toMatchObject({ code: 'consent_required' });
    expect(face.body.detail).toContain('face');
    const list = await hr.get(`/people/${personId}/consents`);
    expect(list.body.standing).toEqual(['personal_information']);
  });

  it('refuses a consent to a text version that does not exist', async () => {
    const { personId } = await worker({ consents: [] });
    const res = await hr.post(`/people/${personId}/consents`, {
      purpose: 'face',
      textVersion: '1999-01-01',
      channel: 'app',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'textVersion', code: 'consent_text_unknown' });
  });
});

describe('admission (O1)', () => {
  it('registers a worker not yet known, with the consents collected on paper, in the same call', async () => {
    const idNumber = newIdNumber();
    const person = { name: '周建新', idNumber, phone: '13900139000' };
    const pi = { purpose: 'personal_information', textVersion: '2026-12-01', channel: 'paper' };
    const face = { purpose: 'face', textVersion: '2026-12-01', channel: 'paper' };
    // Refused before anything is written: no consent, an unknown text, both or neither of person/personId.
    const noConsent = await hr.post('/onboarding', { person, subcontractorId });
    expect(noConsent.status).toBe(403);
    expect(noConsent.body.code).toBe('consent_required');
    const badText = await hr.post('/onboarding', {
      person,
      subcontractorId,
      consents: [pi, { ...face, textVersion: '1999-01-01' }],
    });
    expect(badText.status).toBe(400);
    expect(badText.body.errors[0]).toMatchObject({
      field: 'consents.1.textVersion',
      code: 'consent_text_unknown',
    });
    expect((await hr.post('/onboarding', { subcontractorId })).status).toBe(400);
    expect(
      (await hr.post('/onboarding', { person, personId: 'per_01ABCDEFGHJKMNPQRSTVWXYZ00', subcontractorId }))
        .status,
    ).toBe(400);

    const res = await hr.post('/onboarding', { person, subcontractorId, consents: [pi, face] });
    expect(res.status).toBe(201);
    expect(JSON.stringify(res.body)).not.toContain(idNumber);
    const registered = (await hr.get(`/people/${res.body.personId}`)).body;
    expect(registered).toMatchObject({
      name: '周建新',
      employer: { type: 'subcontractor', subcontractorId },
    });
    const consents = (await hr.get(`/people/${res.body.personId}/consents`)).body;
    expect(consents.standing).toEqual(['personal_information', 'face']);
    expect(consents.items.map((c: { channel: string }) => c.channel)).toEqual(['paper', 'paper']);
    // The same ID number again is the same person: 409, not a second registration.
    expect((await hr.post('/onboarding', { person, subcontractorId, consents: [pi] })).status).toBe(409);
  });

  it('admits a worker whose every step passes, keeping each step’s evidence and time', async () => {
    const { personId, certificateId, cert, idNumber } = await worker();
    const id = await start(personId);
    const selfie = 'JPEG…FACE:chen selfie';
    const live = await liveness(id, selfie);
    expect(live.status).toBe(200);
    expect(live.body.steps.liveness).toMatchObject({
      status: 'passed',
      confidence: 98.7,
      referenceImage: { sha256: sha256(Buffer.from(selfie)) },
    });
    expect(live.body.steps.liveness.referenceImage.key).toMatch(
      new RegExp(`^face/t/${TENANT}/p/${personId}/`),
    );

    const card = await upload(id, 'id_card', Buffer.from('JPEG…FACE:chen on the card'));
    const face = await hr.post(`/onboarding/${id}/face-match`, { imageKey: card });
    expect(face.status).toBe(200);
    expect(face.body.steps.faceMatch).toMatchObject({ status: 'passed', similarity: 99.2 });

    const image = certificateImage([
      '特种作业操作证', // Textract would drop it; the simulator passes it and nothing is read from it
      `证号 ${cert.number.slice(0, 7)} ${cert.number.slice(7)}`,
      `初领日期 ${cert.issuedOn}`,
      `有效期至 ${cert.expiresOn.replaceAll('-', '.')}`,
    ]);
    const certKey = await upload(id, 'certificate', image);
    const read = await hr.post(`/onboarding/${id}/document`, { certificateId, imageKey: certKey });
    expect(read.status).toBe(200);
    expect(read.body.steps.document).toMatchObject({
      status: 'passed',
      source: 'ocr',
      mismatches: [],
      image: { key: certKey, sha256: sha256(image) },
    });
    expect(read.body.steps.registry).toMatchObject({ status: 'passed', outcome: 'valid' });
    expect(read.body.status).toBe('in_progress');

    const who = await hr.post(`/onboarding/${id}/identity`, { idNumber });
    expect(who.status).toBe(200);
    expect(who.body.steps.identity.status).toBe('passed');
    expect(who.body.status).toBe('admitted');
    // No ID number or certificate number in clear in anything the API answered.
    for (const body of [live.body, face.body, read.body, who.body])
      expect(JSON.stringify(body)).not.toContain(idNumber.slice(6, 14));
    expect((await hr.get(`/onboarding/${id}`)).body).toEqual(who.body);

    const trail = await auditTrail(TENANT, today());
    const actions = trail.filter((a) => a.entityId === id).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'onboarding.start',
        'onboarding.liveness_started',
        'onboarding.liveness_result',
        'onboarding.face_match',
        'onboarding.document',
        'onboarding.identity',
      ]),
    );
    // A closed flow takes no more steps.
    const late = await hr.post(`/onboarding/${id}/identity`, { idNumber });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('onboarding_closed');
  });

  it('reads the e-certificate’s QR code first: the issuer’s payload wins over what OCR guessed', async () => {
    const { personId, certificateId, cert } = await worker();
    const id = await start(personId);
    const png = await QRCode.toBuffer(`${cert.number}|${cert.issuedOn}|${cert.expiresOn}`, {
      type: 'png',
      width: 240,
    });
    const key = await upload(id, 'certificate', png, 'image/png');
    const read = await hr.post(`/onboarding/${id}/document`, { certificateId, imageKey: key });
    expect(read.body.steps.document).toMatchObject({ status: 'passed', source: 'qr', unreadable: [] });
  });

  it('refuses a spoofed liveness check', async () => {
    const { personId } = await worker();
    const id = await start(personId);
    const res = await liveness(id, 'a printed photo held up: SPOOF');
    expect(res.body.steps.liveness).toMatchObject({ status: 'failed', reason: 'liveness_failed' });
    expect(res.body).toMatchObject({ status: 'refused', reason: 'liveness_failed' });
  });

  it('sends a low face similarity to a person, never refuses on it; a reviewer admits', async () => {
    const { personId } = await worker();
    const id = await start(personId);
    await liveness(id, 'FACE:chen');
    const card = await upload(id, 'id_card', Buffer.from('FACE:somebody-else'));
    const res = await hr.post(`/onboarding/${id}/face-match`, { imageKey: card });
    expect(res.body.steps.faceMatch).toMatchObject({
      status: 'review',
      reason: 'face_similarity_low',
      similarity: 31,
    });
    expect(res.body.status).toBe('review');
    const sub = await api.as({ tenantId: TENANT, role: 'subcontractor', subcontractorId });
    expect(
      (await sub.post(`/onboarding/${id}/review`, { decision: 'admit', note: '本人到场核对' })).status,
    ).toBe(403);
    const reviewed = await hr.post(`/onboarding/${id}/review`, {
      decision: 'admit',
      note: '本人到场核对，证件照为十年前',
    });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body).toMatchObject({ status: 'admitted', review: { decision: 'admit' } });
    const again = await hr.post(`/onboarding/${id}/review`, { decision: 'refuse', note: '改变主意' });
    expect(again.status).toBe(409);
  });

  it('refuses a certificate that names someone else, and one the registry does not know', async () => {
    const { personId, certificateId, cert } = await worker();
    const other = newIdNumber();
    const id = await start(personId);
    const key = await upload(
      id,
      'certificate',
      certificateImage([`T${other}`, cert.issuedOn, cert.expiresOn]),
    );
    const read = await hr.post(`/onboarding/${id}/document`, { certificateId, imageKey: key });
    expect(read.body.steps.document).toMatchObject({
      status: 'failed',
      reason: 'document_names_someone_else',
      mismatches: ['certificate_number', 'id_number'],
    });
    expect(read.body.status).toBe('refused');

    const unknown = await worker({ inRegistry: false });
    const id2 = await start(unknown.personId);
    const key2 = await upload(
      id2,
      'certificate',
      certificateImage([unknown.cert.number, unknown.cert.issuedOn, unknown.cert.expiresOn]),
    );
    const read2 = await hr.post(`/onboarding/${id2}/document`, {
      certificateId: unknown.certificateId,
      imageKey: key2,
    });
    expect(read2.body.steps.document.status).toBe('passed');
    expect(read2.body.steps.registry).toMatchObject({ status: 'failed', reason: 'registry_not_found' });
    expect(read2.body).toMatchObject({ status: 'refused', reason: 'registry_not_found' });
  });

  it('sends an unreadable card or dates that differ to review', async () => {
    const { personId, certificateId, cert } = await worker();
    const id = await start(personId);
    const blurred = await upload(id, 'certificate', certificateImage(['特种作业操作证']));
    const read = await hr.post(`/onboarding/${id}/document`, { certificateId, imageKey: blurred });
    expect(read.body.steps.document).toMatchObject({
      status: 'review',
      reason: 'document_unreadable',
      unreadable: ['certificate_number', 'id_number', 'dates'],
    });
    const redated = await upload(
      id,
      'certificate',
      certificateImage([cert.number, cert.issuedOn, '2031-01-01']),
    );
    const read2 = await hr.post(`/onboarding/${id}/document`, { certificateId, imageKey: redated });
    expect(read2.body.steps.document).toMatchObject({ status: 'review', reason: 'document_dates_differ' });
  });

  it('refuses when the identity authority says name and number do not belong together', async () => {
    const first17 = `33010619900101${'999'}`;
    const idNumber = `${first17}${residentIdCheckChar(first17)}`;
    const { personId } = await worker({ idNumber });
    const id = await start(personId);
    const typo = await hr.post(`/onboarding/${id}/identity`, { idNumber: newIdNumber() });
    expect(typo.status).toBe(400);
    expect(typo.body.errors[0].code).toBe('id_number_not_persons');
    const res = await hr.post(`/onboarding/${id}/identity`, { idNumber: idNumber.toLowerCase() });
    expect(res.body.steps.identity).toMatchObject({ status: 'failed', reason: 'identity_no_match' });
    expect(res.body.status).toBe('refused');
  });

  it('answers 503 while the provider is down and changes nothing', async () => {
    const { personId } = await worker();
    const id = await start(personId);
    providers.setMode({ mode: 'down' });
    try {
      const res = await hr.post(`/onboarding/${id}/liveness`, {});
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('provider_unavailable');
    } finally {
      providers.setMode({ mode: 'normal' });
    }
    providers.setMode({ mode: 'garbage' });
    try {
      expect((await hr.post(`/onboarding/${id}/liveness`, {})).status).toBe(503);
    } finally {
      providers.setMode({ mode: 'normal' });
    }
    expect((await hr.get(`/onboarding/${id}`)).body.steps).toEqual({});
  });
});

describe('forgery analysis (O3) over the API', () => {
  /** A photo of a card, with the lines the OCR simulator reads appended after the image's end. */
  const photo = (jpeg: Buffer, cert: { number: string; issuedOn: string; expiresOn: string }) =>
    Buffer.concat([jpeg, certificateImage([cert.number, cert.issuedOn, cert.expiresOn])]);

  async function submit(options: {
    image: (c: { number: string; issuedOn: string; expiresOn: string }) => Buffer;
    flash?: Buffer;
  }) {
    const w = await worker();
    const id = await start(w.personId);
    const key = await upload(id, 'certificate', options.image(w.cert));
    const flashKey = options.flash ? await upload(id, 'certificate', options.flash) : undefined;
    const res = await hr.post(`/onboarding/${id}/document`, {
      certificateId: w.certificateId,
      imageKey: key,
      ...(flashKey ? { flashImageKey: flashKey } : {}),
    });
    expect(res.status).toBe(200);
    return { ...w, id, key, res };
  }

  it('catches a card already shown by another person: locked red until a person decides', async () => {
    const first = await submit({ image: (c) => photo(cleanPhoto(41), c) });
    expect(first.res.body.steps.document).toMatchObject({ status: 'passed', forgery: { signals: [] } });
    expect(first.res.body.steps.document.forgery.risk).toBeLessThan(60);
    const certs = (await hr.get(`/people/${first.personId}/certificates`)).body.items;
    expect(certs[0].forgery).toMatchObject({ state: 'clear', imageKey: first.key });

    const second = await submit({ image: (c) => photo(forwardedCard(41), c) });
    expect(second.res.body.steps.document).toMatchObject({
      status: 'review',
      reason: 'forgery_suspected',
    });
    // The card, its portrait or both found again under the first person's name.
    const reuse = second.res.body.steps.document.forgery.signals.filter((s: { code: string }) =>
      ['card_reused', 'photo_reused'].includes(s.code),
    );
    expect(reuse.length).toBeGreaterThan(0);
    for (const s of reuse)
      expect(s.detail).toMatchObject({ personId: first.personId, certificateId: first.certificateId });
    expect(second.res.body.steps.document.forgery.risk).toBeGreaterThanOrEqual(60);
    expect(second.res.body.status).toBe('review');
    const status = (await hr.get(`/people/${second.personId}/status`)).body;
    expect(status.color).toBe('red');
    expect(status.reasons.map((r: { code: string }) => r.code)).toContain('forgery_review');

    const path = `/people/${second.personId}/certificates/${second.certificateId}/review`;
    const sub = await api.as({ tenantId: TENANT, role: 'subcontractor', subcontractorId });
    expect((await sub.post(path, { decision: 'genuine', note: '我们的人' })).status).toBe(403);
    const stranger = await api.as({ tenantId: 'admit-other', role: 'group_admin' });
    expect((await stranger.post(path, { decision: 'genuine', note: '看过了' })).status).toBe(404);
    const forged = await hr.post(path, { decision: 'forged', note: '与他人证件为同一张照片' });
    expect(forged.status).toBe(200);
    expect(forged.body.forgery).toMatchObject({ state: 'forged', review: { decision: 'forged' } });
    const after = (await hr.get(`/people/${second.personId}/status`)).body;
    expect(after.reasons.map((r: { code: string }) => r.code)).toContain('forgery_confirmed');
    expect((await hr.post(path, { decision: 'genuine', note: '改主意' })).status).toBe(409);
    const trail = await auditTrail(TENANT, today());
    expect(trail.filter((a) => a.entityId === second.certificateId).map((a) => a.action)).toEqual(
      expect.arrayContaining(['certificate.forgery_analysis', 'certificate.forgery_review']),
    );
  });

  it('locks a card with pasted text, and a reviewer who finds it genuine unlocks it', async () => {
    const pasted = await submit({ image: (c) => photo(pastedText(42), c) });
    const codes = pasted.res.body.steps.document.forgery.signals.map((s: { code: string }) => s.code);
    expect(codes).toContain('error_level_inconsistent');
    expect((await hr.get(`/people/${pasted.personId}/status`)).body.color).toBe('red');
    const res = await admin.post(`/people/${pasted.personId}/certificates/${pasted.certificateId}/review`, {
      decision: 'genuine',
      note: '原件核对无误，系扫描件修补',
    });
    expect(res.body.forgery.state).toBe('genuine');
    expect((await hr.get(`/people/${pasted.personId}/status`)).body.color).toBe('green');
  });

  it('reads the seal’s answer to a flash photo: a printed seal is caught, real ink is not', async () => {
    const printed = await submit({ image: (c) => photo(cleanPhoto(43), c), flash: flashPhoto(43, true) });
    expect(printed.res.body.steps.document.forgery.signals.map((s: { code: string }) => s.code)).toContain(
      'seal_flat_under_flash',
    );
    const real = await submit({ image: (c) => photo(cleanPhoto(44), c), flash: flashPhoto(44, false) });
    expect(real.res.body.steps.document).toMatchObject({ status: 'passed' });
  });
});

describe('withdrawing the face consent', () => {
  it('deletes the face images from S3 and the liveness and face-match results, audited', async () => {
    const { personId } = await worker();
    const id = await start(personId);
    await liveness(id, 'FACE:chen');
    const card = await upload(id, 'id_card', Buffer.from('FACE:chen'));
    await hr.post(`/onboarding/${id}/face-match`, { imageKey: card });
    const prefix = `face/t/${TENANT}/p/${personId}/`;
    const list = () =>
      s3.send(new ListObjectsV2Command({ Bucket: process.env.EVIDENCE_BUCKET, Prefix: prefix }));
    expect((await list()).KeyCount).toBe(2);

    const res = await hr.post(`/people/${personId}/consents/face/withdrawal`, {});
    expect(res.status).toBe(200);
    expect(res.body.withdrawnAt).toBeTruthy();
    expect((await list()).KeyCount ?? 0).toBe(0);
    const flow = (await hr.get(`/onboarding/${id}`)).body;
    expect(flow.steps.liveness).not.toHaveProperty('confidence');
    expect(flow.steps.liveness).not.toHaveProperty('referenceImage');
    expect(flow.steps.liveness).not.toHaveProperty('sessionId');
    expect(flow.steps.faceMatch).not.toHaveProperty('similarity');
    expect(flow.steps.faceMatch).not.toHaveProperty('image');
    expect(flow.steps.liveness.status).toBe('passed');
    const trail = await auditTrail(TENANT, today());
    expect(
      trail.find(
        (a) => a.action === 'consent.withdraw' && (a.details as { personId?: string })?.personId === personId,
      ),
    ).toMatchObject({
      details: { purpose: 'face', deletedImages: 2, flowsCleared: 1 },
    });
    // No face step without the consent, and no second withdrawal.
    expect((await hr.post(`/onboarding/${id}/liveness`, {})).status).toBe(403);
    expect((await hr.post(`/people/${personId}/consents/face/withdrawal`, {})).status).toBe(409);
    expect((await hr.post(`/people/${personId}/consents/nothing/withdrawal`, {})).status).toBe(404);
  });
});

describe('attacks', () => {
  it('keeps flows, consents and images to their tenant, subcontractor and flow', async () => {
    const { personId } = await worker();
    const id = await start(personId);
    const stranger = await api.as({ tenantId: 'admit-other', role: 'group_admin' });
    expect((await stranger.get(`/onboarding/${id}`)).status).toBe(404);
    expect((await stranger.get(`/people/${personId}/consents`)).status).toBe(404);
    expect(
      (await stranger.post(`/onboarding/${id}/uploads`, { kind: 'id_card', contentType: 'image/png' }))
        .status,
    ).toBe(404);
    const otherSub = await api.as({
      tenantId: TENANT,
      role: 'subcontractor',
      subcontractorId: 'sub_someone_else',
    });
    expect((await otherSub.get(`/onboarding/${id}`)).status).toBe(404);
    const auditor = await api.as({ tenantId: TENANT, role: 'auditor' });
    expect((await auditor.get(`/onboarding/${id}`)).status).toBe(200);
    expect((await auditor.post(`/onboarding/${id}/liveness`, {})).status).toBe(403);

    // An image of another flow is not evidence for this one.
    const second = await worker();
    const id2 = await start(second.personId);
    const theirs = await upload(id2, 'id_card', Buffer.from('FACE:chen'));
    await liveness(id, 'FACE:chen');
    for (const imageKey of [
      theirs,
      `face/t/${TENANT}/p/${personId}/${id}/../../x`,
      'documents/t/other/p/x/y.jpg',
    ]) {
      const res = await hr.post(`/onboarding/${id}/face-match`, { imageKey });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].code).toBe('image_not_of_flow');
    }
    const mine = `face/t/${TENANT}/p/${personId}/${id}/never-uploaded.jpg`;
    expect((await hr.post(`/onboarding/${id}/face-match`, { imageKey: mine })).body.errors[0].code).toBe(
      'image_not_uploaded',
    );
    // The person must work for the subcontractor named.
    expect(
      (await hr.post('/onboarding', { personId, subcontractorId: 'sub_01ABCDEFGHJKMNPQRSTVWXYZ00' })).status,
    ).toBe(404);
  });
});
