// Runs the longest test files first, across all projects, so that no long file starts near the
// end of a run while the other workers sit idle (longest-processing-time-first keeps the run
// close to total work ÷ workers).
//
// Vitest's own order does this only from its local results cache, and only within a project:
// on a fresh clone (CI) it has no cache and runs the *largest* files first, so short files
// holding long waits (npm start, moto, Chromium) started late; and the `unit` project ran last,
// its one long file (forgery, ~20 s) starting when the others had nearly finished. Without a
// cached result a file takes its duration from test/setup/durations.json, recorded from a full
// run (`npm run -s test:durations` rewrites it from the local cache after `npm test`).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const recorded = (): Record<string, number> =>
  JSON.parse(readFileSync(new URL('./durations.json', import.meta.url), 'utf8'));

/** The key of a file in durations.json: its project and path from the repository's root. */
export const durationKey = (project: string, file: string) => `${project} ${file}`;

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const RECORDED = recorded();
    const duration = (spec: TestSpecification) =>
      this.ctx.cache.getTestSpecificationResult(spec)?.duration ??
      RECORDED[durationKey(spec.project.name, relative(root, spec.moduleId))] ??
      // A file never run anywhere: first, as Vitest does, since nothing says it is short.
      Number.POSITIVE_INFINITY;
    return [...files].sort((a, b) => duration(b) - duration(a));
  }
}
