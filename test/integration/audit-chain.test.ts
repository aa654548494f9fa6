// The tamper-evident audit chain end to end: the product's own writes leave hashed records;
// the seal job (KMS in the emulator) numbers, links and signs the day; GET /audit shows the
// chain; an audit archive built by the worker passes `npm run verify-audit`, and the same
// archive with one record edited, deleted or inserted fails it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSealDeps } from '../../functions/composition-root.ts';
import { sealAuditDay } from '../../functions/reports/audit-seal.ts';
import { handler as worker } from '../../functions/worker/handler.ts';
import { startWorkPoller, type WorkPoller } from '../../infra/local/work-poller.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, samrCertificate, today } from '../support/fixtures.ts';

const TENANT = 'chained';
let api: TestApi;
let admin: ApiClient;
let auditor: ApiClient;
let poller: WorkPoller;
const dir = mkdtempSync(join(tmpdir(), 'audit-chain-'));

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  auditor = await api.as({ tenantId: TENANT, role: 'auditor' });
  const hr = await api.as({ tenantId: TENANT, role: 'hr' });
  for (const name of ['链一', '链二']) {
    const personId = (await hr.post('/people', { name, idNumber: newIdNumber() })).body.personId;
    await hr.post(`/people/${personId}/certificates`, samrCertificate(300));
  }
  poller = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
});
afterAll(async () => {
  await poller?.stop();
  await api.close();
});

const verify = (zip: Uint8Array, name: string) => {
  const file = join(dir, name);
  writeFileSync(file, zip);
  return spawnSync(join('node_modules', '.bin', 'tsx'), ['infra/tools/verify-audit.ts', file], {
    encoding: 'utf8',
  });
};

describe('the audit chain', () => {
  let zip: Uint8Array;

  it('hashes every record as it is written, and links and signs the day when sealed', async () => {
    const before = await auditor.get('/audit?limit=50');
    expect(before.body.items.length).toBeGreaterThan(3);
    for (const r of before.body.items)
      expect(r.chain).toEqual({ hash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // The job seals the day before, when nothing more is written to it; here, today's records
    // once the worker is idle (a record landing during the seal would be a later insertion).
    await poller.drained();
    const seal = await sealAuditDay(auditSealDeps(), TENANT, today());
    // The registry's answers may still be landing: at least what was read before.
    expect(seal).toMatchObject({ tenantId: TENANT, day: today() });
    expect(seal.count).toBeGreaterThanOrEqual(before.body.items.length);
    expect(seal.jws.split('.')).toHaveLength(3);
    expect(await sealAuditDay(auditSealDeps(), TENANT, today())).toEqual(seal);

    const after = await auditor.get('/audit?limit=50');
    const seqs = after.body.items
      .flatMap((r: { chain: { seq?: number } }) => (r.chain.seq ? [r.chain.seq] : []))
      .sort((a: number, b: number) => a - b);
    expect(seqs).toEqual(Array.from({ length: seal.count }, (_, i) => i + 1));
  });

  it('builds an audit archive (auditor or group admin only) that verify-audit accepts', async () => {
    const hr = await api.as({ tenantId: TENANT, role: 'hr' });
    expect((await hr.post('/archives', { scope: 'audit', from: today(), to: today() })).status).toBe(403);
    expect(
      (await auditor.post('/archives', { scope: 'audit', from: '2020-01-01', to: today() })).status,
    ).toBe(400);
    const started = await auditor.post('/archives', { scope: 'audit', from: today(), to: today() });
    expect(started.status).toBe(202);
    const deadline = Date.now() + 30_000;
    let archive = started.body;
    while (archive.state !== 'ready' && archive.state !== 'failed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      archive = (await auditor.get(`/archives/${started.body.archiveId}`)).body;
    }
    expect(archive.state).toBe('ready');
    zip = new Uint8Array(await (await fetch(archive.downloadUrl)).arrayBuffer());
    const ok = verify(zip, 'audit.zip');
    expect(ok.stdout).toContain('OK:');
    expect(ok.status).toBe(0);
    // The archive's own manifest holds too.
    const files = unzipSync(zip);
    const out = join(dir, 'unzipped');
    for (const [path, bytes] of Object.entries(files)) {
      execFileSync('mkdir', ['-p', join(out, path, '..')]);
      writeFileSync(join(out, path), bytes);
    }
    expect(spawnSync('sha256sum', ['-c', '--quiet', 'manifest.sha256'], { cwd: out }).status).toBe(0);
    expect((await admin.get(`/archives/${started.body.archiveId}`)).status).toBe(200);
  });

  it.each([
    [
      'one record edited',
      (lines: string[]) => lines.map((l, i) => (i === 1 ? l.replace('"action":"', '"action":"x') : l)),
      'record_edited',
    ],
    ['one record deleted', (lines: string[]) => lines.filter((_, i) => i !== 1), 'record_missing'],
    [
      'one record inserted',
      (lines: string[]) => {
        const forged = {
          ...JSON.parse(lines[0] as string),
          auditId: 'aud_01J0FORGED00000000000000000',
          seq: undefined,
        };
        return [...lines, JSON.stringify(forged)];
      },
      'record_inserted',
    ],
  ])('fails on %s', (_, tamper, problem) => {
    const files = unzipSync(zip);
    const lines = strFromU8(files['audit/records.jsonl'] as Uint8Array)
      .trim()
      .split('\n');
    files['audit/records.jsonl'] = strToU8(tamper(lines).join('\n'));
    const failed = verify(zipSync(files), `tampered-${problem}.zip`);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain(problem);
  });
});
