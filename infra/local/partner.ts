// `npm run partner -- <command>`: act as a partner association against the local stack (SPEC
// O4), with the partner simulator. The identity (key pair, partnerId) is kept in
// .local/partner.json, so commands can follow one another.
//
//   register [name]              register this partner with the hub (demo-group) — all operations,
//                                deliveries to a local port while `listen` runs
//   lookup <idNumber>            the pseudonym of an ID number, by blinded look-up
//   push <pseudonym> <reason> [entryRef]   report an entry (reason: forged_certificate, …)
//   withdraw <pseudonym> <entryRef>        withdraw it
//   pull [cursor]                our entries' changes after the cursor
//   listen                       receive our deliveries (Ctrl-C to stop)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_DIR, loadOrCreateDevKey, mintDevToken } from './dev-tokens.ts';
import { PartnerSimulator } from './partner-simulator.ts';

const usage =
  'Usage: npm run partner -- register [name] | lookup <idNumber> | push <pseudonym> <reason> [entryRef] | withdraw <pseudonym> <entryRef> | pull [cursor] | listen';
const runtimeFile = join(LOCAL_DIR, 'runtime.json');
const identityFile = join(LOCAL_DIR, 'partner.json');
if (!existsSync(runtimeFile)) {
  console.error('The local stack is not running: start it with `npm start` first.');
  process.exit(1);
}
const { apiUrl, environment } = JSON.parse(readFileSync(runtimeFile, 'utf8')) as {
  apiUrl: string;
  environment: Record<string, string>;
};
// The running stack's emulator and table: the token's user goes in its directory.
Object.assign(process.env, environment);
const saved = existsSync(identityFile) ? JSON.parse(readFileSync(identityFile, 'utf8')) : undefined;
const partner = new PartnerSimulator(apiUrl, saved);
const [command, ...args] = process.argv.slice(2);
const today = new Date().toISOString().slice(0, 10);
const inThreeYears = `${Number(today.slice(0, 4)) + 3}${today.slice(4)}`;
const show = (value: unknown) => console.log(JSON.stringify(value, null, 2));

async function register(name: string, deliveryUrl?: string) {
  const token = await mintDevToken(loadOrCreateDevKey(), { tenantId: 'demo-group', role: 'group_admin' });
  const res = await fetch(`${apiUrl}/federation/partners`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      contact: { name: 'Local partner' },
      publicKeyPem: partner.publicKeyPem,
      operations: ['oprf', 'push', 'pull'],
      ...(deliveryUrl ? { deliveryUrl } : {}),
    }),
  });
  const body = (await res.json()) as { partnerId: string };
  if (res.status !== 201) throw new Error(`registration refused: ${res.status} ${JSON.stringify(body)}`);
  partner.partnerId = body.partnerId;
  writeFileSync(identityFile, JSON.stringify(partner.identity(), null, 2), { mode: 0o600 });
  return body;
}

switch (command) {
  case 'register':
    show(await register(args[0] ?? '本地测试协会'));
    break;
  case 'lookup': {
    if (!args[0]) throw new Error(usage);
    const { answer, pseudonym } = await partner.pseudonymOf(args[0]);
    show({ status: answer.status, sent: JSON.parse(answer.sent.body), pseudonym });
    break;
  }
  case 'push':
  case 'withdraw': {
    const [pseudonym, second, third] = args;
    if (!pseudonym || !second) throw new Error(usage);
    const add = command === 'push';
    const entry = {
      entryRef: add ? (third ?? `local-${Date.now()}`) : second,
      action: add ? 'add' : 'remove',
      pseudonym,
      reasonCode: add ? second : 'forged_certificate',
      createdOn: today,
      expiresOn: inThreeYears,
    };
    show({ entry, answer: (await partner.push([entry])).body });
    break;
  }
  case 'pull':
    show((await partner.pull(args[0])).body);
    break;
  case 'listen': {
    const url = await partner.listen();
    // A new registration with this address (a partner's address is fixed at registration).
    const registered = await register(`本地测试协会（接收 ${url}）`, url);
    console.log(`Registered ${registered.partnerId}; receiving deliveries at ${url} (Ctrl-C to stop)`);
    setInterval(() => {
      while (partner.received.length) show({ received: partner.received.shift() });
      while (partner.refused.length) show({ refused: partner.refused.shift() });
    }, 500);
    break;
  }
  default:
    console.error(usage);
    process.exit(2);
}
