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
    // `npm run fuzz` (FUZZ_RUNS=10000) runs each property for minutes, not vitest's default 5 s; a few
    // milliseconds per input, with room for a loaded machine.
    ...(process.env.FUZZ_RUNS ? { testTimeout: Math.max(60_000, Number(process.env.FUZZ_RUNS) * 60) } : {}),
  },
});
