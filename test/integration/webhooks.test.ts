// Webhooks over the API (issue 28): a receiver on loopback (allowed only by the local
// runtime's setting) subscribes, gets a signed test event it verifies with the subscription's
// public key, then a person's colour change written with the change (outbox) and handed over
// by the relay job; the delivery log and a redelivery; URLs that reach inward are refused.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookDeps } from '../../functions/composition-root.ts';
import { verifyRequest } from '../../functions/shared/http-signatures.ts';
import { relayEvents } from '../../functions/webhooks/webhooks.ts';
import { handler as worker } from '../../functions/worker/handler.ts';
import { startWorkPoller, type WorkPoller } from '../../infra/local/work-poller.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, samrCertificate } from '../support/fixtures.ts';

const TENANT = 'hooks';
let api: TestApi;
let admin: ApiClient;
let poller: WorkPoller;
let receiver: Server;
let url: string;
let answer = 200;
const received: { headers: IncomingMessage['headers']; body: string; path: string }[] = [];

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.as({ tenantId: TENANT, role: 'group_admin' });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body, path: req.url ?? '' });
      res.statusCode = answer;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/special-ops`;
  poller = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
});
afterAll(async () => {
  await poller?.stop();
  await new Promise((r) => receiver.close(r));
  await api.close();
});

async function until<T>(read: () => T | Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('webhooks', () => {
  let webhookId: string;
  let publicKeyPem: string;

  it('subscribes a receiver and answers the signing identity; refuses URLs that reach inward', async () => {
    for (const bad of [
      'http://example.com/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://10.0.0.8/hook',
      'https://localhost/hook',
      'https://intranet/hook',
      'https://user:pw@example.com/hook',
      'https://[::1]/hook',
    ]) {
      const res = await admin.post('/webhooks', { url: bad, events: ['person.status_changed'] });
      expect(res.status, bad).toBe(400);
    }
    const res = await admin.post('/webhooks', {
      url,
      events: ['person.status_changed', 'person.departed', 'import.finished'],
      description: 'HR 系统',
    });
    expect(res.status).toBe(201);
    expect(res.body.signing).toMatchObject({ keyId: res.body.webhookId, algorithm: 'ed25519' });
    webhookId = res.body.webhookId;
    publicKeyPem = res.body.signing.publicKeyPem;
    const hr = await api.as({ tenantId: TENANT, role: 'hr' });
    expect((await hr.post('/webhooks', { url, events: ['person.departed'] })).status).toBe(403);
    const other = await api.as({ tenantId: `${TENANT}-x`, role: 'group_admin' });
    expect((await other.get(`/webhooks/${webhookId}`)).status).toBe(404);
  });

  it('delivers a signed test event the receiver verifies', async () => {
    const ping = await admin.post(`/webhooks/${webhookId}/ping`, {});
    expect(ping.status).toBe(202);
    const got = await until(
      () => received.find((r) => r.headers['webhook-id'] === ping.body.eventId),
      (r) => !!r,
    );
    expect(got).toBeDefined();
    const verified = await verifyRequest(
      {
        method: 'POST',
        url: `http://receiver.invalid${got?.path ?? ''}`,
        headers: got?.headers as Record<string, string>,
        body: Buffer.from(got?.body ?? ''),
      },
      async (keyId) => (keyId === webhookId ? publicKeyPem : undefined),
      new Date(),
    );
    expect(verified.keyId).toBe(webhookId);
    expect(JSON.parse(got?.body ?? '{}')).toMatchObject({ id: ping.body.eventId, type: 'webhook.ping' });
    // Tampered with on the way: the signature no longer holds.
    await expect(
      verifyRequest(
        {
          method: 'POST',
          url: `http://receiver.invalid${got?.path ?? ''}`,
          headers: got?.headers as Record<string, string>,
          body: Buffer.from('{"x":1}'),
        },
        async () => publicKeyPem,
        new Date(),
      ),
    ).rejects.toMatchObject({ status: 401 });
  });

  it('tells the receiver of a colour change, with ids, colours and codes but never the ID number', async () => {
    const hr = await api.as({ tenantId: TENANT, role: 'hr' });
    const idNumber = newIdNumber();
    const personId = (await hr.post('/people', { name: '钱多多', idNumber })).body.personId;
    await hr.post(`/people/${personId}/certificates`, samrCertificate(300));
    await relayEvents(webhookDeps());
    const got = await until(
      () =>
        received.find(
          (r) => r.body.includes(personId) && r.headers['webhook-event'] === 'person.status_changed',
        ),
      (r) => !!r,
    );
    const event = JSON.parse(got?.body ?? '{}');
    expect(event).toMatchObject({
      type: 'person.status_changed',
      data: { personId, nameMasked: '钱**', from: 'red', to: 'green', gateAccess: 'allowed' },
    });
    expect(got?.body).not.toContain(idNumber);
    expect(got?.body).not.toContain('钱多多');
  });

  it('logs each delivery, a failed one too, and sends one again on request with the same event id', async () => {
    answer = 500;
    const ping = await admin.post(`/webhooks/${webhookId}/ping`, {});
    const log = await until(
      () => admin.get(`/webhooks/${webhookId}/deliveries`),
      (r) => r.body.items.some((d: { eventId: string; outcome: string }) => d.eventId === ping.body.eventId),
    );
    const failed = log.body.items.find((d: { eventId: string }) => d.eventId === ping.body.eventId);
    expect(failed).toMatchObject({ outcome: 'failed', status: 500, attempt: 1 });
    expect(log.body.items.some((d: { outcome: string }) => d.outcome === 'delivered')).toBe(true);
    answer = 200;
    const again = await admin.post(`/webhooks/${webhookId}/deliveries/${failed.deliveryId}/redeliver`, {});
    expect(again.status).toBe(202);
    const redelivered = await until(
      () => admin.get(`/webhooks/${webhookId}/deliveries`),
      (r) =>
        r.body.items.some(
          (d: { eventId: string; outcome: string }) =>
            d.eventId === ping.body.eventId && d.outcome === 'delivered',
        ),
    );
    expect(
      redelivered.body.items.filter((d: { eventId: string }) => d.eventId === ping.body.eventId).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('changes and removes a subscription with If-Match; nothing is delivered to a removed one', async () => {
    const read = await admin.get(`/webhooks/${webhookId}`);
    const etag = read.headers.get('etag') as string;
    expect(
      (
        await admin.raw('PATCH', `/webhooks/${webhookId}`, JSON.stringify({ url: 'https://10.1.2.3/x' }), {
          'content-type': 'application/json',
          'if-match': etag,
        })
      ).status,
    ).toBe(400);
    const changed = await admin.raw(
      'PATCH',
      `/webhooks/${webhookId}`,
      JSON.stringify({ events: ['person.departed'] }),
      {
        'content-type': 'application/json',
        'if-match': etag,
      },
    );
    expect(changed.status).toBe(200);
    expect(changed.body.events).toEqual(['person.departed']);
    expect(
      (await admin.raw('DELETE', `/webhooks/${webhookId}`, undefined, { 'if-match': etag })).status,
    ).toBe(412);
    expect(
      (
        await admin.raw('DELETE', `/webhooks/${webhookId}`, undefined, {
          'if-match': changed.headers.get('etag') as string,
        })
      ).status,
    ).toBe(204);
    expect((await admin.get(`/webhooks/${webhookId}`)).status).toBe(404);
    expect((await admin.get('/webhooks')).body.items).toEqual([]);
  });
});
