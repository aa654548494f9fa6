// Writing ledger rows (issue 28) against in-memory fakes: the people and certificate use
// cases run on the fakes of their ports, so a row is written by the same rules as a request.
// A row is recorded once (a redelivered chunk resumes), a rule's refusal refuses the row and
// not the chunk, a stalled store fails the chunk, and the same rows again change nothing.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { addCertificate } from '../../functions/certificates/certificates.ts';
import { correctCertificate } from '../../functions/certificates/corrections.ts';
import {
  type Chunk,
  chunksOf,
  createUpload,
  etaSeconds,
  type ImportDeps,
  type ImportMeta,
  type ImportRowResult,
  type LedgerWrites,
  processChunk,
  type References,
  resolve,
  startImport,
} from '../../functions/imports/imports.ts';
import type { LedgerRow } from '../../functions/imports/ledger-row.ts';
import { correctPerson } from '../../functions/people/corrections.ts';
import { registerPerson } from '../../functions/people/people.ts';
import { addYears } from '../../functions/shared/calendar.ts';
import { Conflict, ProviderUnavailable, TooManyRequests } from '../../functions/shared/errors.ts';
import { callerIn, recordFakes } from '../support/fakes.ts';
import { newIdNumber } from '../support/fixtures.ts';

const TENANT = 'acme';
const as = callerIn(TENANT);
const hr = as('hr');

function world() {
  const f = recordFakes('2026-06-01T02:00:00Z');
  const results = new Map<number, ImportRowResult>();
  const badges = new Map<string, string>();
  let finished = 0;
  const calls = { findByIdHash: 0, peopleByIdHash: 0, certificatesOf: 0, badgeHolder: 0, badgeHolders: 0 };
  const w: LedgerWrites = {
    findByIdHash: (t, h) => {
      calls.findByIdHash += 1;
      return f.people.findByIdHash(t, h);
    },
    peopleByIdHash: async (t, hashes) => {
      calls.peopleByIdHash += 1;
      const found = await Promise.all(
        hashes.map(async (h) => [h, await f.people.findByIdHash(t, h)] as const),
      );
      return new Map(found.flatMap(([h, p]) => (p ? [[h, p] as const] : [])));
    },
    idHashKey: f.idHashKey,
    references: async () => ({ sites: [], subcontractors: [] }),
    register: (p, body, r) => registerPerson(f, p, body as never, r),
    correct: (p, id, changes, v, r) => correctPerson(f, p, id, changes, v, r),
    certificatesOf: (t, id) => {
      calls.certificatesOf += 1;
      return f.certificates.listForPerson(t, id);
    },
    hashNumber: (n) => f.numbers.hash(n),
    enterCertificate: (p, id, body, r) => addCertificate(f, p, id, body as never, r),
    correctCertificate: async (p, id, c, changes, v, r) =>
      (await correctCertificate(f, p, id, c, changes, v, r)).certificate,
    badgeHolder: async (_t, uid) => {
      calls.badgeHolder += 1;
      return badges.get(uid);
    },
    badgeHolders: async (_t, uids) => {
      calls.badgeHolders += 1;
      return new Map(uids.flatMap((u) => (badges.has(u) ? [[u, badges.get(u) as string] as const] : [])));
    },
    bindBadge: async (_p, id, uid) => {
      // A binding takes a moment: another lane of the chunk runs meanwhile.
      await new Promise((r) => setTimeout(r, 5));
      badges.set(uid, id);
    },
    imports: {
      done: async (_t, _i, rows) => new Set(rows.filter((r) => results.has(r))),
      record: async (_t, _i, result) => void (results.has(result.row) || results.set(result.row, result)),
      finishIfDone: async () => {
        finished += 1;
      },
    },
    clock: f.clock,
  };
  const today = f.clock.today();
  const forklift = (number: string, expiresOn = addYears(today, 3)) => ({
    scheme: 'SAMR' as const,
    category: 'N1',
    number,
    issuedOn: addYears(today, -1),
    expiresOn,
  });
  const chunk = (rows: LedgerRow[]): Chunk => ({ tenantId: TENANT, importId: 'imp_1', principal: hr, rows });
  return { f, w, results, badges, forklift, chunk, calls, finished: () => finished };
}

