// Unit tests only (no emulator): what mutation testing runs against the pure rule modules.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    pool: 'forks',
  },
});
