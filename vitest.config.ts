import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/setup/global-setup.ts'],
    setupFiles: ['test/setup/emulator-env.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'global', include: ['test/**/*.test.ts'] } },
      // The same API tests through the china profile's identity and mail paths (docs/deploy.md):
      // OIDC tokens checked by JWKS, their identities bound through the user directory; SMTP mail.
      {
        extends: true,
        test: {
          name: 'china',
          include: [
            'test/integration/people.test.ts',
            'test/integration/subcontractors.test.ts',
            'test/integration/certificates.test.ts',
            'test/integration/notifications-api.test.ts',
            'test/integration/users.test.ts',
          ],
          env: { PROFILE: 'china' },
        },
      },
    ],
  },
});
