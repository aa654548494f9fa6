import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allAdapters } from '../../functions/composition-root.ts';
import type { ScanDeps } from '../../functions/gates/scans.ts';
import { handleScan } from '../../functions/gates/scans.ts';
import { addDays, todayInShanghai } from '../../functions/shared/calendar.ts';
import { meterReads } from '../../functions/shared/dynamo/read-meter.ts';
import { asFunction } from '../../infra/local/iam-check.ts';
import { type ApiClient, getItem, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, samrCertificate } from '../support/fixtures.ts';

let api: TestApi;
let admin: ApiClient;
let hr: ApiClient;
let siteId: string;
let gateId: string;
let meter: ReturnType<typeof meterReads>;
let store: ScanDeps;
const TENANT = 'quiz-group';

const questions = [
  { questionId: 'fire', text: '动火作业前必须？', options: ['办理动火证', '口头告知'], answer: 0 },
  {
    questionId: 'height',
    text: '2 米以上作业必须？',
    options: ['不用防护', '系安全带', '跑快点'],
    answer: 1,
  },
  { questionId: 'gas', text: '有限空间作业前必须？', options: ['直接进入', '先检测气体'], answer: 1 },
  { questionId: 'crane', text: '吊装区域下方？', options: ['禁止站人', '可以通行'], answer: 0 },
];
const safety = (quizRequired: boolean) => ({
  notice: '进入本工地须佩戴安全帽，遵守动火、高处、有限空间作业规定。',
  questions,
  quizRequired,
});

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
  siteId = (await admin.post('/sites', { name: '镇海', code: 'ZH', location: { lat: 29.95, lng: 121.7 } }))
    .body.siteId;
  gateId = `${TENANT}:${siteId}:main`;
  // The gate function's own store, run as that function below: its table grants are enforced.
  store = allAdapters();
  meter = meterReads(allAdapters().db);
});
afterAll(() => api.close());

async function worker(badgeUid: string) {
  const personId = (await hr.post('/people', { name: '新人', idNumber: newIdNumber() })).body
    .personId as string;
  await hr.post(`/people/${personId}/certificates`, samrCertificate(300));
  await hr.post(`/people/${personId}/badges`, { badgeUid });
  return personId;
}

let n = 0;
const scanIn = (badgeUid: string) =>
  asFunction('gates', () =>
    handleScan(store, gateId, {
      scanId: `quiz-scan-${++n}-x`,
      badgeUid,
      direction: 'in',
      at: new Date().toISOString(),
    }),
  );

