// The folder DAG is part of `npm test` (npm run lint:layers): a capability that imports
// another capability fails it. Shown here on a planted import, and the domain layer's own rule.
import { execFile } from 'node:child_process';
import { copyFile, cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * Plants the file in a copy of the source tree, never in the repository's own: other test
 * files read functions/ while this one runs, and a planted file they list then lose fails them.
 */
async function cruise(file: string, source: string) {
  const tree = await mkdtemp(join(tmpdir(), 'layers-'));
  try {
    await Promise.all([
      cp('functions', join(tree, 'functions'), { recursive: true }),
      cp('schemas', join(tree, 'schemas'), { recursive: true }),
      copyFile('.dependency-cruiser.cjs', join(tree, '.dependency-cruiser.cjs')),
      copyFile('tsconfig.json', join(tree, 'tsconfig.json')),
      symlink(resolve('node_modules'), join(tree, 'node_modules')),
    ]);
    await writeFile(join(tree, file), source);
    await run(resolve('node_modules/.bin/depcruise'), [file, '--config', '.dependency-cruiser.cjs'], {
      cwd: tree,
      timeout: 60_000,
    });
    return { failed: false, output: '' };
  } catch (error) {
    const e = error as { code?: number; stdout?: string };
    return { failed: e.code !== 0, output: e.stdout ?? '' };
  } finally {
    await rm(tree, { recursive: true, force: true });
  }
}

describe('the capability folders form a DAG', () => {
  it('fails on a planted import of another capability, and passes the same file through a shared module', async () => {
    const planted = await cruise(
      'functions/sites/planted-cross-import.ts',
      "import type { PersonRecord } from '../people/person.ts';\nexport type P = PersonRecord;\n",
    );
    expect(planted.failed).toBe(true);
    expect(planted.output).toContain('capabilities-form-a-dag');
    expect(planted.output).toContain('functions/sites/planted-cross-import.ts → functions/people/person.ts');
    const allowed = await cruise(
      'functions/sites/planted-shared-import.ts',
      "import type { PracticeDeclaration } from '../domain/work-history.ts';\nimport { truncateText } from '../shared/text.ts';\nexport const t = (d: PracticeDeclaration) => truncateText(d.source, 10);\n",
    );
    expect(allowed).toEqual({ failed: false, output: '' });
  }, 120_000);

  it('keeps the domain layer below every capability', async () => {
    const planted = await cruise(
      'functions/domain/planted-upward-import.ts',
      "import type { PersonRecord } from '../people/person.ts';\nexport type P = PersonRecord;\n",
    );
    expect(planted.failed).toBe(true);
    expect(planted.output).toContain('domain-is-below-capabilities');
  }, 120_000);
});
