// `npm run bench`: bundle size and cold-start import time of every Lambda, bundled
// exactly as CDK bundles it (infra/bundling.ts). Import time is measured in a fresh
// Node process per sample, and also as a ratio to importing an empty module, because
// absolute milliseconds on a shared 2-core machine are noisy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleFunction, ESBUILD_OPTIONS, HANDLER_FILE, handlerEntry } from '../../infra/bundling.ts';
import { CAPABILITIES } from '../../schemas/routes.ts';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 7);
const dir = mkdtempSync(join(tmpdir(), 'special-ops-bench-'));

const probe = (file: string) => `
const t0 = performance.now();
await import(${JSON.stringify(file)});
process.stdout.write(String(performance.now() - t0));
`;

function importMs(file: string): number {
  const script = join(dir, `probe-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(script, probe(file));
  const out = spawnSync(process.execPath, [script], {
    encoding: 'utf8',
    env: {
      ...process.env,
      TABLE_NAME: 'bench',
      ID_HASH_KEY_SECRET_ID: 'bench',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
      LOG_LEVEL: 'SILENT',
    },
  });
  if (out.status !== 0) throw new Error(`import of ${file} failed: ${out.stderr}`);
  return Number(out.stdout);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

const empty = join(dir, 'empty.mjs');
writeFileSync(empty, 'export const handler = async () => ({});\n');
const emptyMs = median(Array.from({ length: SAMPLES }, () => importMs(empty)));

// The floor a function that reads DynamoDB cannot go below: only the document client and
// one GetItem, bundled with the same options. Every HTTP function is compared to it.
const floorEntry = join(dir, 'floor.ts');
writeFileSync(
  floorEntry,
  `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async () => db.send(new GetCommand({ TableName: 't', Key: { pk: 'x', sk: 'y' } }));
`,
);
const floorOut = join(dir, 'floor', 'index.mjs');
await build({
  ...ESBUILD_OPTIONS,
  entryPoints: [floorEntry],
  outfile: floorOut,
  nodePaths: [join(process.cwd(), 'node_modules')],
  logLevel: 'error',
});
const floorKb = statSync(floorOut).size / 1024;

// Paired samples: each function's import is timed right after the baseline's, and the ratio
// is the median of those pairs, so the shared machine's drift between functions cancels out.
// What a cold start loads is the entry file (and any chunk it imports statically); the
// asset also holds the chunks only some routes import, so both sizes are shown.
const kbOf = (files: string[]) => files.reduce((sum, f) => sum + statSync(f).size, 0) / 1024;
const rows: { fn: string; kb: number; assetKb: number; ms: number; ratio: number }[] = [];
const baselineMs: number[] = [];
for (const capability of [...CAPABILITIES, 'worker', 'jobs', 'gates']) {
  const outdir = join(dir, capability);
  const { metafile } = bundleFunction(handlerEntry(capability), outdir, { metafile: true });
  const outfile = join(outdir, HANDLER_FILE);
  const outputs = metafile?.outputs ?? {};
  const js = Object.keys(outputs).filter((f) => f.endsWith('.mjs'));
  const eager = new Set(js.filter((f) => f.endsWith(`/${HANDLER_FILE}`)));
  for (const f of eager) {
    for (const i of outputs[f]?.imports ?? [])
      if (i.kind === 'import-statement' && !i.external) eager.add(i.path);
  }
  const ms: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const b = importMs(floorOut);
    const f = importMs(outfile);
    baselineMs.push(b);
    ms.push(f);
    ratios.push(f / b);
  }
  rows.push({
    fn: capability,
    kb: kbOf([...eager]),
    assetKb: kbOf(js),
    ms: median(ms),
    ratio: median(ratios),
  });
}
const baseline = median(baselineMs);
rows.unshift({ fn: 'baseline', kb: floorKb, assetKb: floorKb, ms: baseline, ratio: 1 });

console.log(
  `Node ${process.version}, ${SAMPLES} cold imports per function (median); empty module: ${emptyMs.toFixed(1)} ms;` +
    ' baseline: DynamoDB document client + one GetItem',
);
console.log('function        loaded KB   asset KB   import ms   × baseline');
for (const r of rows) {
  console.log(
    `${r.fn.padEnd(15)} ${r.kb.toFixed(0).padStart(9)}  ${r.assetKb.toFixed(0).padStart(9)}   ${r.ms.toFixed(1).padStart(9)}   ${r.ratio.toFixed(2).padStart(10)}`,
  );
}

if (process.argv.includes('--bundles-only')) process.exit(0);

function section(name: string): void {
  const out = spawnSync(join('node_modules', '.bin', 'tsx'), [join('test', 'bench', 'section.ts'), name], {
    stdio: 'inherit',
  });
  if (out.status !== 0) throw new Error(`benchmark section ${name} failed`);
}

console.log('\nGate decision path and allowlists:');
section('gate');

console.log('\nGate load (GATE_LOAD=gates x scans/s x seconds):');
section('gate-load');

console.log('\nReads that must not grow with the tenant (READS_PEOPLE=1000,10000):');
section('reads');

console.log('\nDispatch-rule check of a 20-worker work ticket (TICKETS_PEOPLE=1000,10000):');
section('tickets');

console.log('\nForgery analysis on the generated labelled set (FORGERY_SEEDS=12):');
section('forgery');

console.log('\nAlliance OPRF (RFC 9497 VOPRF P256-SHA256, OPRF_EVALUATIONS=200):');
section('oprf');

console.log('\nAlliance propagation to 20 partners on the emulator (PROPAGATION_PARTNERS=20):');
section('propagation');

console.log('\nNotification fan-out through the worker, 3 channels (NOTIFY_MESSAGES=300):');
section('notifications');

console.log('\nBatch cleaning throughput (registry simulator, rate limit lifted):');
section('batch');

console.log('\nLedger import through the worker (moto; IMPORT_PEOPLE=200,1000 people):');
section('import');

console.log('\nThe regulator’s archive of a site (moto; ARCHIVE_PEOPLE=100,500 people):');
section('archive');

console.log('\nThe compliance radar (moto; RADAR_PEOPLE=1000,10000 people):');
section('radar');

// The sweep benchmark loads 100k certificates into moto: about 15 minutes. Skip with --quick.
if (!process.argv.includes('--quick')) {
  console.log('\nDaily expiry sweep (moto, dry run), 200 people changing on the sweep day:');
  section('sweep');
}
