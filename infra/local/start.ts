// `npm start`: the whole backend on this machine, no AWS account. Starts the AWS
// emulator (moto), creates the resources, serves the HTTP API with the real handlers,
// seeds the demo tenant. Ctrl-C stops everything it started.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ChannelSimulator, startChannelSimulator } from './channel-simulator.ts';
import { LOCAL_DIR, loadOrCreateDevKey, mintDevToken } from './dev-tokens.ts';
import { onDevEnrol } from './dev-users.ts';
import { type Emulator, EmulatorUnavailable, startMoto } from './emulator.ts';
import { type Gateway, type Handler, startGateway } from './gateway.ts';
import { asFunction } from './iam-check.ts';
import { LocalCa } from './local-ca.ts';
import { LocalGateProvisioner } from './local-gates.ts';
import { type LocalMqtt, startLocalMqtt } from './mqtt-broker.ts';
import { mintDevOidcToken, type OidcIssuer, oidcVerifier, startOidcIssuer } from './oidc-issuer.ts';
import { type OnboardingSimulator, startOnboardingSimulator } from './onboarding-simulator.ts';
import { localEnvironment, provisionLocal } from './provision.ts';
import { type RegistrySimulator, startRegistrySimulator } from './registry-simulator.ts';
import { type LocalScheduler, startLocalScheduler, startOneTimeSchedules } from './scheduler.ts';
import { DEMO_TENANT, seedCrowd, seedDemo } from './seed.ts';
import { type SmtpSink, startSmtpSink } from './smtp-sink.ts';
import { startWorkPoller, type WorkPoller } from './work-poller.ts';

const LOCK = join(LOCAL_DIR, 'start.lock');

function fail(message: string): never {
  console.error(`npm start: ${message}`);
  releaseLock();
  process.exit(1);
}

function releaseLock(): void {
  if (existsSync(LOCK) && readFileSync(LOCK, 'utf8') === String(process.pid)) rmSync(LOCK);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function takeLock(): void {
  mkdirSync(LOCAL_DIR, { recursive: true });
  if (existsSync(LOCK)) {
    const pid = Number(readFileSync(LOCK, 'utf8'));
    if (pid && pid !== process.pid && alive(pid)) {
      fail(
        `the local stack is already running (pid ${pid}). Stop it with Ctrl-C in its terminal (or kill ${pid}) first.`,
      );
    }
  }
  writeFileSync(LOCK, String(process.pid));
}

const { values } = parseArgs({
  options: {
    'no-seed': { type: 'boolean', default: false },
    'seed-people': { type: 'string' },
    port: { type: 'string' },
  },
});
const seedPeople = Number(values['seed-people'] ?? 0);
if (!Number.isInteger(seedPeople) || seedPeople < 0 || seedPeople > 100_000)
  fail(`--seed-people takes a number of people up to 100000, not ${values['seed-people']}`);
if (seedPeople && values['no-seed']) fail('--seed-people adds to the demo seed: drop --no-seed');
const port = Number(values.port ?? process.env.PORT ?? 3000);
// PROFILE=china runs the china deployment profile's identity and mail paths (docs/deploy.md).
const profile = process.env.PROFILE ?? 'global';
if (profile !== 'global' && profile !== 'china')
  fail(`PROFILE=${profile}: the profile is "global" or "china"`);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`invalid port ${values.port ?? process.env.PORT}`);

