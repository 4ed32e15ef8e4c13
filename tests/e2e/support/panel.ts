import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ExtensionSession } from './browser';

// Helpers for the record page and referral panel tests: waiting for the record-page script to be
// registered, finding a page's tab id, opening the panel bound to a tab, and filling in a referral.

export const RECORD_PAGES = path.resolve('tests/fixtures/record-pages');

/** Waits until the background has registered the record-page script for the seeded sites. */
export async function waitForRecordScript(session: ExtensionSession, count = 1): Promise<void> {
  for (let tries = 0; tries < 100; tries += 1) {
    const registered = await session.serviceWorker.evaluate(
      async () => (await chrome.scripting.getRegisteredContentScripts()).length,
    );
    if (registered >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the record-page script was never registered');
}

/** The browser's id for the tab showing `page` (the panel is bound to it with ?tabId=). */
export async function tabIdOf(session: ExtensionSession, page: Page): Promise<number> {
  const url = page.url();
  const id = await session.serviceWorker.evaluate(async (wanted) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((tab) => tab.url === wanted)?.id;
  }, url);
  if (id === undefined) throw new Error(`no tab shows ${url}`);
  return id;
}

/** Opens the panel page bound to a tab, as the side panel would show it, at side-panel width. */
export async function openPanel(session: ExtensionSession, tabId: number | undefined): Promise<Page> {
  const panel = await session.context.newPage();
  await panel.setViewportSize({ width: 400, height: 900 });
  const query = tabId === undefined ? '' : `?tabId=${tabId}`;
  await panel.goto(`chrome-extension://${session.extensionId}/src/panel/index.html${query}`);
  return panel;
}

export const CONSENT = /consent/;

/** Ticks reasons, gives the referrer's name and consent: the least a GP does before Send. */
export async function fillReferral(panel: Page, reasons: string[], referrer = 'Dr Amir Khan'): Promise<void> {
  for (const reason of reasons) await panel.getByRole('checkbox', { name: reason, exact: true }).check();
  const name = panel.getByLabel('Your name');
  if ((await name.inputValue()) === '') await name.fill(referrer);
  await panel.getByRole('checkbox', { name: CONSENT }).check();
}

/** The outcome of the referral just sent (a region named after the link worker). */
export function outcome(panel: Page) {
  return panel.getByRole('region', { name: /^Referral to / });
}
