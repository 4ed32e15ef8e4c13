import { rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ActivityRecord } from '../../../src/shared/outbox-db';
import type { ExtensionSession } from './browser';
import { fillReferral, openPanel } from './panel';

// Helpers for the options page tests: opening it, reading what was saved, the record-site
// registrations, seeding anonymous activity records, enterprise policy, a typed-in referral, and axe-core.

/** The extension id the manifest's `key` fixes: policy reaches the extension by it. */
export const EXTENSION_ID = 'lmfkmlimgkpalpbmipadgohcipbcnnmh';
/** Chromium on Linux reads every JSON file here as machine policy, for every Chromium on the computer. */
export const POLICY_FILE = '/etc/chromium/policies/managed/linkwell-test.json';

/** Takes the test policy away. Safe to call at any time, any number of times. */
export function removeTestPolicy(): void {
  rmSync(POLICY_FILE, { force: true });
}

let cleanupRegistered = false;
/**
 * Writes `settings` as the extension's policy (the `3rdparty` section), as IT would. The file affects
 * every Chromium on the computer, so it is removed when the process ends, however it ends; callers
 * also remove it in afterAll / finally.
 */
export async function writeTestPolicy(settings: unknown): Promise<void> {
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    process.once('exit', removeTestPolicy);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        removeTestPolicy();
        process.kill(process.pid, signal);
      });
    }
  }
  await mkdir(path.dirname(POLICY_FILE), { recursive: true });
  await writeFile(
    POLICY_FILE,
    JSON.stringify({ '3rdparty': { extensions: { [EXTENSION_ID]: settings } } }, null, 2),
  );
}

/** Makes Chromium read the policy files now (chrome://policy's "Reload policies"), not at its next refresh. */
export async function reloadPolicies(session: ExtensionSession): Promise<void> {
  const policyPage = await session.context.newPage();
  await policyPage.goto('chrome://policy');
  await policyPage.getByRole('button', { name: /Reload policies/i }).click();
  await policyPage.close();
}

/** Refers a typed-in patient from the panel to the only link worker configured, and returns the panel. */
export async function sendTypedReferral(session: ExtensionSession): Promise<Page> {
  const panel = await openPanel(session, undefined);
  await panel.getByLabel('NHS number').fill('999 526 0182');
  await panel.getByLabel('Patient’s name').fill('Alun Jones');
  await panel.getByLabel('Date of birth').fill('31/01/1950');
  await panel.getByRole('button', { name: 'Use these details' }).click();
  await fillReferral(panel, ['Loneliness or isolation']);
  await panel.getByRole('button', { name: 'Send referral' }).click();
  return panel;
}

export async function openOptions(session: ExtensionSession): Promise<Page> {
  const page = await session.context.newPage();
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.goto(`chrome-extension://${session.extensionId}/src/options/index.html`);
  await page.getByRole('heading', { level: 1, name: 'Linkwell settings' }).waitFor();
  await page.getByText('Loading settings…').waitFor({ state: 'detached' });
  return page;
}

/** The settings as stored in `storage.local` (what the options page saved). */
export function storedSettings(session: ExtensionSession): Promise<unknown> {
  return session.serviceWorker.evaluate(async () => (await chrome.storage.local.get('settings')).settings);
}

/** The origins the record-page script is registered for now. */
export function registeredOrigins(session: ExtensionSession): Promise<string[]> {
  return session.serviceWorker.evaluate(async () =>
    (await chrome.scripting.getRegisteredContentScripts())
      .map((script) => script.id)
      .filter((id) => id.startsWith('linkwell-record-site:'))
      .map((id) => id.slice('linkwell-record-site:'.length)),
  );
}

/** Puts anonymous activity records straight into the extension's IndexedDB, as the outbox would. */
export async function seedActivity(session: ExtensionSession, records: ActivityRecord[]): Promise<void> {
  await session.serviceWorker.evaluate(async (values) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('linkwell');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise<void>((resolve, reject) => {
      const transaction = db.transaction('activity', 'readwrite');
      for (const value of values) transaction.objectStore('activity').put(value);
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
    });
    db.close();
  }, records);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's WCAG 2.2 AA violations on the page, each as `rule: targets`. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the extension page's CSP refuses inline <script> tags.
  await page.evaluate(await readFile(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8'));
  const violations = (await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(root: Element, options: object): Promise<{ violations: unknown[] }> };
      }
    ).axe;
    const result = await axe.run(document.body, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations;
  })) as AxeViolation[];
  return violations.map(
    (violation) =>
      `${violation.id} (${violation.help}): ${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')}`,
  );
}