describe('writing ledger rows (use case, fakes)', () => {
  it('creates people with their certificates and badges; the same rows again change nothing', async () => {
    const { f, w, results, badges, forklift, chunk } = world();
    const a = newIdNumber();
    const rows: LedgerRow[] = [
      {
        row: 2,
        person: { name: '张伟', idNumber: a },
        certificate: forklift('TS-1'),
        badgeUid: '0A0000000001',
      },
      { row: 3, person: { name: '张伟', idNumber: a }, certificate: forklift('TS-2') },
      { row: 4, person: { name: '李娜', idNumber: newIdNumber(), employeeId: 'E-4' } },
    ];
    await processChunk(w, chunk(rows), 'req');
    expect([...results.values()].map((r) => [r.row, r.outcome]).sort()).toEqual([
      [2, 'created'],
      [3, 'updated'],
      [4, 'created'],
    ]);
    expect(f.records.people.size).toBe(2);
    expect(f.records.certificates.size).toBe(2);
    expect(badges.get('0A0000000001')).toBe(results.get(2)?.personId);
    results.clear();
    await processChunk(w, chunk(rows), 'req-again');
    expect([...results.values()].map((r) => r.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(f.records.certificates.size).toBe(2);
  });

  it('looks a chunk’s people and badges up at once, and reads no certificates of a person it just created', async () => {
    const { w, results, forklift, chunk, calls } = world();
    const a = newIdNumber();
    const rows: LedgerRow[] = [
      { row: 2, person: { name: '张伟', idNumber: a }, certificate: forklift('TS-1'), badgeUid: '0A01' },
      { row: 3, person: { name: '张伟', idNumber: a }, certificate: forklift('TS-2') },
      {
        row: 4,
        person: { name: '李娜', idNumber: newIdNumber() },
        certificate: forklift('TS-3'),
        badgeUid: '0A02',
      },
    ];
    await processChunk(w, chunk(rows), 'r1');
    expect([...results.values()].map((r) => r.outcome)).toEqual(['created', 'updated', 'created']);
    // One batched look-up each; only 张伟's second row reads him again (his first row changed him)
    // and his certificates (he holds TS-1 by then).
    expect(calls).toEqual({
      findByIdHash: 1,
      peopleByIdHash: 1,
      certificatesOf: 1,
      badgeHolder: 0,
      badgeHolders: 1,
    });
  });

  it('gives a badge named twice in one chunk to the first person only: the second row is refused, the badge never moves', async () => {
    const { w, results, badges, chunk } = world();
    const rows: LedgerRow[] = [
      { row: 2, person: { name: '张伟', idNumber: newIdNumber() }, badgeUid: '0A0000000009' },
      { row: 3, person: { name: '李娜', idNumber: newIdNumber() }, badgeUid: '0A0000000009' },
    ];
    await processChunk(w, chunk(rows), 'r');
    const first = results.get(2);
    expect(first?.outcome).toBe('created');
    expect(badges.get('0A0000000009')).toBe(first?.personId);
    expect(results.get(3)).toMatchObject({
      outcome: 'created',
      problems: [{ field: 'badgeUid', code: 'badge_held_by_another' }],
    });
  });

  it('updates what the ledger says differently: a name, an expiry', async () => {
    const { f, w, results, forklift, chunk } = world();
    const id = newIdNumber();
    await processChunk(
      w,
      chunk([{ row: 2, person: { name: '张伟', idNumber: id }, certificate: forklift('TS-1') }]),
      'r1',
    );
    results.clear();
    const later = addYears(f.clock.today(), 2);
    await processChunk(
      w,
      chunk([{ row: 2, person: { name: '张玮', idNumber: id }, certificate: forklift('TS-1', later) }]),
      'r2',
    );
    expect(results.get(2)?.outcome).toBe('updated');
    const [person] = f.records.people.values();
    expect(person).toMatchObject({ name: '张玮', formerNames: ['张伟'] });
    expect([...f.records.certificates.values()][0]?.expiresOn).toBe(later);
  });

  it('refuses a row a rule refuses, with the rule’s reason, and goes on with the others', async () => {
    const { w, results, chunk } = world();
    const id = newIdNumber();
    await processChunk(
      w,
      chunk([
        {
          row: 2,
          person: { name: '王强', idNumber: id },
          certificate: {
            scheme: 'MEM',
            category: 'welding',
            number: 'T123',
            issuedOn: '2025-01-01',
            expiresOn: '2030-12-31',
          },
        },
        { row: 3, person: { name: '赵六', idNumber: newIdNumber() } },
      ]),
      'r',
    );
    expect(results.get(2)).toMatchObject({
      outcome: 'refused',
      problems: [{ field: 'number', code: 'mem_number_mismatch' }],
    });
    expect(results.get(3)?.outcome).toBe('created');
  });

  it('resumes a redelivered chunk after the rows already recorded, and fails it when a store stalls', async () => {
    const { f, w, results, chunk, finished } = world();
    const rows: LedgerRow[] = [2, 3, 4].map((n) => ({
      row: n,
      person: { name: `人${n}`, idNumber: newIdNumber() },
    }));
    results.set(2, { row: 2, outcome: 'created' });
    await processChunk(w, chunk(rows), 'r');
    expect(f.records.people.size).toBe(2);
    expect(finished()).toBe(1);
    // What the SDK throws when a call runs past its timeout.
    const timedOut = async (): Promise<never> => {
      throw Object.assign(new Error('request timed out'), { name: 'TimeoutError' });
    };
    const stalled: LedgerWrites = { ...w, findByIdHash: timedOut, peopleByIdHash: timedOut };
    await expect(
      processChunk(stalled, chunk([{ row: 9, person: { name: '钱七', idNumber: newIdNumber() } }]), 'r'),
    ).rejects.toThrow('request timed out');
    expect(results.has(9)).toBe(false);
  });
});

describe('starting an import (use case, fakes)', () => {
  function starting(refs: References = { sites: [], subcontractors: [] }) {
    const f = recordFakes('2026-06-01T02:00:00Z');
    const refusedOnReading: ImportRowResult[][] = [];
    const metas = new Map<string, ImportMeta>();
    const keysTaken = new Map<string, { importId: string; bodyHash: string }>();
    const uploads = new Map<string, Buffer>();
    const queued: Chunk[] = [];
    const deps: ImportDeps = {
      imports: {
        start: async (_p, meta, refused, _r, idem) => {
          if (idem && keysTaken.has(idem.key)) throw new Error('key taken');
          refusedOnReading.push(refused);
          metas.set(meta.importId, meta);
          if (idem) keysTaken.set(idem.key, { importId: meta.importId, bodyHash: idem.bodyHash });
        },
        byIdempotencyKey: async (_t, key) => keysTaken.get(key),
        get: async (_t, id) => metas.get(id),
        done: async () => new Set(),
        record: async () => undefined,
        finishIfDone: async () => undefined,
        rows: async () => ({ items: [] }),
      },
      references: async () => refs,
      findByIdHash: (t, h) => f.people.findByIdHash(t, h),
      idHashKey: f.idHashKey,
      queueChunks: async (chunks) => void queued.push(...chunks),
      uploads: {
        url: async (key, type, bytes, seconds) =>
          `https://bucket.example/${key}?type=${type}&len=${bytes}&s=${seconds}`,
        read: async (key) => uploads.get(key),
      },
      clock: f.clock,
    };
    return { f, deps, metas, uploads, queued, refusedOnReading };
  }
  const csv = `姓名,身份证号\n张伟,${newIdNumber()}\n`;

  it('answers a retried POST with the same key by the same import, queued once; another body with the key is a conflict', async () => {
    const w = starting();
    const first = await startImport(w.deps, hr, { format: 'csv', content: csv }, 'r', 'key-12345678');
    const again = await startImport(w.deps, hr, { format: 'csv', content: csv }, 'r', 'key-12345678');
    expect('importId' in again && 'importId' in first && again.importId === first.importId).toBe(true);
    expect(w.metas.size).toBe(1);
    expect(w.queued).toHaveLength(1);
    await expect(
      startImport(w.deps, hr, { format: 'csv', content: csv, fileName: 'b.csv' }, 'r', 'key-12345678'),
    ).rejects.toMatchObject({ status: 409, detailCode: 'idempotency_key_reused' });
    // A dry run writes nothing, so a key changes nothing about it, even one an import took.
    expect(
      await startImport(w.deps, hr, { format: 'csv', content: csv, dryRun: true }, 'r', 'key-12345678'),
    ).toMatchObject({ dryRun: true, counts: { create: 1 } });
    expect(
      await startImport(w.deps, hr, { format: 'csv', content: csv, dryRun: true }, 'r', 'key-1234567x'),
    ).toMatchObject({
      dryRun: true,
    });
    expect(w.metas.size).toBe(1);
  });

  it('reads a file the tenant uploaded, refuses another tenant’s, a missing one and one over 50 MB', async () => {
    const w = starting();
    const upload = await createUpload(w.deps, hr, { format: 'csv', bytes: 70 });
    expect(upload.uploadKey).toMatch(/^imports\/t\/acme\/upl_[0-9A-Z]{26}\.csv$/);
    expect(upload.url).toContain('len=70&s=900');
    expect(upload.headers).toEqual({ 'content-type': 'text/csv' });
    w.uploads.set(upload.uploadKey, Buffer.from(csv));
    const started = await startImport(w.deps, hr, { format: 'csv', uploadKey: upload.uploadKey }, 'r');
    expect(started).toMatchObject({ total: 1, status: 'processing' });
    const other = callerIn('other')('hr');
    await expect(
      startImport(w.deps, other, { format: 'csv', uploadKey: upload.uploadKey }, 'r'),
    ).rejects.toMatchObject({ status: 404, detailCode: 'upload_not_found' });
    await expect(
      startImport(
        w.deps,
        hr,
        { format: 'csv', uploadKey: 'imports/t/acme/upl_01JD0000000000000000000000.csv' },
        'r',
      ),
    ).rejects.toMatchObject({ status: 404, detailCode: 'upload_not_found' });
    w.uploads.set(upload.uploadKey, Buffer.alloc(50 * 1024 * 1024 + 1));
    await expect(
      startImport(w.deps, hr, { format: 'csv', uploadKey: upload.uploadKey }, 'r'),
    ).rejects.toMatchObject(invalid('upload_too_large', undefined, 'uploadKey'));
    // 50 MB exactly is taken (and read: this one is no workbook).
    w.uploads.set(upload.uploadKey, Buffer.alloc(50 * 1024 * 1024));
    await expect(
      startImport(w.deps, hr, { format: 'xlsx', uploadKey: upload.uploadKey }, 'r'),
    ).rejects.toMatchObject(invalid('ledger_unreadable'));
    await expect(
      createUpload(w.deps, as('site_manager', { siteIds: ['s'] }), { format: 'csv', bytes: 1 }),
    ).rejects.toMatchObject({
      status: 403,
    });
  });

  const invalid = (code: string, params?: Record<string, unknown>, field = 'content') => ({
    status: 400,
    detailCode: 'validation_failed',
    fieldErrors: [{ field, code, message: code, ...(params ? { params } : {}) }],
  });

  it('refuses a file it cannot use as a whole, and starts nothing', async () => {
    const w = starting();
    const header = '姓名,身份证号\n';
    for (const [content, format, expected] of [
      ['bm90IGEgemlw', 'xlsx', invalid('ledger_unreadable')],
      [header, 'csv', invalid('no_rows')],
      ['\n\n', 'csv', invalid('no_rows')],
      [
        `工号,手机\nE1,13800000000\n`,
        'csv',
        invalid('ledger_columns_missing', { columns: '姓名, 身份证号' }),
      ],
      [`姓名,手机\n张伟,13800000000\n`, 'csv', invalid('ledger_columns_missing', { columns: '身份证号' })],
      [`${header}${'张伟,1\n'.repeat(50_001)}`, 'csv', invalid('too_many_rows', { max: 50_000 })],
    ] as const)
      await expect(
        startImport(w.deps, hr, { format, content } as never, 'r'),
        content.slice(0, 20),
      ).rejects.toMatchObject(expected);
    expect(w.metas.size).toBe(0);
    expect(w.queued).toHaveLength(0);
    // Only those who may import start one: nothing is read for anyone else.
    await expect(
      startImport(w.deps, as('site_manager', { siteIds: ['s'] }), { format: 'csv', content: header }, 'r'),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('starts with the rows refused on reading counted, masked and in order, and queues the rest a person together', async () => {
    const zhang = newIdNumber();
    const li = newIdNumber();
    const bad = `${zhang.slice(0, 17)}${zhang.endsWith('0') ? '1' : '0'}`;
    const w = starting({ sites: [{ siteId: 'site_zh', code: 'ZH1', name: '镇海基地' }], subcontractors: [] });
    const cert = (n: string) => `特种设备,N1,${n},2024/3/1,2028/2/28`;
    const csv = [
      '姓名,身份证号,所属厂区,证书体系,证书类别,证书编号,发证日期,有效期至',
      `张伟,${zhang},ZH1,${cert('T-1')}`,
      `,,,${cert('T-2')}`, // merged cells: 张伟's second certificate
      `王五,${bad},ZH1,${cert('T-3')}`,
      `,,,${cert('T-4')}`, // continues nobody: the row above was refused
      `李娜,${li},不存在的厂区,${cert('T-5')}`,
      `赵敏,${newIdNumber()},,,,,,`,
    ].join('\n');
    w.f.clock.set('2026-06-01T03:00:00Z');
    const started = await startImport(w.deps, hr, { format: 'csv', content: csv, fileName: '台账.csv' }, 'r');
    expect(started).toEqual({
      importId: expect.stringMatching(/^imp_/),
      format: 'csv',
      fileName: '台账.csv',
      status: 'processing',
      total: 6,
      processed: 3,
      counts: { created: 0, updated: 0, unchanged: 0, refused: 3 },
      startedAt: '2026-06-01T03:00:00.000Z',
      createdBy: hr.subject,
    });
    expect(w.refusedOnReading[0]).toEqual([
      {
        row: 4,
        outcome: 'refused',
        problems: [{ field: 'idNumber', column: '身份证号', code: 'id_number_check_digit' }],
        nameMasked: '王*',
      },
      {
        row: 5,
        outcome: 'refused',
        problems: [expect.objectContaining({ code: 'name_missing' }), expect.anything()],
      },
      {
        row: 6,
        outcome: 'refused',
        problems: [{ field: 'site', column: '所属厂区', code: 'ledger_site_unknown' }],
        nameMasked: '李*',
      },
    ]);
    expect(w.queued).toHaveLength(1);
    const [chunk] = w.queued;
    expect(chunk).toMatchObject({
      tenantId: TENANT,
      importId: (started as ImportMeta).importId,
      principal: hr,
    });
    expect(chunk?.rows.map((r) => [r.row, r.person.name, r.certificate?.number])).toEqual([
      [2, '张伟', 'T-1'],
      [3, '张伟', 'T-2'],
      [7, '赵敏', undefined],
    ]);
  });

  it('reports a line it cannot read (an unclosed quote) as a refused row, even when it is the only one', async () => {
    const w = starting();
    const started = await startImport(
      w.deps,
      hr,
      { format: 'csv', content: '姓名,身份证号\n"王五,1\n' },
      'r',
    );
    expect(started).toMatchObject({ status: 'completed', total: 1, counts: { refused: 1 } });
    expect(w.refusedOnReading[0]).toEqual([
      { row: 2, outcome: 'refused', problems: [{ field: 'name', column: '', code: 'row_unreadable' }] },
    ]);
  });

  it('completes at once a file with nothing left to write, and queues nothing', async () => {
    const w = starting();
    const started = await startImport(
      w.deps,
      hr,
      { format: 'csv', content: '姓名,身份证号\n张伟,123\n' },
      'r',
    );
    expect(started).toMatchObject({
      status: 'completed',
      total: 1,
      processed: 1,
      counts: { refused: 1 },
      finishedAt: '2026-06-01T02:00:00.000Z',
    });
    expect(w.queued).toEqual([]);
  });

  it('queues chunks of 25 rows at most that never split a person', async () => {
    const w = starting();
    const people = Array.from({ length: 24 }, () => newIdNumber());
    const rows = people.map((id, i) => `工人${i},${id},`);
    // The 24th person has four rows (merged cells), which do not fit beside the first 23.
    rows.push(...['04A1B2C3', '04A1B2C4', '04A1B2C5'].map((uid) => `,,${uid}`));
    const started = await startImport(
      w.deps,
      hr,
      { format: 'csv', content: `姓名,身份证号,工牌UID\n${rows.join('\n')}` },
      'r',
    );
    expect(started).toMatchObject({ total: 27, processed: 0, status: 'processing' });
    expect(w.queued.map((c) => c.rows.length)).toEqual([23, 4]);
  });

  it('reports a dry run: who is new, who is known or named twice, what is refused — and writes nothing', async () => {
    const w = starting();
    const knownNumber = newIdNumber();
    await registerPerson(w.f, hr, { name: '周杰', idNumber: knownNumber }, 'r');
    const zhang = newIdNumber();
    const csv = ['姓名,身份证号', `张伟,${zhang}`, `张伟,${zhang}`, `周杰,${knownNumber}`, '王五,123'].join(
      '\n',
    );
    const report = await startImport(w.deps, hr, { format: 'csv', content: csv, dryRun: true }, 'r');
    expect(report).toEqual({
      dryRun: true,
      total: 4,
      counts: { create: 1, update: 2, refused: 1 },
      refused: [expect.objectContaining({ row: 5, outcome: 'refused', nameMasked: '王*' })],
    });
    expect(w.metas.size).toBe(0);
    expect(w.queued).toEqual([]);
  });

  it('reads an uploaded XLSX file as a workbook', async () => {
    const w = starting();
    const upload = await createUpload(w.deps, hr, { format: 'xlsx', bytes: 9_000 });
    expect(upload.uploadKey).toMatch(/^imports\/t\/acme\/upl_[0-9A-Z]{26}\.xlsx$/);
    expect(upload.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(upload.expiresAt).toBe('2026-06-01T02:15:00.000Z');
    const book = new ExcelJS.Workbook();
    book.addWorksheet('台账').addRows([
      ['姓名', '身份证号'],
      ['张伟', newIdNumber()],
    ]);
    w.uploads.set(upload.uploadKey, Buffer.from(await book.xlsx.writeBuffer()));
    expect(await startImport(w.deps, hr, { format: 'xlsx', uploadKey: upload.uploadKey }, 'r')).toMatchObject(
      {
        format: 'xlsx',
        total: 1,
        processed: 0,
      },
    );
    expect(w.queued[0]?.rows[0]?.person.name).toBe('张伟');
  });
});

describe('writing ledger rows, in detail (use case, fakes)', () => {
  const refs = {
    sites: [{ siteId: 'site_zh', code: 'ZH1', name: '镇海基地' }],
    subcontractors: [
      { subcontractorId: 'sub_a', name: '华信安装', unifiedSocialCreditCode: '91330200MA2AAAAA1X' },
    ],
  };
  function withRefs() {
    const x = world();
    x.f.records.sites.add(`${TENANT}#site_zh`);
    x.f.records.subcontractors.add(`${TENANT}#sub_a`);
    x.w.references = async () => refs;
    return x;
  }

  it('creates a person with what the row says (phone, staff number, home site, subcontractor), and corrects what a later file changes', async () => {
    const { f, w, results, chunk } = withRefs();
    const idNumber = newIdNumber();
    const person = {
      name: '张伟',
      idNumber,
      phone: '13900002222',
      employeeId: 'E-1',
      site: 'ZH1',
      subcontractor: '华信安装',
    };
    await processChunk(w, chunk([{ row: 2, person }]), 'r1');
    const [created] = f.records.people.values();
    expect(created).toMatchObject({
      phone: '13900002222',
      employeeId: 'E-1',
      homeSiteId: 'site_zh',
      employer: { type: 'subcontractor', subcontractorId: 'sub_a' },
    });
    // The same row again: unchanged, no correction.
    results.clear();
    await processChunk(w, chunk([{ row: 2, person }]), 'r2');
    expect(results.get(2)?.outcome).toBe('unchanged');
    expect([...f.records.people.values()][0]?.version).toBe(created?.version);
    // A new phone and staff number: updated, those fields only.
    results.clear();
    await processChunk(
      w,
      chunk([{ row: 2, person: { ...person, phone: '13800001111', employeeId: 'E-2' } }]),
      'r3',
    );
    expect(results.get(2)?.outcome).toBe('updated');
    expect([...f.records.people.values()][0]).toMatchObject({
      phone: '13800001111',
      employeeId: 'E-2',
      homeSiteId: 'site_zh',
    });
  });

  it('moves a known person to the site and subcontractor the ledger names', async () => {
    const { f, w, results, chunk } = withRefs();
    const idNumber = newIdNumber();
    await processChunk(w, chunk([{ row: 2, person: { name: '李娜', idNumber } }]), 'r1');
    results.clear();
    await processChunk(
      w,
      chunk([
        { row: 2, person: { name: '李娜', idNumber, site: '镇海基地', subcontractor: '91330200MA2AAAAA1X' } },
      ]),
      'r2',
    );
    expect(results.get(2)?.outcome).toBe('updated');
    expect([...f.records.people.values()][0]).toMatchObject({
      homeSiteId: 'site_zh',
      employer: { type: 'subcontractor', subcontractorId: 'sub_a' },
    });
  });

  it('corrects a known certificate’s dates from the ledger, and leaves it when they agree', async () => {
    const { f, w, results, forklift, chunk } = world();
    const idNumber = newIdNumber();
    const row = (expiresOn?: string, reviewDueOn?: string) => ({
      row: 2,
      person: { name: '张伟', idNumber },
      certificate: { ...forklift('TS-1', expiresOn), ...(reviewDueOn ? { reviewDueOn } : {}) },
    });
    await processChunk(w, chunk([row()]), 'r1');
    const certificateId = results.get(2)?.certificateId;
    expect(certificateId).toMatch(/^cer_/);
    results.clear();
    await processChunk(w, chunk([row()]), 'r2');
    expect(results.get(2)).toMatchObject({ outcome: 'unchanged', certificateId });
    results.clear();
    const later = addYears(f.clock.today(), 2);
    const review = addYears(f.clock.today(), 1);
    await processChunk(w, chunk([row(later, review)]), 'r3');
    expect(results.get(2)).toMatchObject({ outcome: 'updated', certificateId });
    expect([...f.records.certificates.values()][0]).toMatchObject({ expiresOn: later, reviewDueOn: review });
    expect(f.records.certificates.size).toBe(1);
  });

  it('refuses a row a rule refuses without a field with the rule’s code, and fails the chunk on a dependency’s 429 or 503', async () => {
    const { w, results, forklift, chunk } = world();
    const refusing: LedgerWrites = {
      ...w,
      enterCertificate: async () => {
        throw new Conflict('certificate_exists');
      },
    };
    await processChunk(
      refusing,
      chunk([{ row: 2, person: { name: '张伟', idNumber: newIdNumber() }, certificate: forklift('TS-9') }]),
      'r',
    );
    expect(results.get(2)).toMatchObject({
      outcome: 'refused',
      problems: [{ field: 'row', code: 'certificate_exists' }],
      nameMasked: '张*',
    });
    for (const error of [
      new TooManyRequests('rate_limited' as never, {}, 30),
      new ProviderUnavailable('registry_unavailable' as never),
    ]) {
      const failing: LedgerWrites = {
        ...w,
        enterCertificate: async () => {
          throw error;
        },
      };
      await expect(
        processChunk(
          failing,
          chunk([
            { row: 3, person: { name: '李四', idNumber: newIdNumber() }, certificate: forklift('TS-8') },
          ]),
          'r',
        ),
      ).rejects.toBe(error);
      expect(results.has(3)).toBe(false);
    }
  });

  it('takes a person another chunk registered a moment ago as known, and refuses any other conflict', async () => {
    const { f, w, results, chunk } = world();
    const idNumber = newIdNumber();
    const racing: LedgerWrites = {
      ...w,
      register: async (p, body, r) => {
        // The other chunk wins the race: the person exists now, and this registration is refused.
        await registerPerson(f, p, body as never, `${r}-other`);
        throw new Conflict('id_number_taken');
      },
    };
    await processChunk(
      racing,
      chunk([{ row: 2, person: { name: '张伟', idNumber, employeeId: 'E-7' } }]),
      'r',
    );
    expect(results.get(2)).toMatchObject({ outcome: 'unchanged' });
    expect(f.records.people.size).toBe(1);
    const vanished: LedgerWrites = {
      ...w,
      register: async () => {
        throw new Conflict('id_number_taken');
      },
    };
    await processChunk(vanished, chunk([{ row: 3, person: { name: '李四', idNumber: newIdNumber() } }]), 'r');
    expect(results.get(3)).toMatchObject({
      outcome: 'refused',
      problems: [{ field: 'row', code: 'id_number_taken' }],
    });
    const other: LedgerWrites = {
      ...w,
      register: async () => {
        throw new Conflict('concurrent_update');
      },
    };
    await processChunk(other, chunk([{ row: 4, person: { name: '王五', idNumber: newIdNumber() } }]), 'r');
    expect(results.get(4)).toMatchObject({
      outcome: 'refused',
      problems: [{ field: 'row', code: 'concurrent_update' }],
    });
  });

  it('leaves a badge already bound to the person, and reads a badge afresh after a binding failed', async () => {
    const { w, results, badges, chunk, calls } = world();
    const idNumber = newIdNumber();
    await processChunk(
      w,
      chunk([{ row: 2, person: { name: '张伟', idNumber }, badgeUid: '0A0000000021' }]),
      'r1',
    );
    results.clear();
    await processChunk(
      w,
      chunk([{ row: 2, person: { name: '张伟', idNumber }, badgeUid: '0A0000000021' }]),
      'r2',
    );
    expect(results.get(2)?.outcome).toBe('unchanged');
    results.clear();
    let failures = 1;
    const flaky: LedgerWrites = {
      ...w,
      bindBadge: async (p, id, uid, r) => {
        if (failures-- > 0) throw new Conflict('concurrent_update');
        return w.bindBadge(p, id, uid, r);
      },
    };
    const before = calls.badgeHolder;
    // One person's two rows run in order: the second finds the badge unknown again and reads it.
    const other = newIdNumber();
    await processChunk(
      flaky,
      chunk([
        { row: 5, person: { name: '李四', idNumber: other }, badgeUid: '0A0000000022' },
        { row: 6, person: { name: '李四', idNumber: other }, badgeUid: '0A0000000022' },
      ]),
      'r3',
    );
    expect(results.get(5)).toMatchObject({
      outcome: 'refused',
      problems: [{ field: 'row', code: 'concurrent_update' }],
    });
    expect(results.get(6)?.outcome).toBe('updated');
    expect(badges.get('0A0000000022')).toBe(results.get(6)?.personId);
    expect(calls.badgeHolder).toBe(before + 1);
  });
});

describe('the references a ledger row names (pure)', () => {
  const refs: References = {
    sites: [
      { siteId: 'site_zh', code: 'ZH1', name: '镇海基地' },
      { siteId: 'site_bl', code: 'BL2', name: '北仑 码头' },
    ],
    subcontractors: [
      { subcontractorId: 'sub_a', name: '华信安装', unifiedSocialCreditCode: '91330200MA2AAAAA1X' },
    ],
  };
  const row = (site?: string, subcontractor?: string) =>
    ({ row: 2, person: { name: '张伟', idNumber: '1', site, subcontractor } }) as unknown as LedgerRow;

  it.each([
    ['the code', 'ZH1', undefined, { siteId: 'site_zh', problems: [] }],
    ['the code in any case and width', 'ｚｈ１', undefined, { siteId: 'site_zh', problems: [] }],
    ['the name, spaces aside', '北仑码头', undefined, { siteId: 'site_bl', problems: [] }],
    ['the subcontractor by name', undefined, '华信 安装', { subcontractorId: 'sub_a', problems: [] }],
    [
      'the subcontractor by credit code',
      undefined,
      '91330200ma2aaaaa1x',
      { subcontractorId: 'sub_a', problems: [] },
    ],
    ['neither', undefined, undefined, { problems: [] }],
    [
      'an unknown site and subcontractor, with their columns',
      '舟山',
      '无名公司',
      {
        problems: [
          { field: 'site', column: '所属厂区', code: 'ledger_site_unknown' },
          { field: 'subcontractor', column: '分包单位', code: 'subcontractor_unknown' },
        ],
      },
    ],
  ] as const)('finds %s', (_, site, subcontractor, expected) => {
    expect(resolve(refs, row(site, subcontractor))).toEqual(expected);
  });
});

describe('chunks of a ledger (pure)', () => {
  const person = (id: string, rows: number) =>
    Array.from({ length: rows }, (_, i) => ({ row: i, person: { name: id, idNumber: id } }) as LedgerRow);
  it.each([
    ['25 people of one row fill one chunk', Array.from({ length: 25 }, (_, i) => person(`p${i}`, 1)), [25]],
    ['a 26th goes to the next', Array.from({ length: 26 }, (_, i) => person(`p${i}`, 1)), [25, 1]],
    ['a person of 30 rows is cut at 25, in order', [person('a', 30)], [25, 5]],
    ['a person who does not fit beside others starts a chunk', [person('a', 20), person('b', 6)], [20, 6]],
    ['nothing gives no chunk', [], []],
  ] as const)('%s', (_, groups, sizes) => {
    const chunks = chunksOf(groups as LedgerRow[][]);
    expect(chunks.map((c) => c.length)).toEqual(sizes);
    expect(chunks.flat()).toEqual((groups as LedgerRow[][]).flat());
  });
});

describe('how long an import has left (pure)', () => {
  const meta = (status: ImportMeta['status'], processed: number, total: number) =>
    ({ status, processed, total, startedAt: '2026-06-01T02:00:00.000Z' }) as ImportMeta;
  const at = new Date('2026-06-01T02:00:10.000Z');
  it.each([
    ['from the pace so far', meta('processing', 5, 15), 20],
    ['rounded up', meta('processing', 3, 4), 4],
    ['unknown before the first row', meta('processing', 0, 10), undefined],
    ['nothing once completed', meta('completed', 10, 10), undefined],
  ] as const)('%s', (_, m, expected) => {
    expect(etaSeconds(m, at)).toBe(expected);
  });
});
