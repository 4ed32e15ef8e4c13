import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addonsLint } from './support/addons-lint';
import { launchBrowser } from './support/browser';
import { startServer, type TestServer } from './support/static-server';
import { readZip } from './support/zip-reader';

// `npm run package` (after the build): the store zips hold exactly the built extension, the Chrome one
// without `key`, and the widget's printed integrity hash is one a browser accepts.

const run = promisify(execFile);
const version: string = JSON.parse(readFileSync('package.json', 'utf8')).version;

/** Every file under a folder, `/`-separated, as the zips name them. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

describe('npm run package', () => {
  let printed = '';

  beforeAll(async () => {
    ({ stdout: printed } = await run(process.execPath, ['scripts/package.mjs']));
  });

  it.each(['chrome', 'firefox'])('zips dist/%s with manifest.json at the root', (browser) => {
    const zip = readZip(`dist/linkwell-${browser}-${version}.zip`);
    const built = filesUnder(`dist/${browser}`);
    expect([...zip.keys()].sort()).toEqual(built);
    expect([...zip.keys()][0]).toBe('manifest.json');
    for (const name of built) {
      if (name === 'manifest.json') continue;
      expect(zip.get(name)?.equals(readFileSync(`dist/${browser}/${name}`)), name).toBe(true);
    }
    const manifest = JSON.parse(zip.get('manifest.json')?.toString('utf8') ?? '{}');
    expect(manifest.version).toBe(version);
  });

  it('leaves the key out of the Chrome Web Store zip, and nothing else', () => {
    const zipped = JSON.parse(
      readZip(`dist/linkwell-chrome-${version}.zip`).get('manifest.json')?.toString() ?? '',
    );
    const { key, ...rest } = JSON.parse(readFileSync('dist/chrome/manifest.json', 'utf8'));
    expect(typeof key).toBe('string');
    expect(zipped.key).toBeUndefined();
    expect(zipped).toEqual(rest);
  });

  it('gives addons.mozilla.org a zip that addons-linter reads without errors', async () => {
    const report = await addonsLint(path.resolve(`dist/linkwell-firefox-${version}.zip`));
    expect(report.errors).toEqual([]);
  });

  it('prints the sizes', () => {
    expect(printed).toMatch(
      new RegExp(`dist/linkwell-chrome-${version.replaceAll('.', '\\.')}\\.zip\\s+\\d+\\.\\d kB`),
    );
    expect(printed).toMatch(
      new RegExp(`dist/linkwell-firefox-${version.replaceAll('.', '\\.')}\\.zip\\s+\\d+\\.\\d kB`),
    );
  });

  describe('the versioned widget and its integrity hash', () => {
    let site: TestServer;
    const versioned = `linkwell-offers-${version}.js`;

    beforeAll(async () => {
      site = await startServer({ root: path.resolve('dist/widget') });
    });
    afterAll(async () => {
      await site?.close();
    });

    it('copies the widget under its version and prints the sha384 of it in an embed snippet', () => {
      const widget = readFileSync('dist/widget/linkwell-offers.js');
      expect(readFileSync(`dist/widget/${versioned}`).equals(widget)).toBe(true);
      const expected = `sha384-${createHash('sha384').update(widget).digest('base64')}`;
      expect(printed).toContain(`integrity="${expected}"`);
      expect(printed).toContain(`src="https://example.org/${versioned}"`);
      expect(printed).toContain('crossorigin="anonymous"');
      expect(JSON.parse(readFileSync('dist/widget/integrity.json', 'utf8'))[versioned]).toBe(expected);
    });

    it('is a hash the browser accepts, and a changed hash is refused', async () => {
      const integrity = /integrity="([^"]+)"/.exec(printed)?.[1] ?? '';
      const wrong = `sha384-${createHash('sha384').update('something else').digest('base64')}`;
      const browser = await launchBrowser();
      try {
        const loads = async (hash: string) => {
          const page = await browser.newPage();
          await page.goto(`${site.origin}/`);
          const defined = await page.evaluate(
            async ({ src, hash }) => {
              const script = document.createElement('script');
              script.src = src;
              script.integrity = hash;
              script.crossOrigin = 'anonymous';
              const settled = new Promise<boolean>((resolve) => {
                script.onload = () => resolve(true);
                script.onerror = () => resolve(false);
              });
              document.head.append(script);
              return (await settled) && customElements.get('linkwell-offers') !== undefined;
            },
            { src: `${site.origin}/${versioned}`, hash },
          );
          await page.close();
          return defined;
        };
        expect(await loads(integrity)).toBe(true);
        expect(await loads(wrong)).toBe(false);
      } finally {
        await browser.close();
      }
    });
  });
});
