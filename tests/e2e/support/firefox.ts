import { existsSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { GECKO_ID } from '../../../scripts/manifest';

/**
 * The Firefox the end-to-end tests drive: `FIREFOX_PATH`, else Debian's `firefox-esr`, else `firefox`.
 * With none, the tests fail (never skip) and say how to get one. A `FIREFOX_PATH` that is wrong is
 * said, not quietly replaced by another Firefox (as `CHROME_PATH` is for Chromium).
 */
export function firefoxPath(): string {
  const candidates = process.env.FIREFOX_PATH
    ? [process.env.FIREFOX_PATH]
    : ['/usr/bin/firefox-esr', '/usr/bin/firefox'];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(
      `No Firefox at ${candidates.join(' or ')}. Install Debian's with \`apt-get install -y firefox-esr\`, ` +
        'or set FIREFOX_PATH to a Firefox binary (140 or later), then run the tests again.',
    );
  }
  return found;
}

export interface FirefoxSession {
  browser: Browser;
  /** The add-on's moz-extension:// origin. */
  extensionOrigin: string;
  close(): Promise<void>;
}

// The internal UUID Firefox gives the add-on; fixed here through the pref Firefox keeps them in, so the
// tests know the moz-extension:// origin without reading about:debugging.
const EXTENSION_UUID = '3c5d8e2a-7b41-4f06-9d2e-5a1f0c6b8e47';

/**
 * Launches stock Firefox over WebDriver BiDi and installs the built add-on as a temporary add-on, as
 * `about:debugging` does.
 */
export async function launchFirefoxWithExtension(extensionDir = 'dist/firefox'): Promise<FirefoxSession> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    // WebDriver BiDi refuses to navigate to privileged URLs, moz-extension: among them, unless the
    // client is allowed system access (Firefox's remote/webdriver-bidi browsingContext.navigate).
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      // permissions.request() still needs a real click in the page, but no one is there to press
      // "Allow" in Firefox's prompt: with this pref off, Firefox grants what a click asks for. It
      // stands in for the practice manager's Allow, as the Chrome tests' granted copy does.
      'extensions.webextOptionalPermissionPrompts': false,
    },
  });
  try {
    const id = await browser.installExtension(path.resolve(extensionDir));
    if (id !== GECKO_ID) throw new Error(`installed ${id}, expected ${GECKO_ID}`);
  } catch (error) {
    await browser.close();
    throw error;
  }
  return {
    browser,
    extensionOrigin: `moz-extension://${EXTENSION_UUID}`,
    close: () => browser.close(),
  };
}

/**
 * Opens an extension page. Firefox loads moz-extension: pages in the extension process and does not
 * report their load over BiDi, so waiting for `load` would time out: wait for the page's own text.
 */
export async function openExtensionPage(page: Page, url: string): Promise<void> {
  await page.goto(url, { timeout: 3_000 }).catch((error: unknown) => {
    if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
  });
  await page.waitForFunction(
    (expected) => location.href === expected && document.readyState !== 'loading',
    {},
    url,
  );
}

/**
 * The form control inside `host`'s open shadow root whose `<label>` reads `label`, found the way a
 * person finds it. (Puppeteer's ARIA queries do not look into shadow roots in Firefox.)
 */
export async function controlInShadow(
  page: Page,
  host: string,
  label: string,
): Promise<ElementHandle<Element>> {
  const handle = await page.waitForFunction(
    (hostSelector, labelText) => {
      const root = document.querySelector(hostSelector)?.shadowRoot;
      if (!root) return null;
      const found = [...root.querySelectorAll('label')].find(
        (item) => item.textContent?.trim() === labelText,
      );
      return found?.control ?? null;
    },
    { timeout: 15_000 },
    host,
    label,
  );
  const element = handle.asElement();
  if (!element) throw new Error(`no control labelled "${label}" in ${host}`);
  return element as ElementHandle<Element>;
}
