// Propagation of one alliance entry to 20 partners (issue 13) on the emulator's Step
// Functions: the partners are simulators on local ports, the worker is the local poller;
// an own entry of a tenant that joined is made through the API, and the figures are the
// executions, the state transitions of the execution's history, the time until every
// partner has it, and how many partners received it.
import { randomBytes } from 'node:crypto';
import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mintDevToken } from '../../infra/local/dev-tokens.ts';
import { startMoto } from '../../infra/local/emulator.ts';
import { startGateway } from '../../infra/local/gateway.ts';
import { PartnerSimulator } from '../../infra/local/partner-simulator.ts';
import { startWorkPoller } from '../../infra/local/work-poller.ts';
import { newIdNumber, storedEvidence } from '../support/fixtures.ts';
import { provisionBench } from './bench-stack.ts';

export async function benchPropagation(): Promise<string[]> {
  const partners = Number(process.env.PROPAGATION_PARTNERS ?? 20);
  const emulator = await startMoto();
  const sims: PartnerSimulator[] = [];
  try {
    await provisionBench(emulator.endpoint, 'bench-propagation', { env: { FEDERATION_HUB_TENANT: 'hub' } });
    const key = new Uint8Array(randomBytes(32));
    const gateway = await startGateway({ port: 0, jwtKey: key });
    const { handler: worker } = await import('../../functions/worker/handler.ts');
    const poller = startWorkPoller(process.env.WORK_QUEUE_URL as string, worker);
    const as = async (tenantId: string) => {
      const token = await mintDevToken(key, { tenantId, role: 'group_admin' });
      return (method: string, path: string, body?: unknown) =>
        fetch(`${gateway.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(body ? { body: JSON.stringify(body) } : {}),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    };
    const hub = await as('hub');
    for (let i = 0; i < partners; i++) {
      const sim = new PartnerSimulator(gateway.url);
      const res = await hub('POST', '/federation/partners', {
        name: `协会 ${i}`,
        contact: { name: 'x' },
        publicKeyPem: sim.publicKeyPem,
        operations: ['pull'],
        deliveryUrl: await sim.listen(),
      });
      sim.partnerId = res.body.partnerId;
      sims.push(sim);
    }
    const admin = await as('bench-tenant');
    await admin('PUT', '/settings/alliance', { joined: true });
    const personId = (await admin('POST', '/people', { name: '测试', idNumber: newIdNumber() })).body
      .personId;
    const t0 = performance.now();
    const entry = await admin('POST', '/blacklist', {
      personId,
      reasonCode: 'forged_certificate',
      evidence: await storedEvidence('bench-tenant', personId, 'documents', 'x/c.jpg'),
    });
    if (entry.status !== 201) throw new Error(`entry refused: ${JSON.stringify(entry.body)}`);
    while (sims.some((s) => s.received.length === 0) && performance.now() - t0 < 120_000)
      await new Promise((r) => setTimeout(r, 50));
    const allReceived = performance.now() - t0;
    // The workflow records each delivery after the partner answered: wait for all records.
    let deliveries: { status: string }[] = [];
    while (performance.now() - t0 < 120_000) {
      deliveries = (await admin('GET', `/blacklist/${entry.body.entryId}`)).body.deliveries ?? [];
      if (deliveries.length >= partners) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const recorded = performance.now() - t0;
    const sfn = new SFNClient({});
    const executions =
      (
        await sfn.send(
          new ListExecutionsCommand({ stateMachineArn: process.env.FEDERATION_STATE_MACHINE_ARN }),
        )
      ).executions ?? [];
    let events = 0;
    for (const e of executions) {
      let token: string | undefined;
      do {
        const page = await sfn.send(
          new GetExecutionHistoryCommand({
            executionArn: e.executionArn,
            nextToken: token,
            maxResults: 1000,
          }),
        );
        events += page.events?.length ?? 0;
        token = page.nextToken;
      } while (token);
    }
    await poller.stop();
    await gateway.close();
    return [
      `  partners: ${partners}; executions: ${executions.length} (${executions.map((e) => e.status).join(', ')})`,
      `  history events (state transitions and task events): ${events} (${(events / partners).toFixed(1)} per partner)`,
      `  every partner has it after ${(allReceived / 1000).toFixed(1)} s; every delivery recorded after ${(recorded / 1000).toFixed(1)} s`,
      `  received: ${sims.filter((s) => s.received.length === 1).length}/${partners}; delivered records: ${deliveries.filter((d) => d.status === 'delivered').length}/${partners}; refused signatures: ${sims.reduce((n, s) => n + s.refused.length, 0)}`,
    ];
  } finally {
    for (const s of sims) await s.close();
    await emulator.stop();
  }
}
