// Rewrites test/setup/durations.json from Vitest's local results cache (after a full `npm test`),
// for the longest-first order on machines without that cache (test/setup/longest-first.ts).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { durationKey } from './longest-first.ts';

const cacheRoot = 'node_modules/.vite/vitest';
const hash = readdirSync(cacheRoot).find((d) => existsSync(join(cacheRoot, d, 'results.json')));
if (!hash) throw new Error(`no Vitest results in ${cacheRoot}: run npm test first`);
const results = JSON.parse(readFileSync(join(cacheRoot, hash, 'results.json'), 'utf8')) as {
  projects: Record<string, { files: Record<string, { duration: number }> }>;
};
const durations: Record<string, number> = {};
// The cache keeps files long deleted or moved to another project, and unnamed old runs.
for (const [project, { files }] of Object.entries(results.projects))
  for (const [file, { duration }] of Object.entries(files))
    if (project && existsSync(file)) durations[durationKey(project, file)] = Math.round(duration);
const sorted = Object.fromEntries(Object.entries(durations).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync('test/setup/durations.json', `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`${Object.keys(sorted).length} files recorded`);
