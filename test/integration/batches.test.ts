import { PurgeQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as worker } from '../../functions/worker/handler.ts';
import { type RegistrySimulator, startRegistrySimulator } from '../../infra/local/registry-simulator.ts';
import { startWorkPoller, type WorkPoller } from '../../infra/local/work-poller.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, newSubcontractor, samrCertificate } from '../support/fixtures.ts';

let api: TestApi;
let hr: ApiClient;
let registry: RegistrySimulator;
let poller: WorkPoller;

beforeAll(async () => {
  registry = await startRegistrySimulator();
  process.env.REGISTRY_BASE_URL = registry.url;
  api = await startTestApi();
  const admin = await api.as({ tenantId: 'batches', role: 'group_admin' });
  await admin.put('/settings/registry', { unifiedSocialCreditCode: '91350100M000100Y43' });
  hr = await api.as({ tenantId: 'batches', role: 'hr' });
});
afterAll(async () => {
  await api.close();
  await registry.close();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('batch cleaning (L6)', () => {
  it('checks pasted numbers in the background and lists exactly the rows a human must look at', async () => {
    // Our own worker with a registered certificate the registry confirms.
    const heldId = newIdNumber();
    const held = (await hr.post('/people', { name: '赵敏', idNumber: heldId })).body.personId;
    const cert = samrCertificate(300);
    await hr.post(`/people/${held}/certificates`, cert);
    registry.add({
      scheme: 'SAMR',
      number: cert.number,
      category: 'N1',
      holderName: '赵敏',
      holderIdNumber: heldId,
      issuedOn: cert.issuedOn,
      expiresOn: cert.expiresOn,
      status: 'valid',
    });
    // A person we hold whose registry record has the name in pinyin.
    const pinyinId = newIdNumber();
    await hr.post('/people', { name: '周芷若', idNumber: pinyinId });
    registry.add({
      scheme: 'SAMR',
      number: 'TS-Q1-8888',
      category: 'Q1',
      holderName: 'Zhou Zhiruo',
      holderIdNumber: pinyinId,
      issuedOn: '2024-01-01',
      expiresOn: '2027-12-31',
      status: 'valid',
    });
    // A certificate only the registry knows, registered under a former name.
    registry.add({
      scheme: 'SAMR',
      number: 'TS-N1-7777',
      category: 'N1',
      holderName: '殷离',
      holderFormerNames: ['殷素素'],
      holderIdNumber: newIdNumber(),
      issuedOn: '2024-01-01',
      expiresOn: '2027-12-31',
      status: 'valid',
    });

    const text = [cert.number, 'TS-FORGED-0001', pinyinId, '110105194912310021', '@@@!!', 'TS-N1-7777'].join(
      '\n',
    );
    const res = await hr.post('/verifications/batches', { format: 'text', content: text });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      total: 6,
      processed: 2,
      status: 'processing',
      counts: { malformed: 2 },
    });
    const batchId = res.body.batchId;

    poller = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
    const done = await until(
      () => hr.get(`/verifications/batches/${batchId}`),
      (r) => r.body.batch.status === 'completed',
    );
    expect(done.body.batch).toMatchObject({
      status: 'completed',
      processed: 6,
      counts: { valid: 2, not_found: 1, name_review: 1, malformed: 2 },
    });
    const byRow = Object.fromEntries(done.body.rows.map((r: { row: number }) => [r.row, r]));
    expect(byRow[1]).toMatchObject({ outcome: 'valid', personId: held, needsReview: false });
    expect(byRow[3]).toMatchObject({
      kind: 'id',
      display: `${pinyinId.slice(0, 4)}**********${pinyinId.slice(-4)}`,
      outcome: 'name_review',
    });
    expect(JSON.stringify(done.body)).not.toContain(pinyinId);

    const review = (await hr.get(`/verifications/batches/${batchId}/review-list`)).body.items;
    expect(
      review.map((r: { row: number; outcome: string; reasons: string[] }) => [r.row, r.outcome, r.reasons]),
    ).toEqual([
      [2, 'not_found', ['not_in_registry', 'not_in_tenant']],
      [3, 'name_review', ['name_pinyin_variant']],
      [4, 'malformed', ['id_check_digit']],
      [5, 'malformed', ['bad_characters']],
    ]);
    // TS-N1-7777 (former name) is valid: no name was given with that row to compare.
    expect(byRow[6]).toMatchObject({ outcome: 'valid' });

    const xlsx = await fetch(`${api.gateway.url}/verifications/batches/${batchId}/review-list?format=xlsx`, {
      headers: {
        authorization: `Bearer ${await (await import('../../infra/local/dev-tokens.ts')).mintDevToken(api.key, { tenantId: 'batches', role: 'hr' })}`,
      },
    });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    expect(book.worksheets[0]?.rowCount).toBe(5); // header + 4 rows

    const again = await hr.post('/verifications/batches', { format: 'text', content: text });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ batchId, duplicate: true });
  }, 60_000);

  it('reads CSV with named columns and compares the given names, including former names', async () => {
    registry.add({
      scheme: 'SAMR',
      number: 'TS-G1-5555',
      category: 'G1',
      holderName: '黄蓉',
      holderFormerNames: ['黄小蓉'],
      holderIdNumber: newIdNumber(),
      issuedOn: '2024-01-01',
      expiresOn: '2027-12-31',
      status: 'valid',
    });
    const csv = '\uFEFF姓名,证书编号\n黄小蓉,TS-G1-5555\n郭靖,TS-G1-5555\n';
    const res = await hr.post('/verifications/batches', {
      format: 'csv',
      content: csv,
      fileName: 'list.csv',
    });
    expect(res.body.total).toBe(2);
    const done = await until(
      () => hr.get(`/verifications/batches/${res.body.batchId}`),
      (r) => r.body.batch.status === 'completed',
    );
    expect(
      done.body.rows.map((r: { row: number; outcome: string; reasons: string[] }) => [
        r.row,
        r.outcome,
        r.reasons,
      ]),
    ).toEqual([
      [2, 'name_review', ['former_name', 'not_in_tenant']],
      [3, 'mismatch', ['name_mismatch', 'not_in_tenant']],
    ]);
  }, 60_000);

  it('reads an XLSX upload', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('名单');
    sheet.addRow(['身份证号', '姓名']);
    sheet.addRow([newIdNumber(), '张无忌']);
    sheet.addRow(['', '']);
    sheet.addRow(['TS-NOPE-1', '']);
    const content = Buffer.from(await book.xlsx.writeBuffer()).toString('base64');
    const res = await hr.post('/verifications/batches', { format: 'xlsx', content });
    expect(res.status).toBe(202);
    expect(res.body.total).toBe(2);
  });

  it('takes the same uploads as multipart/form-data files', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('名单').addRows([['证书编号'], ['TS-MULTI-1'], ['TS-MULTI-2']]);
    const token = await (await import('../../infra/local/dev-tokens.ts')).mintDevToken(api.key, {
      tenantId: 'batches',
      role: 'hr',
    });
    const upload = async (blob: Blob, name: string) => {
      const form = new FormData();
      form.append('file', blob, name);
      const res = await fetch(`${api.gateway.url}/verifications/batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const xlsx = await upload(new Blob([Buffer.from(await book.xlsx.writeBuffer())]), '名单.xlsx');
    expect(xlsx.status).toBe(202);
    expect(xlsx.body).toMatchObject({ format: 'xlsx', total: 2, fileName: '名单.xlsx' });
    const csv = await upload(new Blob(['证书编号\nTS-MULTI-3\n']), 'list.csv');
    expect(csv.body).toMatchObject({ format: 'csv', total: 1 });
    const broken = await fetch(`${api.gateway.url}/verifications/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=x' },
      body: 'not multipart at all',
    });
    expect(broken.status).toBe(400);
  });

  it('accepts 10,000 rows at once and refuses 10,001', async () => {
    // Rows are checked at the registry's pace (rate-limited); this test is about intake.
    await poller.stop();
    const lines = Array.from({ length: 10_000 }, (_, i) => `TS-BULK-${i}`);
    const big = await hr.post('/verifications/batches', { format: 'text', content: lines.join('\n') });
    expect(big.status).toBe(202);
    expect(big.body).toMatchObject({ total: 10_000, processed: 0 });
    const page = await hr.get(`/verifications/batches/${big.body.batchId}?limit=100`);
    expect(page.body.rows).toHaveLength(100);
    expect(page.body.nextCursor).toBeDefined();
    const tooBig = await hr.post('/verifications/batches', {
      format: 'text',
      content: [...lines, 'TS-ONE-MORE'].join('\n'),
    });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.errors[0].code).toBe('too_many_rows');
  }, 120_000);

  it('hides another tenant’s batch and refuses an unreadable XLSX', async () => {
    const res = await hr.post('/verifications/batches', { format: 'text', content: 'TS-X-1' });
    const other = await api.as({ tenantId: 'elsewhere', role: 'group_admin' });
    expect((await other.get(`/verifications/batches/${res.body.batchId}`)).status).toBe(404);
    const bad = await hr.post('/verifications/batches', {
      format: 'xlsx',
      content: Buffer.from('not a workbook').toString('base64'),
    });
    expect(bad.status).toBe(400);
    // Text that decodes to no bytes at all: refused at once, not waited on.
    const empty = await hr.post('/verifications/batches', { format: 'xlsx', content: 'Ω'.repeat(1000) });
    expect(empty.status).toBe(400);
  });
});

