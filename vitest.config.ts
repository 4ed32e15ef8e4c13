import { defineConfig } from 'vitest/config';

// Unit tests: the pure core and UI pieces, beside their code. End-to-end tests have their own config.
export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'src/**/*.test.tsx',
      'widget/**/*.test.ts',
      'widget/**/*.test.tsx',
      'tests/unit/**/*.test.ts',
      'tests/fuzz/**/*.test.ts',
    ],
    environment: 'node',
  },
});
