import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// One moto server per worker (and the providers' simulators) for the whole run, shared by both
// emulator projects (a file gets its own table, so the projects never see each other's data;
// starting a set per project cost ~3 s of a 2-core machine at the start of every run). Unit
// tests use none of it.
//
// A worker runs its files in one process (isolate: false): a fresh process a file started Node
// and loaded the AWS SDK and every other package again for each of ~75 files (vitest 282 s →
// 212–234 s, CPU 525 → 400–450 s; docs/benchmarks.md, eleventh session). What isolation gave
// is kept where it matters: emulator-env.ts starts each file from the worker's first
// environment with the project's own modules evaluated afresh, so a file still gets its own
// table, queue and keys, and clients built for the previous file's are gone.
const emulator = {
  setupFiles: ['test/setup/emulator-env.ts'],
  isolate: false,
};

export default defineConfig({
  test: {
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One worker more than the machine has cores. Vitest's default (cores − 1) leaves a core
    // idle; even two workers on 2 cores left 15–25 % of the CPU idle while files waited on moto,
    // the providers' simulators, processes starting and timers. Three keep it ~96 % busy:
    // vitest 340 s → 287 s on this machine (docs/benchmarks.md, ninth session). Each worker
    // has its own moto server (test/setup/global-setup.ts), and the emulator files lift the
    // AWS call deadline (test/setup/emulator-env.ts) so a saturated machine is not a stall.
    maxWorkers: availableParallelism() + 1,
    // EMF metric lines stay out of the test output (test/unit/metrics.test.ts turns them on).
    env: { METRICS: 'off' },
    projects: [
      // Rules and use cases against in-memory fakes: no emulator, milliseconds a test. One
      // process a worker for all of them (isolate: false): a fresh process a file spent more
      // starting Node and loading modules than testing (41 s → 30 s, CPU 76 s → 48 s; passes
      // in shuffled order, so no file leans on another's leftovers).
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/setup/unit-env.ts'],
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'global',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**', '**/node_modules/**'],
          ...emulator,
        },
      },
      // API tests again through the china profile's identity and mail paths (docs/deploy.md):
      // OIDC tokens checked by JWKS, their identities bound through the user directory, a
      // subcontractor's scope from the token's own claim names; SMTP mail. The people and
      // certificate files left this project (~12 s of a run): their routes pass the same
      // gateway check as these, and test/e2e/china-profile.test.ts drives the profile whole.
      {
        extends: true,
        test: {
          name: 'china',
          include: [
            'test/integration/subcontractors.test.ts',
            'test/integration/notifications-api.test.ts',
            'test/integration/users.test.ts',
          ],
          ...emulator,
          env: { PROFILE: 'china' },
        },
      },
    ],
  },
});