describe('site safety notice and quiz (X5)', () => {
  it('validates the notice and questions, and keeps other sites’ managers out', async () => {
    const bad = await admin.put(`/sites/${siteId}/safety`, {
      ...safety(true),
      questions: [...questions.slice(0, 2), { ...questions[2], answer: 5 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ code: 'answer_out_of_range' });
    expect(
      (await admin.put(`/sites/${siteId}/safety`, { ...safety(true), questions: questions.slice(0, 2) }))
        .status,
    ).toBe(400);
    expect((await admin.get(`/sites/${siteId}/safety`)).status).toBe(404); // nothing was written
    const other = await api.as({
      tenantId: TENANT,
      role: 'site_manager',
      siteIds: ['site_01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    });
    expect((await other.put(`/sites/${siteId}/safety`, safety(true))).status).toBe(404);
    expect((await hr.put(`/sites/${siteId}/safety`, safety(true))).status).toBe(403);
    expect((await admin.put('/sites/site_01ARZ3NDEKTSV4RRFFQ69G5FAV/safety', safety(true))).status).toBe(404);
  });

  it('gives a newcomer the notice and a quiz on first arrival, refuses entry until it is passed, then lets them in', async () => {
    const manager = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: [siteId] });
    expect((await manager.put(`/sites/${siteId}/safety`, safety(true))).status).toBe(200);
    const personId = await worker('0F0F0F01');

    Object.assign(meter, { calls: 0, items: 0 });
    const first = await scanIn('0F0F0F01');
    expect(first).toMatchObject({ decision: 'deny', reason: 'quiz_required' });
    expect(meter.calls).toBeLessThanOrEqual(3); // 2 reads for the decision, 1 for the question pool on first arrival

    // The notice and quiz are in the person's inbox.
    const self = await api.as({ tenantId: TENANT, role: 'auditor', personId, subject: 'worker-self' });
    const inbox = (await self.get('/me/inbox')).body.items.filter((m: any) => m.kind === 'site_induction');
    expect(inbox).toHaveLength(1);
    expect(inbox[0].quiz.siteId).toBe(siteId);
    const quizId = inbox[0].quiz.quizId as string;

    // A second arrival does not make a second quiz.
    expect(await scanIn('0F0F0F01')).toMatchObject({ decision: 'deny', reason: 'quiz_required' });
    expect(
      (await self.get('/me/inbox')).body.items.filter((m: any) => m.kind === 'site_induction'),
    ).toHaveLength(1);

    const quiz = (await self.get(`/quizzes/${quizId}`)).body;
    expect(quiz).toMatchObject({ quizId, personId, siteId, status: 'pending', attempts: 0 });
    expect(quiz.notice).toContain('安全帽');
    expect(quiz.questions).toHaveLength(3);
    expect(JSON.stringify(quiz)).not.toContain('"answer"');

    const right = Object.fromEntries(questions.map((q) => [q.questionId, q.answer]));
    const answers = (wrongFirst: boolean) =>
      quiz.questions.map((q: any, i: number) => ({
        questionId: q.questionId,
        choice: wrongFirst && i === 0 ? (right[q.questionId] === 0 ? 1 : 0) : right[q.questionId],
      }));
    const failed = await self.post(`/quizzes/${quizId}/answers`, { answers: answers(true) });
    expect(failed.body).toMatchObject({ passed: false, total: 3, attempts: 1, status: 'pending' });
    // Pass or fail only: which answers (or how many) were wrong would let three attempts
    // find the right ones alone, and the supervision rule would never trigger.
    expect(failed.body).not.toHaveProperty('wrongQuestionIds');
    expect(failed.body).not.toHaveProperty('correct');
    expect(await scanIn('0F0F0F01')).toMatchObject({ decision: 'deny', reason: 'quiz_required' });

    const mismatch = await self.post(`/quizzes/${quizId}/answers`, {
      answers: [...answers(false).slice(0, 2), { questionId: 'nope', choice: 0 }],
    });
    expect(mismatch.status).toBe(400);

    const passed = await self.post(`/quizzes/${quizId}/answers`, { answers: answers(false) });
    expect(passed.body).toMatchObject({ passed: true, attempts: 2, status: 'passed' });
    expect((await self.post(`/quizzes/${quizId}/answers`, { answers: answers(false) })).status).toBe(409);

    Object.assign(meter, { calls: 0, items: 0 });
    expect(await scanIn('0F0F0F01')).toMatchObject({ decision: 'allow', reason: 'ok' });
    expect(meter.calls).toBeLessThanOrEqual(2);

    // A later status write (a new certificate) keeps the quiz state on the gate view.
    await hr.post(`/people/${personId}/certificates`, samrCertificate(200, { category: 'Q2' }));
    expect(await getItem(`T#${TENANT}#PERSON#${personId}`, 'GATE')).toMatchObject({
      [`quiz_${siteId}`]: 'passed',
    });
    expect(await scanIn('0F0F0F01')).toMatchObject({ decision: 'allow' });
  });

  it('lets a newcomer in where the quiz is not required, still giving them the notice and quiz', async () => {
    await admin.put(`/sites/${siteId}/safety`, safety(false));
    const personId = await worker('0F0F0F02');
    expect(await scanIn('0F0F0F02')).toMatchObject({ decision: 'allow' });
    expect(await getItem(`T#${TENANT}#PERSON#${personId}`, 'GATE')).toMatchObject({
      [`quiz_${siteId}`]: 'pending',
    });
    await admin.put(`/sites/${siteId}/safety`, safety(true));
    expect(await scanIn('0F0F0F02')).toMatchObject({ decision: 'deny', reason: 'quiz_required' });
  });

  it('asks for the quiz again once a passed one has run out (annual induction)', async () => {
    await admin.put(`/sites/${siteId}/safety`, { ...safety(true), quizValidDays: 365 });
    const personId = await worker('0F0F0F04');
    const self = await api.as({ tenantId: TENANT, role: 'auditor', personId, subject: 'worker-4' });
    const inductions = async () =>
      (await self.get('/me/inbox')).body.items.filter((m: any) => m.kind === 'site_induction');
    await scanIn('0F0F0F04');
    const [first] = await inductions();
    const quiz = (await self.get(`/quizzes/${first.quiz.quizId}`)).body;
    const right = Object.fromEntries(questions.map((q) => [q.questionId, q.answer]));
    const answers = quiz.questions.map((q: any) => ({
      questionId: q.questionId,
      choice: right[q.questionId],
    }));
    expect((await self.post(`/quizzes/${quiz.quizId}/answers`, { answers })).body.passed).toBe(true);
    const view = await getItem(`T#${TENANT}#PERSON#${personId}`, 'GATE');
    expect(view?.[`quizPassedOn_${siteId}`]).toBe(todayInShanghai());
    expect(await scanIn('0F0F0F04')).toMatchObject({ decision: 'allow' });

    // A year on (the pass date moved back, as time would): refused, and a new quiz is in the inbox.
    await allAdapters().db.send(
      new UpdateCommand({
        TableName: process.env.TABLE_NAME as string,
        Key: { pk: `T#${TENANT}#PERSON#${personId}`, sk: 'GATE' },
        UpdateExpression: 'SET #on = :old',
        ExpressionAttributeNames: { '#on': `quizPassedOn_${siteId}` },
        ExpressionAttributeValues: { ':old': addDays(todayInShanghai(), -365) },
      }),
    );
    expect(await scanIn('0F0F0F04')).toMatchObject({ decision: 'deny', reason: 'quiz_required' });
    const after = await inductions();
    expect(after).toHaveLength(2);
    const renewed = after.find((m: any) => m.quiz.quizId !== quiz.quizId);
    expect((await self.get(`/quizzes/${renewed.quiz.quizId}`)).body).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
    await admin.put(`/sites/${siteId}/safety`, safety(true));
  });

  it('after three failed attempts alone, wants the next one supervised by the site’s staff', async () => {
    await admin.put(`/sites/${siteId}/safety`, safety(false));
    const personId = await worker('0F0F0F05');
    await scanIn('0F0F0F05');
    const quizId = (await getItem(`T#${TENANT}#PERSON#${personId}`, 'GATE'))?.[`quizId_${siteId}`] as string;
    const self = await api.as({ tenantId: TENANT, role: 'auditor', personId, subject: 'worker-5' });
    const quiz = (await self.get(`/quizzes/${quizId}`)).body;
    const right = Object.fromEntries(questions.map((q) => [q.questionId, q.answer]));
    const answers = (wrong: boolean) =>
      quiz.questions.map((q: any) => ({
        questionId: q.questionId,
        choice: wrong ? (right[q.questionId] === 0 ? 1 : 0) : right[q.questionId],
      }));
    for (let i = 1; i <= 3; i++)
      expect((await self.post(`/quizzes/${quizId}/answers`, { answers: answers(true) })).body.attempts).toBe(
        i,
      );
    const locked = await self.post(`/quizzes/${quizId}/answers`, { answers: answers(false) });
    expect(locked.status).toBe(409);
    expect(locked.body.code).toBe('quiz_needs_supervision');
    const manager = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: [siteId] });
    expect(
      (await manager.post(`/quizzes/${quizId}/answers`, { answers: answers(false) })).body,
    ).toMatchObject({
      passed: true,
      attempts: 4,
    });
    await admin.put(`/sites/${siteId}/safety`, safety(true));
  });

  it('lets the site’s staff find a person’s pending quiz to administer it at the gate', async () => {
    const personId = await worker('0F0F0F06');
    await scanIn('0F0F0F06');
    const manager = await api.as({ tenantId: TENANT, role: 'site_manager', siteIds: [siteId] });
    const listed = await manager.get(`/people/${personId}/quizzes`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      { siteId, quizId: expect.stringMatching(/^quiz_/), status: 'pending' },
    ]);
    expect((await manager.get(`/quizzes/${listed.body.items[0].quizId}`)).status).toBe(200);
    const self = await api.as({ tenantId: TENANT, role: 'auditor', personId, subject: 'worker-6' });
    expect((await self.get(`/people/${personId}/quizzes`)).body.items).toHaveLength(1);
    const elsewhere = await api.as({
      tenantId: TENANT,
      role: 'site_manager',
      siteIds: ['site_01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    });
    expect((await elsewhere.get(`/people/${personId}/quizzes`)).status).toBe(404);
    expect(
      (await (await api.as({ tenantId: TENANT, role: 'auditor' })).get(`/people/${personId}/quizzes`)).status,
    ).toBe(404);
    expect(
      (await (await api.as({ tenantId: 'another-group', role: 'hr' })).get(`/people/${personId}/quizzes`))
        .status,
    ).toBe(404);
  });

  it('shows a quiz only to its taker and the people responsible for the site', async () => {
    const personId = await worker('0F0F0F03');
    await scanIn('0F0F0F03');
    const quizId = (await getItem(`T#${TENANT}#PERSON#${personId}`, 'GATE'))?.[`quizId_${siteId}`] as string;
    expect(quizId).toMatch(/^quiz_/);
    const stranger = await api.as({
      tenantId: TENANT,
      role: 'auditor',
      personId: 'per_01ARZ3NDEKTSV4RRFFQ69G5FAV',
    });
    expect((await stranger.get(`/quizzes/${quizId}`)).status).toBe(404);
    const elsewhere = await api.as({ tenantId: 'another-group', role: 'group_admin' });
    expect((await elsewhere.get(`/quizzes/${quizId}`)).status).toBe(404);
    const otherManager = await api.as({
      tenantId: TENANT,
      role: 'site_manager',
      siteIds: ['site_01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    });
    expect((await otherManager.get(`/quizzes/${quizId}`)).status).toBe(404);
    expect((await admin.get(`/quizzes/${quizId}`)).status).toBe(200);
    expect((await admin.get('/quizzes/quiz_bad')).status).toBe(404);
  });
});
