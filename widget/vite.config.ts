import { defineConfig } from 'vite';

// The widget: one self-contained classic script, dist/widget/linkwell-offers.js.
export default defineConfig({
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2020',
    lib: {
      entry: 'widget/index.ts',
      formats: ['iife'],
      name: 'linkwellOffers',
      fileName: () => 'linkwell-offers.js',
    },
  },
});
