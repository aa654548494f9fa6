// The alliance federation (O4) over HTTP, with the partner simulator: partners registered by
// the hub's group admin; signed requests (a tampered body, a wrong key, a replay and a stale
// signature each refused); a blinded look-up that finds a person's pseudonym without the ID
// number crossing the wire; a partner's entry blocking a person of a tenant that joined (and
// not of one that did not), its withdrawal letting them in again; our own entries pulled as
// pseudonyms with a cursor; and the OPRF rate limit.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { allAdapters, pseudonyms } from '../../functions/composition-root.ts';
import { handleScan } from '../../functions/gates/scans.ts';
import { jobsAdapters, jobsHandler } from '../../functions/jobs/handler.ts';
import { handler as worker } from '../../functions/worker/handler.ts';
import { asFunction } from '../../infra/local/iam-check.ts';
import { PartnerSimulator } from '../../infra/local/partner-simulator.ts';
import { startWorkPoller } from '../../infra/local/work-poller.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import {
  daysFromToday,
  newIdNumber,
  newSubcontractor,
  storedEvidence,
  yearsFromToday,
} from '../support/fixtures.ts';
import { captureMetrics } from '../support/metrics.ts';

const HUB = 'demo-group'; // the local hub tenant (infra/local/provision.ts)
let api: TestApi;
let hubAdmin: ApiClient;
let partner: PartnerSimulator;

beforeAll(async () => {
  api = await startTestApi();
  hubAdmin = await api.as({ tenantId: HUB, role: 'group_admin' });
  partner = await register('宁波市特种作业行业协会', ['oprf', 'push', 'pull']);
});
afterAll(async () => {
  await api.close();
});

async function register(name: string, operations: string[]) {
  const simulator = new PartnerSimulator(api.gateway.url);
  const res = await hubAdmin.post('/federation/partners', {
    name,
    contact: { name: '李秘书长', email: 'secretariat@example.org' },
    publicKeyPem: simulator.publicKeyPem,
    operations,
  });
  expect(res.status).toBe(201);
  simulator.partnerId = res.body.partnerId;
  return simulator;
}

/** A green welder in a tenant; `joined`: the tenant joined the alliance. */
async function welderIn(tenantId: string, idNumber: string, joined: boolean) {
  const admin = await api.as({ tenantId, role: 'group_admin' });
  expect((await admin.put('/settings/alliance', { joined })).status).toBe(200);
  const personId = (await admin.post('/people', { name: '孙大勇', idNumber })).body.personId as string;
  await admin.post(`/people/${personId}/certificates`, {
    scheme: 'MEM',
    category: 'welding',
    number: `T${idNumber}`,
    issuedOn: daysFromToday(-30),
    expiresOn: yearsFromToday(6, -31),
  });
  return { admin, personId };
}

describe('partners', () => {
  it('are registered by the hub’s group admin only, with an Ed25519 key', async () => {
    const other = await api.as({ tenantId: 'fed-other', role: 'group_admin' });
    const hr = await api.as({ tenantId: HUB, role: 'hr' });
    const body = {
      name: 'x',
      contact: { name: 'y' },
      publicKeyPem: partner.publicKeyPem,
      operations: ['pull'],
    };
    expect((await other.post('/federation/partners', body)).status).toBe(403);
    expect((await hr.post('/federation/partners', body)).status).toBe(403);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    const bad = await hubAdmin.post('/federation/partners', { ...body, publicKeyPem: rsa });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].code).toBe('not_ed25519_key');
    const list = (await hubAdmin.get('/federation/partners')).body.items;
    expect(list.map((p: { partnerId: string }) => p.partnerId)).toContain(partner.partnerId);
    expect((await other.get('/federation/partners')).status).toBe(403);
  });

  it('refuses a delivery address inside anyone’s network (SSRF), whatever form it takes', async () => {
    const body = {
      name: 'x',
      contact: { name: 'y' },
      publicKeyPem: partner.publicKeyPem,
      operations: ['pull'],
    };
    const before = (await hubAdmin.get('/federation/partners')).body.items.length;
    for (const [deliveryUrl, code] of [
      ['http://localhost:@169.254.169.254/latest/meta-data/', 'url_userinfo'],
      ['https://10.0.0.1/', 'url_private_address'],
      ['https://[::1]/', 'url_private_address'],
      ['https://0x7f000001/', 'url_private_address'],
      ['https://169.254.169.254/latest/meta-data/', 'url_private_address'],
      ['https://metadata.google.internal/', 'url_internal_name'],
      ['http://partner.example.cn/', 'url_scheme'],
    ]) {
      const res = await hubAdmin.post('/federation/partners', { ...body, deliveryUrl });
      expect(res.status, deliveryUrl).toBe(400);
      expect(res.body.errors, deliveryUrl).toEqual([expect.objectContaining({ field: 'deliveryUrl', code })]);
    }
    expect((await hubAdmin.get('/federation/partners')).body.items).toHaveLength(before);
  });
});

