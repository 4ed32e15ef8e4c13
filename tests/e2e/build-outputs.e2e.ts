import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

// Meta-tests on what `npm run build` wrote: every file a manifest names exists, and the scripts that
// must be self-contained are.

type Json = Record<string, unknown>;
const readJson = (file: string): Json => JSON.parse(readFileSync(file, 'utf8')) as Json;

/** Every string in the manifest that names a file in the package. */
function manifestPaths(manifest: Json): string[] {
  const paths: string[] = [];
  const visit = (value: unknown, key: string) => {
    if (typeof value === 'string') {
      if (/\.(html|js|json|png)$/.test(value) && !/^https?:/.test(value) && key !== 'id') paths.push(value);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, key);
    } else if (value && typeof value === 'object') {
      for (const [childKey, child] of Object.entries(value)) visit(child, childKey);
    }
  };
  visit(manifest, '');
  return paths;
}

describe.each(['chrome', 'firefox'])('dist/%s', (browser) => {
  const root = path.resolve('dist', browser);
  const manifest = readJson(path.join(root, 'manifest.json'));

  it('has every file its manifest names', () => {
    const paths = manifestPaths(manifest);
    expect(paths.length).toBeGreaterThan(5);
    for (const file of paths) expect(existsSync(path.join(root, file)), file).toBe(true);
  });

  it('ships the settings JSON Schema as the managed storage schema', () => {
    expect((manifest.storage as Json).managed_schema).toBe('settings.schema.json');
    expect(readJson(path.join(root, 'settings.schema.json')).type).toBe('object');
  });

  it('has a self-contained record-page script for run-time registration', () => {
    const script = readFileSync(path.join(root, 'content/record-page.js'), 'utf8');
    expect(script).not.toMatch(/^\s*(import|export)\s/m);
    expect(script).not.toMatch(/\bimport\(/);
  });

  it('asks for no host permission up front', () => {
    expect(manifest.host_permissions).toBeUndefined();
    expect(manifest.content_scripts).toBeUndefined();
  });
});

describe('dist/firefox', () => {
  const manifest = readJson('dist/firefox/manifest.json');
  it('uses a sidebar instead of a side panel and has a gecko id', () => {
    expect(manifest.side_panel).toBeUndefined();
    expect((manifest.sidebar_action as Json).default_panel).toBe('src/panel/index.html');
    expect(((manifest.browser_specific_settings as Json).gecko as Json).id).toMatch(/@/);
    expect((manifest.permissions as string[]).includes('sidePanel')).toBe(false);
  });
});

describe('dist/widget/linkwell-offers.js', () => {
  const script = readFileSync('dist/widget/linkwell-offers.js', 'utf8');
  it('is one classic script with no imports', () => {
    expect(script).not.toMatch(/^\s*(import|export)[\s{*]/m);
    expect(script).not.toMatch(/\bimport\(/);
  });
  it('stays within its 15 kB gzip budget', () => {
    expect(gzipSync(script).length).toBeLessThanOrEqual(15 * 1024);
  });
});
