import { copyFile } from 'node:fs/promises';
import { build, defineConfig, type Plugin } from 'vite';
import { zodWithoutEval } from '../scripts/zod-without-eval.ts';
import { INTERNAL_NAMES } from './internal-names.ts';

// The widget: one self-contained classic script, dist/widget/linkwell-offers.js. ES2022 keeps class fields
// and private names as they are: shorter than their down-levelled helpers, and every browser in support has them.
export default defineConfig({
  plugins: [zodWithoutEval(), builderPage()],
  publicDir: false, // the extension's icons are not the widget's
  oxc: {
    jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' },
    jsxInject: "import { h, Fragment } from 'preact'",
  },
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2022',
    lib: {
      entry: 'widget/index.ts',
      formats: ['iife'],
      name: 'linkwellOffers',
      fileName: () => 'linkwell-offers.js',
    },
    rolldownOptions: {
      // Shorter internal property names: about 250 bytes of the 15 kB gzip budget (see internal-names.ts).
      output: { minify: { mangleProps: { include: new RegExp(`^(${INTERNAL_NAMES.join('|')})$`) } } },
    },
  },
});

/**
 * The offer builder, dist/widget/builder.html: a page a volunteer can open from disk, so its code is a
 * classic script too (module scripts do not load from file:// URLs) and nothing is inline.
 */
function builderPage(): Plugin {
  return {
    name: 'linkwell:builder-page',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: 'warn',
        publicDir: false,
        plugins: [zodWithoutEval()],
        build: {
          outDir: 'dist/widget',
          emptyOutDir: false,
          target: 'es2022',
          lib: {
            entry: 'widget/builder/main.tsx',
            formats: ['iife'],
            name: 'linkwellBuilder',
            fileName: () => 'builder.js',
          },
        },
      });
      await copyFile('widget/builder/builder.html', 'dist/widget/builder.html');
      await copyFile('widget/builder/builder.css', 'dist/widget/builder.css');
    },
  };
}
