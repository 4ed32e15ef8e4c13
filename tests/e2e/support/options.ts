import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ActivityRecord } from '../../../src/shared/outbox-db';
import type { ExtensionSession } from './browser';

// Helpers for the options page tests: opening it, reading what was saved, the record-site
// registrations, seeding anonymous activity records, and axe-core.

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
