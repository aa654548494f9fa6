// The functions' assets, built with the options CDK builds them with (infra/bundling.ts)
// instead of through a synthesis of the whole app: the template tests (stacks.test.ts) skip
// bundling, which was ~40 s of the suite's longest file (31 builds, one function at a time).
// What is checked here is what only a build shows: code splitting keeps a library some routes
// use out of the file a cold start loads, and every file of every function loads on Node 24.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildSync, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction, ESBUILD_OPTIONS, HANDLER_FILE, handlerEntry } from '../../infra/bundling.ts';
import { handlerCapabilities } from '../support/handlers.ts';

const sourcesOf = (file: string) =>
  (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources.join('\n');

const capabilities = handlerCapabilities();
let dir: string;
let metafile: Metafile;

beforeAll(() => {
  // Every function in one build with the deployed options: the same modules and the same
  // splitting, parsed once (2–3 s instead of ~40 s for 31 builds).
  dir = mkdtempSync(join(tmpdir(), 'asset-all-'));
  metafile = buildSync({
    ...ESBUILD_OPTIONS,
    entryPoints: Object.fromEntries(capabilities.map((c) => [c, handlerEntry(c)])),
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    logLevel: 'error',
  }).metafile;
}, 60_000);

/** The outputs a file loads, following its imports of one kind (static: what a cold start loads). */
function reachable(from: string, kinds: string[]): Set<string> {
  const seen = new Set<string>([from]);
  for (const file of seen)
    for (const i of metafile.outputs[file]?.imports ?? [])
      if (kinds.includes(i.kind) && !i.external) seen.add(i.path);
  return seen;
}

describe('function assets', () => {
  it('splits a function’s own build: a library only some routes use is a chunk, not in the file a cold start loads', () => {
    // Exactly the deployed build (infra/bundling.ts): the asset CDK stages is this directory.
    const own = mkdtempSync(join(tmpdir(), 'asset-batches-'));
    bundleFunction(handlerEntry('batches'), own);
    expect(sourcesOf(join(own, HANDLER_FILE))).not.toContain('node_modules/exceljs/');
    const chunks = readdirSync(join(own, 'chunks')).filter((f) => f.endsWith('.mjs'));
    expect(chunks.some((c) => sourcesOf(join(own, 'chunks', c)).includes('node_modules/exceljs/'))).toBe(
      true,
    );
  }, 60_000);

  it.each([
    ['batches', 'node_modules/exceljs/'],
    ['heatmap', 'node_modules/h3-js/'],
    ['onboarding', 'node_modules/jpeg-js/'],
    ['verification', 'node_modules/qrcode/'],
  ])('loads %s’s cold start without %s, which a route imports when it needs it', (capability, library) => {
    const entry = relative(process.cwd(), join(dir, `${capability}.mjs`));
    const inputsOf = (files: Set<string>) =>
      [...files].flatMap((f) => Object.keys(metafile.outputs[f]?.inputs ?? {}));
    const coldStart = reachable(entry, ['import-statement']);
    expect(inputsOf(coldStart).filter((i) => i.includes(library))).toEqual([]);
    const later = reachable(entry, ['import-statement', 'dynamic-import']);
    expect(inputsOf(later).some((i) => i.includes(library))).toBe(true);
  });

  it('loads every function’s entry and every chunk a route imports later on Node 24', () => {
    // A chunk is only loaded by the request that needs it, so no other test would reach a
    // broken one (a CommonJS dependency's require, a chunk naming another chunk).
    expect(capabilities.length).toBeGreaterThan(25);
    const chunks = readdirSync(join(dir, 'chunks')).filter((f) => f.endsWith('.mjs'));
    expect(chunks.length).toBeGreaterThan(10);
    const files = [
      ...capabilities.map((c) => join(dir, `${c}.mjs`)),
      ...chunks.map((f) => join(dir, 'chunks', f)),
    ];
    const script = join(dir, 'load.mjs');
    writeFileSync(script, `for (const f of ${JSON.stringify(files)}) await import(f);\n`);
    const out = spawnSync(process.execPath, [script], {
      encoding: 'utf8',
      env: { ...process.env, TABLE_NAME: 't', AWS_REGION: 'us-east-1', LOG_LEVEL: 'SILENT' },
    });
    expect(out.stderr).not.toMatch(/Error/);
    expect(out.status).toBe(0);
    expect(process.versions.node.split('.')[0]).toBe('24');
  }, 120_000);
});
