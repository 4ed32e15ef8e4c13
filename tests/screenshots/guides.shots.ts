import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtensionSession, launchBrowser, launchWithExtension } from '../e2e/support/browser';
import { type DemoProcess, startDemo } from '../e2e/support/demo';
import { extensionGrantedLoopback } from '../e2e/support/extension';
import {
  openOptions,
  reloadPolicies,
  removeTestPolicy,
  seedActivity,
  writeTestPolicy,
} from '../e2e/support/options';
import { fillReferral, openPanel, outcome, tabIdOf, waitForRecordScript } from '../e2e/support/panel';

// The pictures in README.md and docs/, taken from the built extension, widget and demo as a person
// would see them: run `npm run screenshots` after a change to what they show.

const IMAGES = path.resolve('docs/images');
const shot = (name: string) => path.join(IMAGES, `${name}.png`);

describe('pictures for the guides', () => {
  let demo: DemoProcess;
  let session: ExtensionSession;

  beforeAll(async () => {
    demo = await startDemo();
    session = await launchWithExtension(await extensionGrantedLoopback('chrome-screenshots'));
  });
  afterAll(async () => {
    await session?.close();
    await demo?.stop();
  });

  it('the options page, as the practice manager sets it up by importing the demo settings', async () => {
    const options = await openOptions(session);
    const settingsFile = path.resolve('.tmp/screenshots-settings.json');
    const settings = await (await fetch(`${demo.origins.inbox}/settings.json`)).text();
    await import('node:fs/promises').then((fs) => fs.writeFile(settingsFile, settings));
    await options.getByLabel('Import settings').setInputFiles(settingsFile);
    await expect.poll(() => options.getByRole('heading', { name: 'Practice' }).isVisible()).toBe(true);
    await expect.poll(() => options.getByText('Severnside PCN link worker').count()).toBeGreaterThan(0);
    await options.screenshot({ path: shot('options-top') });
    // Sections taller than the window would be pictured with the sticky Save bar across their middle:
    // a window tall enough for each keeps the bar below it.
    const viewport = options.viewportSize();
    await options.setViewportSize({ width: viewport?.width ?? 1100, height: 2400 });
    await options.locator('#link-workers').screenshot({ path: shot('options-link-workers') });
    await options.locator('#record-sites').screenshot({ path: shot('options-record-sites') });
    if (viewport) await options.setViewportSize(viewport);
    const month = new Date().toISOString().slice(0, 7);
    await seedActivity(session, [
      {
        id: 'a1',
        month,
        at: Date.now(),
        outcome: 'sent',
        reasons: ['loneliness', 'bereavement'],
        linkWorkerId: 'pcn-lw',
      },
      { id: 'a2', month, at: Date.now(), outcome: 'sent', reasons: ['low-mood'], linkWorkerId: 'pcn-lw' },
      { id: 'a3', month, at: Date.now(), outcome: 'declined', reasons: ['inactivity'] },
      { id: 'a4', month, at: Date.now(), outcome: 'queued', reasons: ['money'], linkWorkerId: 'pcn-lw' },
    ]);
    await options.getByRole('button', { name: 'Refresh report' }).click();
    await options.locator('#activity').screenshot({ path: shot('options-report') });
    await options.close();
  });

  it('the referral panel beside the demo record, and after sending', async () => {
    await waitForRecordScript(session);
    const record = await session.context.newPage();
    await record.setViewportSize({ width: 900, height: 820 });
    await record.goto(`${demo.origins.record}/`);
    await record.getByRole('button', { name: 'Refer to link worker' }).waitFor();
    const panel: Page = await openPanel(session, await tabIdOf(session, record));
    await panel.setViewportSize({ width: 400, height: 820 });
    await expect.poll(() => panel.getByText('999 526 0182').count()).toBeGreaterThan(0);
    await panel.getByRole('radio', { name: /^Severnside PCN link worker/ }).check();
    await fillReferral(panel, ['Loneliness or isolation', 'Bereavement']);
    await panel
      .getByLabel(/What matters to the person/)
      .fill('Getting back to singing; seeing people most days');
    await panel.evaluate(() => window.scrollTo(0, 0));
    // Two screenshots set side by side (record, then panel): headless Chromium draws no side panel,
    // so the picture is composed, not one capture of a browser window.
    await record.screenshot({ path: '.tmp/shot-record.png' });
    await panel.screenshot({ path: '.tmp/shot-panel.png' });
    const composer = await session.context.newPage();
    await composer.setViewportSize({ width: 1302, height: 820 });
    const left = (await readFile('.tmp/shot-record.png')).toString('base64');
    const right = (await readFile('.tmp/shot-panel.png')).toString('base64');
    await composer.setContent(
      `<body style="margin:0;display:flex;background:#888"><img src="data:image/png;base64,${left}"><img style="margin-left:2px" src="data:image/png;base64,${right}"></body>`,
    );
    await composer.screenshot({ path: shot('panel-beside-record') });
    await composer.close();
    await panel.getByRole('button', { name: 'Send referral' }).click();
    await expect
      .poll(() => outcome(panel).getByText('Sent', { exact: true }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    await outcome(panel).screenshot({ path: shot('panel-sent') });
    const inbox = await session.context.newPage();
    await inbox.setViewportSize({ width: 1100, height: 900 });
    await inbox.goto(`${demo.origins.inbox}/`);
    await inbox.screenshot({ path: shot('demo-inbox') });
    await Promise.all([record.close(), panel.close(), inbox.close()]);
  });

  it('the widget on the demo museum page, and the builder page', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
      await page.goto(`${demo.origins.museum}/`);
      await expect
        .poll(() => page.locator('linkwell-offers').getByRole('article').count())
        .toBeGreaterThan(3);
      await page.screenshot({ path: shot('widget-museum') });
      await page.setViewportSize({ width: 360, height: 900 });
      await page.locator('linkwell-offers').scrollIntoViewIfNeeded();
      await page.screenshot({ path: shot('widget-narrow') });
      await page.goto(`${demo.origins.museum}/dist/widget/builder.html`);
      await page.setViewportSize({ width: 1200, height: 1000 });
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: shot('widget-builder') });
    } finally {
      await browser.close();
    }
  });

  // Last: the policy file reaches every Chromium on this computer, so it is there for as short a time as possible.
  it('the options page under policy, as IT deploys the demo settings (Managed by your organisation)', async () => {
    const settings: unknown = await (await fetch(`${demo.origins.inbox}/settings.json`)).json();
    try {
      await writeTestPolicy(settings);
      await reloadPolicies(session);
      const options = await openOptions(session);
      await options
        .getByRole('heading', { name: 'Managed by your organisation' })
        .waitFor({ timeout: 15_000 });
      await expect.poll(() => options.getByText('Severnside PCN link worker').count()).toBeGreaterThan(0);
      await options.screenshot({ path: shot('options-managed') });
      await options.close();
    } finally {
      removeTestPolicy();
    }
  });
});
