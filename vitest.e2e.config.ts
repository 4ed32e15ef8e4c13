import { defineConfig } from 'vitest/config';

// End-to-end tests: the built extension and widget in a real Chromium. One file at a time: the
// machines have two cores and each file drives its own browser.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
