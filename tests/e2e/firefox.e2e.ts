import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoProcess, startDemo } from './support/demo';
import {
  controlInShadow,
  type FirefoxSession,
  launchFirefoxWithExtension,
  openExtensionPage,
} from './support/firefox';
import { startServer, type TestServer } from './support/static-server';

// The Firefox build in stock Firefox (Debian's firefox-esr), driven over WebDriver BiDi with
// puppeteer-core: the add-on installs, its sidebar page takes a typed-in patient and sends the referral
// to the demo inbox, and the widget works on a partner's page.

/** Text of every element matching an ARIA query, in the page's light DOM. */
async function texts(page: Page, query: string): Promise<string[]> {
  const handles = await page.$$(`::-p-aria(${query})`);
  return Promise.all(
    handles.map((handle) => handle.evaluate((element) => element.textContent?.trim() ?? '')),
  );
}

async function fillByLabel(page: Page, label: string, value: string) {
  const field = page.locator(`::-p-aria([name="${label}"][role="textbox"])`);
  await field.fill(value);
}

/** The radio or checkbox whose label matches a pattern (ARIA queries match whole names only). */
async function choiceLabelled(page: Page, role: 'radio' | 'checkbox', pattern: RegExp) {
  await page.locator(`::-p-aria([role="${role}"])`).wait();
  for (const handle of await page.$$(`::-p-aria([role="${role}"])`)) {
    const label = await handle.evaluate((element) =>
      [...((element as HTMLInputElement).labels ?? [])].map((item) => item.textContent ?? '').join(' '),
    );
    if (pattern.test(label)) return handle;
  }
  throw new Error(`no ${role} labelled ${pattern}`);
}

/** A page of the add-on, as Firefox gives it the WebExtension API (typed for what these tests use). */
interface AddonPage {
  browser: {
    storage: { local: { set(items: object): Promise<void> } };
    tabs: { query(filter: object): Promise<{ id?: number; url?: string }[]> };
    sidebarAction: { getPanel(details: { tabId: number }): Promise<string> };
  };
}

/** Waits for the `Refer to link worker` button in its shadow root on a record page. */
async function buttonOnRecord(page: Page) {
  await page.waitForFunction(
    () =>
      [...(document.querySelector('linkwell-refer')?.shadowRoot?.querySelectorAll('button') ?? [])].some(
        (button) => button.textContent === 'Refer to link worker' && button.getClientRects().length > 0,
      ),
    { timeout: 15_000 },
  );
}

