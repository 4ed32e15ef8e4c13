import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../../../src/core/settings';
import type { ExtensionSession } from './browser';

/**
 * A copy of the built Chrome extension that is granted loopback pages up front.
 * `permissions.request` never settles in headless Chromium, so the tests cannot click "Allow";
 * granting `http://127.0.0.1/*` in the manifest stands in for the practice manager's click. Nothing
 * else differs from dist/chrome.
 */
export async function extensionGrantedLoopback(name = 'chrome-loopback'): Promise<string> {
  const target = path.resolve('.tmp', name);
  await rm(target, { recursive: true, force: true });
  await mkdir(path.dirname(target), { recursive: true });
  await cp(path.resolve('dist/chrome'), target, { recursive: true });
  const manifestPath = path.join(target, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
  manifest.host_permissions = ['http://127.0.0.1/*'];
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  return target;
}

/** Puts settings in place as the options page would save them. */
export async function seedSettings(session: ExtensionSession, settings: Settings): Promise<void> {
  await session.serviceWorker.evaluate(async (value) => {
    await chrome.storage.local.set({ settings: value });
  }, settings);
}

/** The practice settings most end-to-end tests start from, pointing at loopback servers. */
export function testSettings(options: {
  recordOrigin: string;
  fhirEndpoint: string;
  feedUrl?: string;
}): Settings {
  return {
    version: 1,
    practice: { name: 'Severnside Surgery', odsCode: 'L84001' },
    linkWorkers: [
      {
        id: 'pcn-lw',
        name: 'Severnside PCN link worker',
        role: 'Social Prescribing Link Worker',
        organisation: 'Severnside PCN',
        email: 'severnside.linkworker@nhs.net',
        delivery: { method: 'fhir', endpoint: options.fhirEndpoint, token: 'test-token' },
      },
    ],
    recordSites: [{ origin: options.recordOrigin, label: 'Demo clinical system' }],
    offerFeeds: options.feedUrl ? [{ url: options.feedUrl, label: 'Museum' }] : [],
    retentionDays: 30,
  };
}
