import { defineConfig } from 'vitest/config';

// `npm run screenshots`: takes the guides' pictures from the real build and demo (docs/images/).
export default defineConfig({
  test: {
    include: ['tests/screenshots/**/*.shots.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