/** Fails before anything starts, so a taken port never leaves an emulator behind. */
async function ensurePortFree(p: number, variable: 'PORT' | 'MQTT_PORT', what: string): Promise<void> {
  if (p === 0) return;
  await new Promise<void>((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        fail(
          `port ${p} (${what}) is already in use. Stop whatever uses it, or run with ${variable}=<another port> npm start.`,
        );
      fail(`cannot listen on port ${p}: ${error.message}`);
    });
    probe.listen(p, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

takeLock();
await ensurePortFree(port, 'PORT', 'the HTTP API');
await ensurePortFree(Number(process.env.MQTT_PORT ?? 8883), 'MQTT_PORT', 'the MQTT-TLS gate broker');
// Gate credentials from an earlier run were signed by that run's CA: forget them.
rmSync(join(LOCAL_DIR, 'gates'), { recursive: true, force: true });
// Mail of an earlier run is of data that is gone (the emulator starts empty).
rmSync(join(LOCAL_DIR, 'mail'), { recursive: true, force: true });
let emulator: Emulator | undefined;
let gateway: Gateway | undefined;
let scheduler: LocalScheduler | undefined;
let oneTime: { stop(): void } | undefined;
let registry: RegistrySimulator | undefined;
let providers: OnboardingSimulator | undefined;
let channels: ChannelSimulator | undefined;
let oidc: OidcIssuer | undefined;
let smtp: SmtpSink | undefined;
let poller: WorkPoller | undefined;
let mqttBroker: LocalMqtt | undefined;
let stopping: Promise<void> | undefined;
const RUNTIME = join(LOCAL_DIR, 'runtime.json');

async function shutdown(): Promise<void> {
  // Files first: whatever else happens, no stale lock or runtime file is left behind.
  if (existsSync(RUNTIME)) rmSync(RUNTIME);
  releaseLock();
  scheduler?.stop();
  oneTime?.stop();
  await gateway?.close().catch(() => undefined);
  await mqttBroker?.close().catch(() => undefined);
  await poller?.stop().catch(() => undefined);
  await registry?.close().catch(() => undefined);
  await providers?.close().catch(() => undefined);
  await channels?.close().catch(() => undefined);
  await oidc?.close().catch(() => undefined);
  await smtp?.close().catch(() => undefined);
  await emulator?.stop().catch(() => undefined);
}

/** Ctrl-C reaches npm, tsx and us, and may come twice (SIGINT then SIGTERM): shut down once. */
async function stop(code: number): Promise<never> {
  stopping ??= shutdown();
  await stopping;
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  const external = process.env.AWS_ENDPOINT_URL;
  emulator = external ? undefined : await startMoto();
  // Without the emulator every call would answer 503: say so and stop, rather than serve on.
  emulator?.onUnexpectedExit((code, signal) => {
    console.error(
      `npm start: the AWS emulator (moto) stopped unexpectedly (${signal ?? `exit code ${code}`}); ` +
        'its in-memory data is gone. Stopping the local stack — run `npm start` again.',
    );
    void stop(1);
  });
  const endpoint = external ?? (emulator as Emulator).endpoint;
  registry = await startRegistrySimulator(Number(process.env.REGISTRY_SIMULATOR_PORT ?? 0));
  providers = await startOnboardingSimulator(Number(process.env.ONBOARDING_SIMULATOR_PORT ?? 0));
  channels = await startChannelSimulator(Number(process.env.CHANNEL_SIMULATOR_PORT ?? 0));
  const resources = {
    tableName: 'special-ops-local',
    idHashKeySecretId: 'special-ops/local/id-hash-key',
    workQueueName: 'special-ops-local-work',
    registryBaseUrl: registry.url,
    onboardingProviderUrl: providers.url,
    channelSimulatorUrl: channels.url,
  };
  Object.assign(process.env, localEnvironment(endpoint, resources), {
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'WARN',
  });
  // The china profile's paths (docs/deploy.md): identity from an OIDC issuer, mail over SMTP. Set before any handler reads its environment.
  if (profile === 'china') {
    oidc = await startOidcIssuer(LOCAL_DIR, Number(process.env.OIDC_PORT ?? 0));
    smtp = await startSmtpSink({
      port: Number(process.env.SMTP_PORT ?? 0),
      mailDir: join(LOCAL_DIR, 'mail'),
    });
    Object.assign(process.env, {
      MAIL_PROVIDER: 'smtp',
      SMTP_URL: smtp.url,
    });
  }
  const provisioned = await provisionLocal(resources);
  Object.assign(process.env, provisioned);
  // A user re-enrolled by the seed is seen at once by this process's directory cache.
  const { principals } = await import('../../functions/composition-root.ts');
  onDevEnrol((issuer, subject) => principals().forget({ issuer, subject }));

  // Gate devices: the IoT Core stand-in (MQTT over TLS, client certificates from a CA made
  // for this run), the gate-scan rule bridge, and provisioning through the local CA. The
  // badges function and the jobs are wired with these instead of AWS IoT: the same
  // handlers, built from the same composition root, with two adapters replaced.
  const ca = await LocalCa.create();
  const [{ gateScanAction }, root, { badgesAdapters, badgesHandler }, { jobsAdapters, jobsHandler }] =
    await Promise.all([
      import('./gate-rule.ts'),
      import('../../functions/composition-root.ts'),
      import('../../functions/badges/handler.ts'),
      import('../../functions/jobs/handler.ts'),
    ]);
  mqttBroker = await startLocalMqtt(
    ca,
    gateScanAction({
      scans: root.scanStore(),
      inductions: root.siteInductions(),
      travel: root.travelAlertStore(),
      clock: root.clock(),
      refusedAtWork: root.violationProposals(),
    }),
    Number(process.env.MQTT_PORT ?? 8883),
  );
  const broker = mqttBroker;
  const gateDevices = {
    provisioner: new LocalGateProvisioner(ca, broker.url, (gateId) => broker.disconnect(gateId)),
    // Allowlists (the scheduled jobs below) are published, retained, through this broker.
    publisher: broker,
  };
  const jwtKey = loadOrCreateDevKey();
  gateway = await startGateway({
    port,
    jwtKey,
    handlers: {
      badges: badgesHandler({ ...badgesAdapters(), ...gateDevices }) as Handler,
      // Closing a site retires its gates through the same local CA and broker.
      sites: (await import('../../functions/sites/handler.ts')).sitesHandler(
        root.siteClosureDeps(gateDevices),
      ) as Handler,
    },
    ...(oidc ? { verify: oidcVerifier(oidc.issuer) } : {}),
  });
  // What `npm run job` needs to reach this stack's emulator and table.
  writeFileSync(
    RUNTIME,
    JSON.stringify({
      apiUrl: gateway.url,
      registrySimulatorUrl: registry.url,
      profile,
      ...(oidc ? { oidcIssuer: oidc.issuer } : {}),
      environment: { ...localEnvironment(endpoint, resources), ...provisioned },
    }),
  );
  const { handler: work } = await import('../../functions/worker/handler.ts');
  poller = startWorkPoller(provisioned.WORK_QUEUE_URL, work);
  const runJob = jobsHandler({ ...jobsAdapters(), publisher: broker });
  scheduler = startLocalScheduler((s) => asFunction('jobs', () => runJob({ job: s.job })));
  oneTime = startOneTimeSchedules(provisioned.TICKET_SCHEDULE_GROUP, (input) =>
    asFunction('jobs', () => runJob(input)),
  );

  if (!values['no-seed']) {
    const seeder = { tenantId: DEMO_TENANT, role: 'group_admin' as const, subject: 'demo-seed' };
    const token = oidc
      ? await mintDevOidcToken(LOCAL_DIR, oidc.issuer, seeder)
      : await mintDevToken(jwtKey, seeder);
    const url = gateway.url;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`seed ${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const summary = await seedDemo(registry, call);
    if (seedPeople) {
      const started = Date.now();
      const crowd = await seedCrowd(root, registry, call, summary.siteIds, seedPeople, summary.quizSiteId);
      console.log(
        `Seeded ${seedPeople} more people in ${((Date.now() - started) / 1000).toFixed(0)} s (${crowd.onSite} checked in at the sites)`,
      );
    }
    console.log(`Seeded tenant "${DEMO_TENANT}": ${summary.sites} sites, ${summary.people.length} people:`);
    for (const p of summary.people)
      console.log(`  ${p.color.padEnd(6)} ${p.name}${p.reason ? ` (${p.reason})` : ''}  badge ${p.badgeUid}`);
    console.log(
      `Try a gate:   npm run gate -- --site ${summary.firstSiteId} --gate east-1 scan ${summary.people[0]?.badgeUid}`,
    );
    console.log(
      `Subcontractor: ${summary.subcontractorId} (华信劳务): npm run token -- --tenant ${DEMO_TENANT} --role subcontractor --subcontractor ${summary.subcontractorId}`,
    );
    console.log(
      `Safety quiz:  site ${summary.quizSiteId} requires its quiz: a first scan there is denied (quiz_required) and puts the quiz in the person's inbox`,
    );
  }

  console.log(
    `AWS emulator: ${endpoint}${external ? ' (external)' : ' (moto; data lives in its memory and is gone when it stops)'}`,
  );
  for (const n of scheduler.next) console.log(`Schedule:     ${n.name} next at ${n.at.toISOString()}`);
  console.log(
    `Gates:        MQTT over TLS at ${mqttBroker.url} (npm run gate -- --site <siteId> --gate east-1 scan <badgeUid>)`,
  );
  console.log(`Registry:     simulator at ${registry.url} (docs/registry-contract.md)`);
  console.log(`Admission:    face/OCR/identity simulator at ${providers.url} (docs/onboarding.md)`);
  console.log(`Channels:     WeCom/DingTalk/Aliyun SMS simulator at ${channels.url} (docs/notifications.md)`);
  if (oidc && smtp) {
    console.log(
      `Profile:      china — identity from the OIDC issuer at ${oidc.issuer}, mail to the SMTP sink at ${smtp.url}, each message written to ${join(LOCAL_DIR, 'mail')}/`,
    );
  }
  console.log(`Get a token:  npm run token -- --tenant ${DEMO_TENANT} --role group_admin`);
  console.log(`Ready: special-ops local API listening on ${gateway.url}  (Ctrl-C stops everything)`);
} catch (error) {
  if (error instanceof EmulatorUnavailable) {
    console.error(`npm start: ${error.message}`);
  } else {
    console.error('npm start failed:', error);
  }
  await stop(1);
}
