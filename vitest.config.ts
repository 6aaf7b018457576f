import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // two cores: run files in parallel on forks, the heavy suites declare their own sequencing
    pool: 'forks',
    reporters: ['default'],
    // quiet output: logs go through the console (Powertools' dev mode) and are shown for failed tests only
    silent: 'passed-only',
    env: { POWERTOOLS_DEV: 'true' },
  },
});