describe('a partner suspended or re-keyed', () => {
  it('is refused while suspended and from its old key at once; only the hub’s group admin changes it', async () => {
    const changing = await register('温州市特种作业协会', ['pull']);
    const pull = async (options?: { privateKeyPem?: string }) =>
      changing.call('GET', '/federation/blacklist?limit=1', undefined, options);
    expect((await pull()).status).toBe(200);
    const path = `/federation/partners/${changing.partnerId}`;
    // Nobody else: another tenant's admin, the hub's hr; and nothing to change is refused.
    const other = await api.as({ tenantId: 'fed-other', role: 'group_admin' });
    expect((await other.patch(path, { state: 'suspended' })).status).toBe(403);
    expect(
      (await (await api.as({ tenantId: HUB, role: 'hr' })).patch(path, { state: 'suspended' })).status,
    ).toBe(403);
    expect((await hubAdmin.patch(path, {})).status).toBe(400);
    expect(
      (await hubAdmin.patch('/federation/partners/ptn_nobody000000', { state: 'suspended' })).status,
    ).toBe(404);
    const suspended = await hubAdmin.patch(path, { state: 'suspended' });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ partnerId: changing.partnerId, state: 'suspended' });
    const refused = await pull();
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('unknown_key');
    expect((await hubAdmin.patch(path, { state: 'active' })).body.state).toBe('active');
    expect((await pull()).status).toBe(200);
    // A new key: the old one is refused from the next request, the new one accepted.
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    const bad = await hubAdmin.patch(path, { publicKeyPem: rsa });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].code).toBe('not_ed25519_key');
    const rekeyed = await hubAdmin.patch(path, {
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }),
    });
    expect(rekeyed.status).toBe(200);
    expect((await pull()).body.code).toBe('bad_signature');
    const fresh = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect((await pull({ privateKeyPem: fresh })).status).toBe(200);
    // Audited, naming the rotation but never the key.
    const audit = (await hubAdmin.get('/audit?action=partner.update')).body.items;
    expect(
      audit.map((a: { details?: { keyRotated?: boolean } }) => a.details?.keyRotated ?? false),
    ).toContain(true);
    expect(JSON.stringify(audit)).not.toContain('BEGIN PUBLIC KEY');
  });
});

describe('signed requests', () => {
  it('refuse a tampered body, a wrong key, an unknown partner, a replay and a stale signature', async () => {
    const entry = {
      entryRef: 'sig-1',
      action: 'add',
      pseudonym: 'A'.repeat(43),
      reasonCode: 'forged_certificate',
      createdOn: daysFromToday(0),
      expiresOn: yearsFromToday(3),
    };
    expect((await partner.push([entry])).status).toBe(200);
    const tampered = await partner.push([entry], { tamper: (b) => b.replace('sig-1', 'sig-2') });
    expect(tampered.status).toBe(401);
    expect(tampered.body.code).toBe('digest_mismatch');
    const stranger = generateKeyPairSync('ed25519').privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    // The pull's query is signed too (@query): another page or size on the way is refused, and
    // so is a signature over the path alone sent with a query.
    expect((await partner.call('GET', '/federation/blacklist?limit=2')).status).toBe(200);
    for (const [signed, sent] of [
      ['/federation/blacklist?limit=2', '/federation/blacklist?limit=500'],
      ['/federation/blacklist', '/federation/blacklist?limit=500'],
    ] as const) {
      const changed = await partner.call('GET', signed, undefined, { sentPath: sent });
      expect(changed.status, sent).toBe(401);
      expect(changed.body.code).toBe('bad_signature');
    }
    const wrongKey = await partner.push([entry], { privateKeyPem: stranger });
    expect(wrongKey.body.code).toBe('bad_signature');
    expect((await partner.push([entry], { keyId: 'ptn_nobody000000' })).body.code).toBe('unknown_key');
    const first = await partner.push([entry], { nonce: 'once-only-1' });
    expect(first.status).toBe(200);
    const replay = await partner.push([entry], { nonce: 'once-only-1' });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('replayed_request');
    const stale = await partner.push([entry], { at: new Date(Date.now() - 6 * 60_000) });
    expect(stale.body.code).toBe('signature_expired');
    // Unsigned: refused before the body is even read.
    const unsigned = await api.anonymous().post('/federation/blacklist', { entries: [entry] });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.code).toBe('signature_missing');
    // A partner uses only the operations it was granted.
    const pullOnly = await register('只读协会', ['pull']);
    expect((await pullOnly.push([entry])).status).toBe(403);
    expect((await pullOnly.pull()).status).toBe(200);
  });
});

