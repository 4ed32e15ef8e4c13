import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtensionSession, launchBrowser, launchWithExtension } from './support/browser';
import { startServer, type TestServer } from './support/static-server';

const CHROME_BUILD = path.resolve('dist/chrome');
// Fixed by the manifest's `key`, so enterprise policy can name the extension.
const EXTENSION_ID = 'lmfkmlimgkpalpbmipadgohcipbcnnmh';

describe('the built extension in Chromium', () => {
  let session: ExtensionSession;
  beforeAll(async () => {
    session = await launchWithExtension(CHROME_BUILD);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('starts its service worker under the fixed extension id', () => {
    expect(session.extensionId).toBe(EXTENSION_ID);
    expect(session.serviceWorker.url()).toMatch(/^chrome-extension:\/\/[a-p]{32}\//);
  });

  it('opens the options page named in the manifest', async () => {
    const manifest = await session.serviceWorker.evaluate(() => chrome.runtime.getManifest());
    const page = await session.context.newPage();
    await page.goto(`chrome-extension://${session.extensionId}/${manifest.options_ui?.page}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Linkwell settings');
    await page.close();
  });

  it('opens the referral panel page named in the manifest', async () => {
    const manifest = (await session.serviceWorker.evaluate(() => chrome.runtime.getManifest())) as {
      side_panel?: { default_path: string };
    };
    const page = await session.context.newPage();
    await page.goto(`chrome-extension://${session.extensionId}/${manifest.side_panel?.default_path}?tabId=1`);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Refer to link worker');
    await page.close();
  });
});

describe('the widget script on a web page', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      root: path.resolve('dist/widget'),
      routes: [
        (request, response) => {
          if (request.url !== '/museum.html') return false;
          response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          // Loaded twice on purpose: the contract says that does no harm.
          response.end(`<!doctype html><title>Museum</title>
            <script src="/linkwell-offers.js"></script><script src="/linkwell-offers.js"></script>
            <linkwell-offers></linkwell-offers>`);
          return true;
        },
      ],
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('defines <linkwell-offers> as a classic script, even when loaded twice', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${server.origin}/museum.html`);
      expect(await page.evaluate(() => customElements.get('linkwell-offers') !== undefined)).toBe(true);
      expect(await page.evaluate(() => document.querySelector('linkwell-offers')?.shadowRoot?.mode)).toBe(
        'open',
      );
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
