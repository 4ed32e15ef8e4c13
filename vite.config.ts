import { crx } from '@crxjs/vite-plugin';
import { build, defineConfig, type Plugin } from 'vite';
import { manifestFor, type TargetBrowser } from './scripts/manifest.ts';
import { zodWithoutEval } from './scripts/zod-without-eval.ts';
import { settingsJsonSchema } from './src/core/settings.ts';

// The extension: `vite build --mode chrome` writes dist/chrome, `--mode firefox` writes dist/firefox.
export default defineConfig(({ mode }) => {
  const browser: TargetBrowser = mode === 'firefox' ? 'firefox' : 'chrome';
  const outDir = `dist/${browser}`;
  return {
    // crxjs's manifest types lag the browsers (sidebar_action, optional_host_permissions); the shape is checked by the meta-tests.
    plugins: [
      zodWithoutEval(),
      crx({ manifest: manifestFor(browser) as never, browser }),
      settingsSchemaAsset(),
      recordPageScript(outDir),
    ],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      // crxjs builds the pages the manifest names; Firefox's sidebar_action is not one it knows.
      rollupOptions: { input: { panel: 'src/panel/index.html' } },
    },
  };
});

/** settings.schema.json, generated from the zod schema: the manifest's `storage.managed_schema`. */
function settingsSchemaAsset(): Plugin {
  return {
    name: 'linkwell:settings-schema',
    generateBundle() {
      const source = `${JSON.stringify(settingsJsonSchema(), null, 2)}\n`;
      this.emitFile({ type: 'asset', fileName: 'settings.schema.json', source });
    },
  };
}

/**
 * The record-page content script is registered at run time for the practice's own sites
 * (`scripting.registerContentScripts`), so it must be one self-contained classic script:
 * crxjs's module loaders only run on origins listed in web_accessible_resources.
 */
function recordPageScript(outDir: string): Plugin {
  return {
    name: 'linkwell:record-page-script',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: 'warn',
        plugins: [zodWithoutEval()],
        build: {
          outDir,
          emptyOutDir: false,
          target: 'es2022',
          lib: {
            entry: 'src/content/index.ts',
            formats: ['iife'],
            name: 'linkwellRecordPage',
            fileName: () => 'content/record-page.js',
          },
        },
      });
    },
  };
}