describe('the blinded look-up and the blacklist across the alliance', () => {
  it('finds a person’s pseudonym without the ID number crossing the wire, and blocks them where the tenant joined', async () => {
    const idNumber = newIdNumber();
    const joined = await welderIn('fed-b', idNumber, true);
    const notJoined = await welderIn('fed-c', idNumber, false);

    const { answer, pseudonym } = await partner.pseudonymOf(idNumber);
    expect(answer.status).toBe(200);
    // What went out is a group element: 44 base64url characters, no digits of the ID number.
    const sent = JSON.parse(answer.sent.body);
    expect(sent.blindedElements).toHaveLength(1);
    expect(sent.blindedElements[0]).toMatch(/^[A-Za-z0-9_-]{44}$/);
    expect(answer.sent.body).not.toContain(idNumber);
    expect(answer.sent.body).not.toContain(idNumber.slice(6, 14)); // not even the birth date
    expect(pseudonym).toBe(await pseudonyms().of(idNumber));
    // Not a group element → 400.
    const junk = await partner.call('POST', '/federation/oprf', { blindedElements: ['A'.repeat(44)] });
    expect(junk.status).toBe(400);

    // B's worker has a badge at a site of B's, and walks in.
    const siteId = (
      await joined.admin.post('/sites', { name: '舟山', code: 'ZS', location: { lat: 30, lng: 122.1 } })
    ).body.siteId as string;
    expect(
      (await joined.admin.post(`/people/${joined.personId}/badges`, { badgeUid: 'FEDB0001' })).status,
    ).toBe(201);
    let scans = 0;
    const scan = () =>
      asFunction('gates', () =>
        handleScan(allAdapters(), `fed-b:${siteId}:main`, {
          scanId: `fed-scan-${++scans}`,
          badgeUid: 'FEDB0001',
          direction: 'in',
          at: new Date(Date.now() - 60_000).toISOString(),
        }),
      );
    expect((await scan()).decision).toBe('allow');
    const pushed = await partner.push([
      {
        entryRef: 'nb-2026-0042',
        action: 'add',
        pseudonym,
        reasonCode: 'borrowed_certificate',
        // A label naming another association: the source stays the partner that pushed it.
        organisation: '浙江省应急管理厅',
        createdOn: daysFromToday(-1),
        expiresOn: yearsFromToday(3),
      },
    ]);
    expect(pushed.body).toEqual({ accepted: 1 });
    expect(await scan()).toMatchObject({ decision: 'deny', reason: 'blacklisted' });
    // Listed red before anyone reads the status (the landing stored it).
    const redList = async () =>
      (await joined.admin.get('/people?color=red')).body.items.map((p: { personId: string }) => p.personId);
    expect(await redList()).toContain(joined.personId);
    const status = (await joined.admin.get(`/people/${joined.personId}/status`)).body;
    expect(status.color).toBe('red');
    expect(status.reasons[0]).toMatchObject({ code: 'blacklisted', source: '宁波市特种作业行业协会' });
    expect(status.reasons[0].detail).toContain('宁波市特种作业行业协会');
    const entries = (await joined.admin.get('/blacklist')).body.items;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      personId: joined.personId,
      reasonCode: 'borrowed_certificate',
      source: {
        type: 'partner',
        partnerId: partner.partnerId,
        organisation: '宁波市特种作业行业协会',
        reportedAs: '浙江省应急管理厅',
      },
      evidence: [],
    });
    // The tenant that did not join neither receives it.
    expect((await notJoined.admin.get(`/people/${notJoined.personId}/status`)).body.color).toBe('green');
    expect((await notJoined.admin.get('/blacklist')).body.items).toHaveLength(0);
    // Pushed again: lands once.
    await partner.push([
      {
        entryRef: 'nb-2026-0042',
        action: 'add',
        pseudonym,
        reasonCode: 'borrowed_certificate',
        createdOn: daysFromToday(-1),
        expiresOn: yearsFromToday(3),
      },
    ]);
    expect((await joined.admin.get('/blacklist')).body.items).toHaveLength(1);

    // Withdrawn by the partner: the hold comes off.
    const withdrawn = await partner.push([
      {
        entryRef: 'nb-2026-0042',
        action: 'remove',
        pseudonym,
        reasonCode: 'borrowed_certificate',
        createdOn: daysFromToday(-1),
        expiresOn: yearsFromToday(3),
      },
    ]);
    expect(withdrawn.status).toBe(200);
    expect(await redList()).not.toContain(joined.personId);
    expect((await scan()).decision).toBe('allow');
    expect((await joined.admin.get(`/people/${joined.personId}/status`)).body.color).toBe('green');
    expect((await joined.admin.get('/blacklist')).body.items).toHaveLength(0);
  });

  it('holds a worker registered after the partner’s entry arrived: the next company is warned too', async () => {
    const idNumber = newIdNumber(); // nobody has this person yet
    const { pseudonym } = await partner.pseudonymOf(idNumber);
    expect(
      (
        await partner.push([
          {
            entryRef: 'nb-2026-0099',
            action: 'add',
            pseudonym,
            reasonCode: 'forged_certificate',
            organisation: '宁波市特种作业行业协会',
            createdOn: daysFromToday(-3),
            expiresOn: yearsFromToday(3, -3),
          },
        ])
      ).status,
    ).toBe(200);
    const later = await welderIn('fed-f', idNumber, true);
    const status = (await later.admin.get(`/people/${later.personId}/status`)).body;
    expect(status.reasons[0]).toMatchObject({ code: 'blacklisted', date: yearsFromToday(3, -3) });
    const elsewhere = await welderIn('fed-g', idNumber, false);
    expect((await elsewhere.admin.get(`/people/${elsewhere.personId}/status`)).body.color).toBe('green');
    // Withdrawn: kept no longer, and the hold comes off where it landed.
    await partner.push([
      {
        entryRef: 'nb-2026-0099',
        action: 'remove',
        pseudonym,
        reasonCode: 'forged_certificate',
        createdOn: daysFromToday(-3),
        expiresOn: yearsFromToday(3, -3),
      },
    ]);
    expect((await later.admin.get(`/people/${later.personId}/status`)).body.color).toBe('green');
    const third = await welderIn('fed-h', idNumber, true);
    expect((await third.admin.get(`/people/${third.personId}/status`)).body.color).toBe('green');
  });

  it('lets partners pull our own entries as pseudonyms, page by page, additions and removals', async () => {
    const idNumber = newIdNumber();
    const { admin, personId } = await welderIn('fed-a', idNumber, true);
    const start = await partner.pull();
    let cursor: string | undefined = start.body.cursor;
    for (let page = start; page.body.cursor; ) {
      cursor = page.body.cursor;
      page = await partner.pull(cursor);
      if (!page.body.items.length) break;
    }
    const subcontractor = await newSubcontractor(admin);
    expect(subcontractor).toMatch(/^sub_/);
    const entry = (
      await admin.post('/blacklist', {
        personId,
        reasonCode: 'forged_certificate',
        evidence: await storedEvidence('fed-a', personId),
        note: '伪造证书',
      })
    ).body;
    const added = await partner.pull(cursor);
    expect(added.status).toBe(200);
    expect(added.body.items).toEqual([
      expect.objectContaining({
        entryRef: entry.entryId,
        version: 1,
        action: 'add',
        pseudonym: await pseudonyms().of(idNumber),
        reasonCode: 'forged_certificate',
        organisation: 'fed-a',
        expiresOn: entry.expiresOn,
      }),
    ]);
    const wire = JSON.stringify(added.body);
    expect(wire).not.toContain(idNumber);
    expect(wire).not.toContain('孙');
    expect(wire).not.toContain('documents/');
    await admin.post(`/blacklist/${entry.entryId}/decision`, { decision: 'remove', note: '申诉成立' });
    const removed = await partner.pull(added.body.cursor);
    expect(removed.body.items).toEqual([
      expect.objectContaining({ entryRef: entry.entryId, version: 2, action: 'remove' }),
    ]);
    // A tenant that has not joined shares nothing.
    const quiet = await welderIn('fed-d', newIdNumber(), false);
    await quiet.admin.post('/blacklist', {
      personId: quiet.personId,
      reasonCode: 'serious_violation',
      evidence: await storedEvidence('fed-d', quiet.personId),
    });
    expect((await partner.pull(removed.body.cursor)).body.items).toEqual([]);
  });

  it('sends an entry’s expiry to partners on its day, once, like its creation', async () => {
    const { admin, personId } = await welderIn('fed-i', newIdNumber(), true);
    let cursor: string | undefined = (await partner.pull()).body.cursor;
    for (let page = await partner.pull(cursor); page.body.items.length; page = await partner.pull(cursor))
      cursor = page.body.cursor;
    const entry = (
      await admin.post('/blacklist', {
        personId,
        reasonCode: 'serious_violation',
        evidence: await storedEvidence('fed-i', personId),
      })
    ).body;
    const added = await partner.pull(cursor);
    expect(added.body.items.map((i: { action: string }) => i.action)).toEqual(['add']);
    const run = () =>
      asFunction('jobs', () =>
        jobsHandler(jobsAdapters())({ job: 'blacklist-expiry', date: entry.expiresOn }),
      );
    // (Other entries of this file made today expire today too: a tenant outside the alliance is only marked.)
    const counts = (await run()) as { expired: number; announced: number };
    const expired = await partner.pull(added.body.cursor);
    // "announced" is what reached the partners: exactly the expire items they can pull (it once
    // also counted entries of tenants outside the alliance, which are only marked).
    expect(counts.announced).toBe(
      expired.body.items.filter((i: { action: string }) => i.action === 'expire').length,
    );
    expect(counts.expired).toBeGreaterThanOrEqual(counts.announced);
    expect(expired.body.items).toEqual([
      expect.objectContaining({
        entryRef: entry.entryId,
        version: 2,
        action: 'expire',
        expiresOn: entry.expiresOn,
      }),
    ]);
    expect(await run()).toMatchObject({ expired: 0, announced: 0 });
    expect((await partner.pull(expired.body.cursor)).body.items).toEqual([]);
    expect((await admin.get(`/blacklist/${entry.entryId}`)).body.expiryAnnouncedAt).toBeDefined();
  });

  it('throttles look-ups at 60 a minute per partner and counts them for the hub', async () => {
    const greedy = await register('枚举尝试者', ['oprf']);
    const { blindIdNumber } = await import('../../functions/federation/pseudonyms.ts');
    const key = await pseudonyms().publicKey();
    const batch = await Promise.all(
      Array.from({ length: 10 }, async () => (await blindIdNumber(newIdNumber(), key)).blinded[0] as string),
    );
    // The window is the calendar minute: the clock is held at the start of the next one, so all
    // 7 requests share it (instead of waiting up to a minute for a fresh window).
    vi.useFakeTimers({ toFake: ['Date'], now: Math.ceil((Date.now() + 1) / 60_000) * 60_000 + 1_000 });
    try {
      const answers: { status: number; headers: Headers }[] = [];
      for (let i = 0; i < 7; i++)
        answers.push(await greedy.call('POST', '/federation/oprf', { blindedElements: batch }));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200, 429]);
      // When to come back: the next minute, in seconds.
      const retryAfter = Number(answers[6]?.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      const listed = (await hubAdmin.get('/federation/partners')).body.items.find(
        (p: { partnerId: string }) => p.partnerId === greedy.partnerId,
      );
      expect(listed.evaluationsToday).toBe(60);
      expect(
        (await greedy.call('POST', '/federation/oprf', { blindedElements: [...batch, batch[0]] })).status,
      ).toBe(400); // 11 elements
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('propagation to partners (Step Functions)', () => {
  it('delivers our entry, signed, to every partner with an address; a partner that stays down ends in a recorded failure', async () => {
    const listening = new PartnerSimulator(api.gateway.url);
    const failing = new PartnerSimulator(api.gateway.url);
    const poller = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
    const metrics = captureMetrics();
    try {
      for (const [sim, name] of [
        [listening, '杭州市安全生产协会'],
        [failing, '温州市建筑业协会'],
      ] as const) {
        const res = await hubAdmin.post('/federation/partners', {
          name,
          contact: { name: '王' },
          publicKeyPem: sim.publicKeyPem,
          operations: ['pull'],
          deliveryUrl: await sim.listen(),
        });
        expect(res.status).toBe(201);
        sim.partnerId = res.body.partnerId;
      }
      failing.down = true;
      const idNumber = newIdNumber();
      const { admin, personId } = await welderIn('fed-e', idNumber, true);
      const entry = (
        await admin.post('/blacklist', {
          personId,
          reasonCode: 'identity_fraud',
          evidence: await storedEvidence('fed-e', personId, 'face', 'onb_1/reference.jpg'),
        })
      ).body;
      const deliveries = async () => (await admin.get(`/blacklist/${entry.entryId}`)).body.deliveries ?? [];
      const until = async (done: (d: { partnerId: string; status: string }[]) => boolean) => {
        for (let i = 0; i < 100; i++) {
          const d = await deliveries();
          if (done(d)) return d;
          await new Promise((r) => setTimeout(r, 200));
        }
        return deliveries();
      };
      // Settled: both recorded, and the failing partner's last retry (the third attempt) in.
      const settled = await until(
        (d) =>
          d.length >= 2 &&
          d.some((x) => x.partnerId === failing.partnerId && (x as { attempts?: number }).attempts === 3),
      );
      expect(settled).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ partnerId: listening.partnerId, status: 'delivered' }),
          expect.objectContaining({ partnerId: failing.partnerId, status: 'failed' }),
        ]),
      );
      const failed = settled.find((d: { partnerId: string }) => d.partnerId === failing.partnerId);
      // The status only: a partner's answer (or an internal server's) is never shown back.
      expect(failed.error).toBe('http_503');
      expect(failed.attempts).toBe(3); // the first try and two retries with backoff
      // Deliveries counted by outcome and kind of failure, never by partner.
      const points = (await metrics.stop()).filter((p) => p.name === 'FederationDelivery');
      expect(points.map((p) => p.dimensions)).toEqual(
        expect.arrayContaining([
          { service: 'special-ops', outcome: 'delivered' },
          { service: 'special-ops', outcome: 'failed', cause: 'http_5xx' },
        ]),
      );
      expect(points.filter((p) => p.dimensions.outcome === 'failed')).toHaveLength(3);
      // What the partner got: verified as signed by us, the pseudonym and no personal data.
      expect(listening.refused).toEqual([]);
      expect(listening.received).toEqual([
        expect.objectContaining({
          entryRef: entry.entryId,
          version: 1,
          action: 'add',
          pseudonym: await pseudonyms().of(idNumber),
          reasonCode: 'identity_fraud',
        }),
      ]);
      expect(JSON.stringify(listening.received)).not.toContain(idNumber);
      // The partner is back: the hourly re-run delivers what it missed; then it is off the list.
      failing.down = false;
      const rerun = await asFunction('jobs', () => jobsHandler(jobsAdapters())({ job: 'federation-retry' }));
      expect(rerun).toEqual({ retried: 1, executions: 1 });
      const caughtUp = await until((d) =>
        d.some((x) => x.partnerId === failing.partnerId && x.status === 'delivered'),
      );
      expect(caughtUp.find((d: { partnerId: string }) => d.partnerId === failing.partnerId).status).toBe(
        'delivered',
      );
      expect(failing.received).toEqual([expect.objectContaining({ entryRef: entry.entryId, version: 1 })]);
      expect(
        await asFunction('jobs', () => jobsHandler(jobsAdapters())({ job: 'federation-retry' })),
      ).toEqual({
        retried: 0,
        executions: 0,
      });
      // Removal propagates exactly like creation.
      await admin.post(`/blacklist/${entry.entryId}/decision`, { decision: 'remove', note: '身份核实无误' });
      for (let i = 0; i < 100 && listening.received.length < 2; i++)
        await new Promise((r) => setTimeout(r, 200));
      expect(listening.received[1]).toMatchObject({ entryRef: entry.entryId, version: 2, action: 'remove' });
    } finally {
      await metrics.stop();
      await poller.stop();
      await listening.close();
      await failing.close();
    }
  }, 60_000);
});