describe('Firefox: the add-on and the widget', () => {
  let firefox: FirefoxSession;
  let demo: DemoProcess;

  beforeAll(async () => {
    demo = await startDemo();
    firefox = await launchFirefoxWithExtension();
  });

  afterAll(async () => {
    await firefox?.close();
    await demo?.stop();
  });

  it('opens the sidebar page, which says it is not set up before settings are imported', async () => {
    const page = await firefox.browser.newPage();
    await openExtensionPage(page, `${firefox.extensionOrigin}/src/panel/index.html`);
    await page.locator('::-p-aria([name="Linkwell is not set up yet"][role="heading"])').wait();
    await page.close();
  });

  it('sends a referral for a typed-in patient to the demo inbox', async () => {
    const page = await firefox.browser.newPage();
    const panelUrl = `${firefox.extensionOrigin}/src/panel/index.html`;
    await openExtensionPage(page, panelUrl);
    const settings = await (await fetch(`${demo.origins.inbox}/settings.json`)).json();
    // As the options page saves an imported settings file.
    await page.evaluate(async (value) => {
      const api = (
        globalThis as unknown as { browser: { storage: { local: { set(items: object): Promise<void> } } } }
      ).browser;
      await api.storage.local.set({ settings: value });
    }, settings);
    await openExtensionPage(page, `${panelUrl}?fresh=1`);

    await fillByLabel(page, 'NHS number', '999 526 0182');
    await fillByLabel(page, 'Patient’s name', 'SMITH, Jane (Mrs)');
    await fillByLabel(page, 'Date of birth', '12-Mar-1961');
    await page.locator('::-p-aria([name="Use these details"][role="button"])').click();

    await (await choiceLabelled(page, 'radio', /^Severnside PCN link worker/)).click();
    await page.locator('::-p-aria([name="Loneliness or isolation"][role="checkbox"])').click();
    await fillByLabel(page, 'Your name', 'Dr Amir Khan');
    await (await choiceLabelled(page, 'checkbox', /\bconsent\b/)).click();
    await page.locator('::-p-aria([name="Send referral"][role="button"])').click();

    // The contract's word for a delivered referral, shown on its own (the outcome's status tag).
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('body *')].some(
          (element) => element.children.length === 0 && element.textContent?.trim() === 'Sent',
        ),
      { timeout: 20_000 },
    );
    await page.screenshot({ path: '.tmp/firefox-panel-sent.png', fullPage: true });

    const inbox = await (await fetch(`${demo.origins.inbox}/api/referrals`)).json();
    const names = inbox.referrals.map(
      (referral: { summary: { patientName: string } }) => referral.summary.patientName,
    );
    expect(names).toContain('SMITH, Jane (Mrs)');
    const received = inbox.referrals.find(
      (referral: { summary: { nhsNumber: string } }) => referral.summary.nhsNumber === '9995260182',
    );
    expect(received).toMatchObject({ accepted: true, problems: [] });
    expect(received.summary.reasons).toEqual(['Loneliness or isolation']);
    await page.close();
  });

  it('asks for the record site on the options page, then shows the button on the record and refers its patient', async () => {
    const extensionPage = await firefox.browser.newPage();
    const optionsUrl = `${firefox.extensionOrigin}/src/options/index.html`;
    await openExtensionPage(extensionPage, optionsUrl);
    const settings = await (await fetch(`${demo.origins.inbox}/settings.json`)).json();
    await extensionPage.evaluate(async (value) => {
      await (globalThis as unknown as AddonPage).browser.storage.local.set({ settings: value });
    }, settings);
    await openExtensionPage(extensionPage, `${optionsUrl}?imported=1`);
    // The practice manager's click: options ask Firefox for the site (its prompt is answered Allow).
    await extensionPage
      .locator(`::-p-aria([name="Ask for permission for ${demo.origins.record}"][role="button"])`)
      .click();
    await extensionPage.waitForFunction(() => document.body.textContent?.includes('Permission granted'), {
      timeout: 15_000,
    });

    const record = await firefox.browser.newPage();
    await record.goto(`${demo.origins.record}/`);
    await buttonOnRecord(record);
    // Another patient from the list, so the inbox's entry can only have come from this record page.
    await record.locator('::-p-text(Ravi Patel)').click();
    await record.waitForFunction(() => document.body.textContent?.includes('999 802 2746'));
    await buttonOnRecord(record);

    const tabId = await extensionPage.evaluate(async (origin) => {
      const tabs = await (globalThis as unknown as AddonPage).browser.tabs.query({});
      return tabs.find((tab) => tab.url?.startsWith(`${origin}/`))?.id;
    }, demo.origins.record);
    expect(tabId).toBeTypeOf('number');
    // The record page binds the sidebar's page to its tab; pressing the button opens that sidebar.
    const sidebarPage = await extensionPage.evaluate(
      async (id) => (globalThis as unknown as AddonPage).browser.sidebarAction.getPanel({ tabId: id }),
      tabId ?? -1,
    );
    expect(sidebarPage).toBe(`${firefox.extensionOrigin}/src/panel/index.html?tabId=${tabId}`);

    // The sidebar's own page, opened as a tab (headless Firefox draws no sidebar).
    const panel = await firefox.browser.newPage();
    await openExtensionPage(panel, sidebarPage);
    await panel.waitForFunction(
      () =>
        document.body.textContent?.includes('PATEL, Ravi (Mr)') &&
        document.body.textContent.includes('999 802 2746'),
      { timeout: 15_000 },
    );
    await (await choiceLabelled(panel, 'radio', /^Severnside PCN link worker/)).click();
    await panel.locator('::-p-aria([name="Money or debt"][role="checkbox"])').click();
    await fillByLabel(panel, 'Your name', 'Dr Amir Khan');
    await (await choiceLabelled(panel, 'checkbox', /\bconsent\b/)).click();
    await panel.locator('::-p-aria([name="Send referral"][role="button"])').click();
    // The outcome of this referral (the recent list below may already say Sent for the earlier one).
    await panel.waitForFunction(
      () => {
        const outcome = document.getElementById('outcome-heading')?.closest('section');
        return (
          outcome?.textContent?.includes('Referral to Severnside PCN link worker') &&
          [...outcome.querySelectorAll('*')].some(
            (element) => element.children.length === 0 && element.textContent?.trim() === 'Sent',
          )
        );
      },
      { timeout: 20_000 },
    );
    await record.screenshot({ path: '.tmp/firefox-record.png' });

    const inbox = await (await fetch(`${demo.origins.inbox}/api/referrals`)).json();
    const received = inbox.referrals.find(
      (referral: { summary: { nhsNumber: string } }) => referral.summary.nhsNumber === '9998022746',
    );
    expect(received).toMatchObject({ accepted: true, problems: [] });
    expect(received.summary.patientName).toBe('PATEL, Ravi (Mr)');
    expect(received.summary.reasons).toEqual(['Money or debt']);
    for (const page of [panel, record, extensionPage]) await page.close();
  });

  describe('the widget on a partner page', () => {
    let site: TestServer;

    beforeAll(async () => {
      // The fixture is page 1 of 3; served here as the only page, so the widget has nothing more to fetch.
      const page = JSON.parse(readFileSync('tests/fixtures/feeds/hsds3-page.json', 'utf8'));
      const feed = JSON.stringify({
        ...page,
        total_pages: 1,
        last_page: true,
        total_items: page.contents.length,
      });
      site = await startServer({
        root: path.resolve('dist/widget'),
        routes: [
          (request, response) => {
            if (request.url === '/feed.json') {
              response.writeHead(200, { 'Content-Type': 'application/json' });
              response.end(feed);
              return true;
            }
            if (request.url !== '/') return false;
            response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
            response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Library</title>
<script src="/linkwell-offers.js" defer></script></head>
<body><main><h1>Wellbeing at the library</h1><linkwell-offers src="/feed.json"></linkwell-offers></main></body></html>`);
            return true;
          },
        ],
      });
    });

    afterAll(async () => {
      await site?.close();
    });

    it('lists the feed’s offers as articles and filters them by search', async () => {
      const page = await firefox.browser.newPage();
      await page.goto(`${site.origin}/`);
      const search = await controlInShadow(page, 'linkwell-offers', 'Search offers');
      const headings = () =>
        page.evaluate(() =>
          [...(document.querySelector('linkwell-offers')?.shadowRoot?.querySelectorAll('article') ?? [])].map(
            (article) => article.querySelector('h2, h3, h4')?.textContent?.trim() ?? '',
          ),
        );
      const all = await headings();
      expect(all).toContain('Walking for Health: Riverside Walks');
      expect(all.length).toBeGreaterThan(3);
      const alerts = await page.evaluate(
        () =>
          document.querySelector('linkwell-offers')?.shadowRoot?.querySelectorAll('[role="alert"]').length,
      );
      expect(alerts).toBe(0);
      await page.screenshot({ path: '.tmp/firefox-widget.png', fullPage: true });

      await search.type('riverside');
      await page.waitForFunction(
        (count) =>
          (document.querySelector('linkwell-offers')?.shadowRoot?.querySelectorAll('article').length ?? 0) <
          count,
        {},
        all.length,
      );
      expect(await headings()).toEqual(['Walking for Health: Riverside Walks']);
      // The page's own heading is untouched light DOM, found by role.
      expect(await texts(page, '[role="heading"][name="Wellbeing at the library"]')).toHaveLength(1);
      await page.close();
    });
  });
});
