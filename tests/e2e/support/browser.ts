import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Worker } from 'playwright-core';

/** Flags that keep headless Chromium quiet and offline on a closed network (see README, Testing). */
const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The Chromium the end-to-end tests drive: `CHROME_PATH`, else Debian's `/usr/bin/chromium`.
 * With neither, the tests fail (never skip) and say how to get one.
 */
export function chromiumPath(): string {
  const candidate = process.env.CHROME_PATH || '/usr/bin/chromium';
  if (!existsSync(candidate)) {
    throw new Error(
      `No Chromium at ${candidate}. Install Debian's with \`apt-get install -y chromium\`, ` +
        'or set CHROME_PATH to Chromium or Chrome for Testing (branded Google Chrome 137 and later ' +
        'ignores --load-extension), then run the tests again.',
    );
  }
  return candidate;
}

export interface ExtensionSession {
  context: BrowserContext;
  extensionId: string;
  serviceWorker: Worker;
  userDataDir: string;
  /** Closes the browser and removes its profile unless `keepProfile` is set. */
  close(options?: { keepProfile?: boolean }): Promise<void>;
}

/** Launches Chromium with an unpacked extension loaded, in a fresh (or the given) profile. */
export async function launchWithExtension(
  extensionDir: string,
  options: { userDataDir?: string } = {},
): Promise<ExtensionSession> {
  const userDataDir = options.userDataDir ?? (await mkdtemp(path.join(tmpdir(), 'linkwell-profile-')));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: [...QUIET_FLAGS, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
  });
  const serviceWorker =
    context.serviceWorkers().find((worker) => worker.url().startsWith('chrome-extension://')) ??
    (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const extensionId = new URL(serviceWorker.url()).host;
  return {
    context,
    extensionId,
    serviceWorker,
    userDataDir,
    async close({ keepProfile = false } = {}) {
      await context.close();
      if (!keepProfile) await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Launches plain Chromium (no extension) for pages such as the widget's. */
export async function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: QUIET_FLAGS });
}
