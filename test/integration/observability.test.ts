// Operability (issue 30): one correlation id followed from an HTTP request through the work
// queue to the worker's lines, and the metrics written as CloudWatch embedded-metric lines
// (EMF) with low-cardinality dimensions only — never a tenant, person or site id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as worker } from '../../functions/worker/handler.ts';
import { startWorkPoller, type WorkPoller } from '../../infra/local/work-poller.ts';
import { type ApiClient, startTestApi, type TestApi } from '../support/api.ts';
import { newIdNumber, samrCertificate } from '../support/fixtures.ts';
import { captureOutput, type OutputCapture } from '../support/output.ts';

const TENANT = 'observed';
let api: TestApi;
let hr: ApiClient;
let poller: WorkPoller;
let output: OutputCapture;

beforeAll(async () => {
  api = await startTestApi();
  hr = await api.as({ tenantId: TENANT, role: 'hr' });
  poller = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
  process.env.METRICS = 'on';
  output = captureOutput({ logLevel: 'INFO', keep: (l) => l.startsWith('{'), echo: true });
});
afterAll(async () => {
  output.stop();
  process.env.METRICS = 'off';
  await poller?.stop();
  await api.close();
});

const parsed = () =>
  output.lines.flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, any>];
    } catch {
      return [];
    }
  });

describe('correlation and metrics', () => {
  it('follows one correlation id from the request through the queue to the worker', async () => {
    const correlationId = 'corr-observed-0001';
    const idNumber = newIdNumber();
    const person = await hr.post(
      '/people',
      { name: '观测', idNumber },
      { 'x-correlation-id': correlationId },
    );
    expect(person.status).toBe(201);
    expect(person.headers.get('x-correlation-id')).toBe(correlationId);
    const cert = await hr.post(`/people/${person.body.personId}/certificates`, samrCertificate(300), {
      'x-correlation-id': correlationId,
    });
    expect(cert.status).toBe(201);
    // A caller's id that is not plain is replaced by the request id (never echoed as given).
    const odd = await hr.get('/people?limit=1', { 'x-correlation-id': 'a b<script>' });
    expect(odd.headers.get('x-correlation-id')).not.toContain('<');

    const deadline = Date.now() + 20_000;
    const workerLines = () => parsed().filter((l) => l.correlationId === correlationId && l.messageId);
    while (!workerLines().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(workerLines().length).toBeGreaterThan(0);
    // The API's own lines carry it too, and no line carries the ID number.
    expect(parsed().some((l) => l.correlationId === correlationId && l.routeKey)).toBe(true);
    expect(output.lines.join('\n')).not.toContain(idNumber);
  });

  it('writes metrics as EMF lines in one namespace, dimensions from closed sets only', async () => {
    const emf = parsed().filter((l) => l._aws?.CloudWatchMetrics);
    expect(emf.length).toBeGreaterThan(0);
    const names = new Set(
      emf.flatMap((l) => l._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name)),
    );
    expect([...names]).toContain('ColdStart');
    // The certificate turned the new person green: a status change by colour and cause.
    expect(emf.filter((l) => l.StatusChange)).toEqual(
      expect.arrayContaining([expect.objectContaining({ colour: 'green', cause: 'certificate.create' })]),
    );
    for (const l of emf) {
      expect(l._aws.CloudWatchMetrics[0].Namespace).toBe('SpecialOps');
      const dims: string[] = l._aws.CloudWatchMetrics[0].Dimensions.flat();
      for (const d of dims)
        expect(['service', 'capability', 'outcome', 'reason', 'channel', 'colour', 'cause']).toContain(d);
      expect(JSON.stringify(l)).not.toContain(TENANT);
    }
  });
});
