import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addonsLint } from './support/addons-lint';
import { launchBrowser } from './support/browser';
import { startServer, type TestServer } from './support/static-server';
import { readZip } from './support/zip-reader';

// `npm run package` (after the build): the store zips hold exactly the built extension, the Chrome one
// without `key`; the widget's printed integrity hash is one a browser accepts; and the museum's zip,
// unpacked as a volunteer would, works by its README alone.

const run = promisify(execFile);
// How long to wait for a page to show something (the machine may be busy); not a timing budget.
const WAIT = { timeout: 15_000 };
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
  describe('the widget zip for a museum or library', () => {
    const zipName = `dist/linkwell-widget-${version}.zip`;
    const versioned = `linkwell-offers-${version}.js`;
    let unpacked = '';
    let site: TestServer;

    beforeAll(async () => {
      // Unzipped into a folder, as "Extract all" does, then served as the museum's own website with
      // the offers.json the builder writes.
      unpacked = mkdtempSync(path.join(tmpdir(), 'linkwell-widget-zip-'));
      for (const [name, data] of readZip(zipName)) {
        mkdirSync(path.dirname(path.join(unpacked, name)), { recursive: true });
        writeFileSync(path.join(unpacked, name), data);
      }
      writeFileSync(path.join(unpacked, 'offers.json'), readFileSync('demo/museum/offers.json'));
      site = await startServer({ root: unpacked });
    });
    afterAll(async () => {
      await site?.close();
      if (unpacked) rmSync(unpacked, { recursive: true, force: true });
    });

    it('holds README.txt first, then exactly the built widget folder', () => {
      const zip = readZip(zipName);
      const built = filesUnder('dist/widget');
      expect([...zip.keys()]).toEqual(['README.txt', ...built]);
      expect(built).toEqual(
        expect.arrayContaining([
          'linkwell-offers.js',
          versioned,
          'builder.html',
          'builder.js',
          'builder.css',
        ]),
      );
      for (const name of built)
        expect(zip.get(name)?.equals(readFileSync(`dist/widget/${name}`)), name).toBe(true);
      expect(printed).toMatch(
        new RegExp(`dist/linkwell-widget-${version.replaceAll('.', '\\.')}\\.zip\\s+\\d+\\.\\d kB`),
      );
    });

    it('says in README.txt what each file is, and gives the embed snippet with the hash', () => {
      const readme = readZip(zipName).get('README.txt')?.toString('utf8') ?? '';
      expect(readme).toContain(`version ${version}`);
      for (const name of filesUnder('dist/widget')) expect(readme, name).toContain(name);
      const integrity = `sha384-${createHash('sha384').update(readFileSync('dist/widget/linkwell-offers.js')).digest('base64')}`;
      expect(readme).toContain(`<script src="https://example.org/${versioned}"`);
      expect(readme).toContain(`integrity="${integrity}" crossorigin="anonymous" defer></script>`);
      expect(readme).toContain('<linkwell-offers src="https://example.org/offers.json"></linkwell-offers>');
    });

    it('shows the offers on a page that uses the README’s snippet with the site’s own address', async () => {
      const readme = readZip(zipName).get('README.txt')?.toString('utf8') ?? '';
      const snippet = /<script src=[\s\S]*?<\/linkwell-offers>/.exec(readme)?.[0] ?? '';
      expect(snippet).not.toBe('');
      writeFileSync(
        path.join(unpacked, 'museum.html'),
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Museum</title></head>
<body><main><h1>Feeling better at the museum</h1>
${snippet.replaceAll('https://example.org/', `${site.origin}/`)}
</main></body></html>`,
      );
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage();
        await page.goto(`${site.origin}/museum.html`);
        await expect.poll(() => page.getByRole('article').count(), WAIT).toBeGreaterThan(3);
        await expect
          .poll(() => page.getByRole('heading', { name: 'Objects and Memories' }).count(), WAIT)
          .toBe(1);
        await page.screenshot({ path: '.tmp/package-widget-zip.png', fullPage: true });
      } finally {
        await browser.close();
      }
    });

    it('opens its offer builder straight from the unzipped folder', async () => {
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(pathToFileURL(path.join(unpacked, 'builder.html')).href);
        await expect
          .poll(() => page.getByRole('heading', { name: 'Make your offers list', level: 1 }).count(), WAIT)
          .toBe(1);
        await expect.poll(() => page.getByLabel('Organisation name').count(), WAIT).toBe(1);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    });
  });
});
