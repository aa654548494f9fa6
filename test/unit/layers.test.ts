// The folder DAG is part of `npm test` (npm run lint:layers): a capability that imports
// another capability fails it. Shown here on a planted import, and the domain layer's own rule.
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function cruise(file: string, source: string) {
  await writeFile(file, source);
  try {
    await run('node_modules/.bin/depcruise', [file, '--config', '.dependency-cruiser.cjs'], {
      timeout: 60_000,
    });
    return { failed: false, output: '' };
  } catch (error) {
    const e = error as { code?: number; stdout?: string };
    return { failed: e.code !== 0, output: e.stdout ?? '' };
  } finally {
    await rm(file, { force: true });
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