describe('batch cleaning, as a careless or hostile uploader would use it', () => {
  const rowsOf = async (client: ApiClient, batchId: string) =>
    (await client.get(`/verifications/batches/${batchId}?limit=100`)).body.rows as {
      row: number;
      kind: string;
      display: string;
      outcome?: string;
      reasons?: string[];
      personId?: string;
      certificateId?: string;
    }[];

  it('reads ID numbers however they are pasted and never echoes one unmasked', async () => {
    const id = newIdNumber();
    const fullWidth = [...id].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
    const lines = [
      `ID:${id}`,
      `身份证${id}`,
      `${id.slice(0, 6)}-${id.slice(6, 14)}-${id.slice(14)}`,
      fullWidth,
      `${id} 张三 焊工 2026年复审 ${'备注'.repeat(20)}`,
      `${id}!!`,
    ];
    const res = await hr.post('/verifications/batches', { format: 'text', content: lines.join('\n') });
    expect(res.status).toBe(202);
    const rows = await rowsOf(hr, res.body.batchId);
    expect(rows.slice(0, 4).map((r) => r.kind)).toEqual(['id', 'id', 'id', 'id']);
    const middle = id.slice(4, 14);
    for (const r of rows) expect(r.display).not.toContain(middle);
    const review = await hr.get(`/verifications/batches/${res.body.batchId}/review-list`);
    expect(JSON.stringify(review.body)).not.toContain(middle);
  });

  it('turns a CSV with a stray or unclosed quote into row outcomes, not a server error', async () => {
    const id = newIdNumber();
    const csv = `证书编号,姓名\nTS-Q-1,张"三\n"${id},李四\nTS-Q-2,王五\n`;
    const res = await hr.post('/verifications/batches', { format: 'csv', content: csv });
    expect(res.status).toBe(202);
    const rows = await rowsOf(hr, res.body.batchId);
    expect(rows[0]).toMatchObject({ row: 2, kind: 'certificate', display: 'TS-Q-1' });
    // The quote opened on line 3 never closes: that line is malformed, and line 4 still read.
    expect(rows.map((r: { row: number }) => r.row)).toEqual([2, 3, 4]);
    expect(rows[1]).toMatchObject({ row: 3, outcome: 'malformed' });
    expect(rows[2]).toMatchObject({ row: 4, kind: 'certificate', display: 'TS-Q-2' });
    expect(JSON.stringify(rows)).not.toContain(id.slice(4, 14));
    const unclosed = await hr.post('/verifications/batches', {
      format: 'csv',
      content: '证书编号\n"TS-OPEN\n',
    });
    expect(unclosed.status).toBe(202);
    expect((await rowsOf(hr, unclosed.body.batchId))[0]).toMatchObject({ outcome: 'malformed' });
  });

  it('keeps a line of emoji a malformed row, not an outage (a cut surrogate pair once answered 503)', async () => {
    const family = '👨‍👩‍👧‍👦';
    const res = await hr.post('/verifications/batches', {
      format: 'text',
      content: `${family.repeat(40)}\nTS-E-1`,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const rows = await rowsOf(hr, res.body.batchId);
    expect(rows[0]).toMatchObject({ row: 1, outcome: 'malformed' });
    // No lone surrogate left by a cut.
    expect((rows[0] as { display: string }).display).not.toMatch(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
    );
  });

  it('refuses an XLSX that expands past the row limit without reading it all', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('名单');
    for (let i = 0; i < 12_000; i++) sheet.addRow([`TS-XL-${i}`]);
    const content = Buffer.from(await book.xlsx.writeBuffer()).toString('base64');
    const res = await hr.post('/verifications/batches', { format: 'xlsx', content });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].code).toBe('too_many_rows');
  }, 60_000);

  it('keeps subcontractors’ uploads apart and matches only their own workers', async () => {
    const admin = await api.as({ tenantId: 'batches', role: 'group_admin' });
    const subA = await newSubcontractor(admin, '甲劳务');
    const subB = await newSubcontractor(admin, '乙劳务');
    const a = await api.as({ tenantId: 'batches', role: 'subcontractor', subcontractorId: subA });
    const b = await api.as({ tenantId: 'batches', role: 'subcontractor', subcontractorId: subB });
    // A worker of subcontractor B, with a certificate.
    const idNumber = newIdNumber();
    const employee = await b.post('/people', {
      name: '钱七',
      idNumber,
      employer: { type: 'subcontractor', subcontractorId: subB },
    });
    expect(employee.status).toBe(201);
    const cert = samrCertificate(300);
    const created = await b.post(`/people/${employee.body.personId}/certificates`, cert);
    expect(created.status).toBe(201);

    const content = `${cert.number}\n${idNumber}`;

    // The 10,000 rows queued above would go first: this test is about scope, not throughput.
    await new SQSClient({ maxAttempts: 1 }).send(
      new PurgeQueueCommand({ QueueUrl: process.env.WORK_QUEUE_URL }),
    );
    const byA = await a.post('/verifications/batches', { format: 'text', content });
    const byB = await b.post('/verifications/batches', { format: 'text', content });
    expect(byA.status).toBe(202);
    expect(byB.status).toBe(202);
    expect(byA.body.batchId).not.toBe(byB.body.batchId); // same content, another scope
    expect((await b.get(`/verifications/batches/${byA.body.batchId}`)).status).toBe(404);
    poller = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
    try {
      const doneA = await until(
        () => a.get(`/verifications/batches/${byA.body.batchId}`),
        (r) => r.body.batch.status === 'completed',
      );
      for (const r of doneA.body.rows) {
        expect(r.personId).toBeUndefined();
        expect(r.certificateId).toBeUndefined();
        expect(r.reasons).toContain('not_in_tenant');
      }
      const doneB = await until(
        () => b.get(`/verifications/batches/${byB.body.batchId}`),
        (r) => r.body.batch.status === 'completed',
      );
      expect(doneB.body.rows[0]).toMatchObject({ personId: employee.body.personId });
    } finally {
      await poller.stop();
    }
  }, 60_000);
});
