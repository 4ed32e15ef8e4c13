import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { settingsJsonSchema } from '../../src/core/settings';

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

/** Every JavaScript file in a build folder. */
function builtScripts(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .map((file) => path.join(root, file));
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
    // Generated from the zod schema at build time, not written by hand: the very same document.
    expect(readJson(path.join(root, 'settings.schema.json'))).toEqual(settingsJsonSchema());
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

  it('asks only for the permissions docs/security.md justifies', () => {
    const justified =
      browser === 'chrome'
        ? ['alarms', 'scripting', 'sidePanel', 'storage']
        : ['alarms', 'scripting', 'storage'];
    expect([...(manifest.permissions as string[])].sort()).toEqual(justified);
    expect(manifest.optional_host_permissions).toEqual([
      'https://*/*',
      'http://localhost/*',
      'http://127.0.0.1/*',
      'http://[::1]/*',
    ]);
    const security = readFileSync('docs/security.md', 'utf8');
    for (const permission of [...justified, 'optional_host_permissions'])
      expect(security).toContain(`\`${permission}\``);
  });

  it('lets no web page talk to it or load its files', () => {
    expect(manifest.externally_connectable).toBeUndefined();
    expect(manifest.web_accessible_resources ?? []).toEqual([]);
  });

  it('has a strict content security policy and no remote or evaluated code', () => {
    const policy = (manifest.content_security_policy as Json).extension_pages as string;
    expect(policy).toMatch(/script-src 'self';/);
    expect(policy).toMatch(/object-src 'none'/);
    expect(policy).toMatch(/frame-ancestors 'none'/);
    expect(policy).not.toMatch(/unsafe-eval|unsafe-inline|https?:|wasm-unsafe-eval/);
    for (const file of builtScripts(root)) {
      const code = readFileSync(file, 'utf8');
      expect(code, file).not.toMatch(/\beval\(/);
      // The Function constructor is eval by another name (scripts/zod-without-eval.ts takes zod's out).
      expect(code, file).not.toMatch(/\bFunction\s*\(|=\s*Function\s*[,;)]/);
      expect(code, file).not.toMatch(/importScripts\(\s*['"`]https?:/);
      expect(code, file).not.toMatch(/<script[^>]+src=["']https?:/);
    }
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
    expect(gzipSync(script).length).toBeLessThanOrEqual(15_000);
  });
});
