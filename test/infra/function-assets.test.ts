// The functions' assets, built with the options CDK builds them with (infra/bundling.ts)
// instead of through a synthesis of the whole app: the template tests (stacks.test.ts) skip
// bundling, which was ~40 s of the suite's longest file (31 builds, one function at a time).
// What is checked here is what only a build shows: code splitting keeps a library some routes
// use out of the file a cold start loads, and every file of every function loads on Node 24.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { bundleFunction, ESBUILD_OPTIONS, HANDLER_FILE, handlerEntry } from '../../infra/bundling.ts';
import { handlerCapabilities } from '../support/handlers.ts';

const sourcesOf = (file: string) =>
  (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources.join('\n');

describe('function assets', () => {
  it('bundles each function with code splitting: a library only some routes use is a chunk, not in the file a cold start loads', () => {
    for (const [capability, library] of [
      ['batches', 'node_modules/exceljs/'],
      ['heatmap', 'node_modules/h3-js/'],
      ['onboarding', 'node_modules/jpeg-js/'],
      ['verification', 'node_modules/qrcode/'],
    ] as const) {
      // Exactly the deployed build: the asset CDK stages is this function's output directory.
      const dir = mkdtempSync(join(tmpdir(), `asset-${capability}-`));
      bundleFunction(handlerEntry(capability), dir);
      expect(existsSync(join(dir, HANDLER_FILE))).toBe(true);
      expect(sourcesOf(join(dir, HANDLER_FILE))).not.toContain(library);
      const chunks = readdirSync(join(dir, 'chunks')).filter((f) => f.endsWith('.mjs'));
      expect(chunks.some((c) => sourcesOf(join(dir, 'chunks', c)).includes(library))).toBe(true);
    }
  }, 60_000);

  it('loads every function’s entry and every chunk a route imports later on Node 24', () => {
    // A chunk is only loaded by the request that needs it, so no other test would reach a
    // broken one (a CommonJS dependency's require, a chunk naming another chunk). All the
    // functions in one build with the deployed options: the same modules and the same
    // splitting, parsed once (2–3 s instead of ~40 s for 31 builds).
    const capabilities = handlerCapabilities();
    expect(capabilities.length).toBeGreaterThan(25);
    const dir = mkdtempSync(join(tmpdir(), 'asset-load-'));
    buildSync({
      ...ESBUILD_OPTIONS,
      entryPoints: Object.fromEntries(capabilities.map((c) => [c, handlerEntry(c)])),
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      logLevel: 'error',
    });
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
