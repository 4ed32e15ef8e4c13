import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOfferFeed } from '../../src/core/open-referral';
import { launchBrowser } from './support/browser';
import { startServer, type TestServer } from './support/static-server';

// The offer builder as a museum volunteer uses it: opened straight from disk, filled in, previewed with the
// real widget, downloaded and embedded.

const BUILDER = path.resolve('dist/widget/builder.html');
const AXE = path.resolve('node_modules/axe-core/axe.min.js');

let browser: Browser;
let server: TestServer;
beforeAll(async () => {
  browser = await launchBrowser();
  server = await startServer({ root: path.resolve('dist/widget') });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const preview = (page: Page) => page.locator('linkwell-offers');
const problems: string[] = [];

async function openBuilder(
  url = pathToFileURL(BUILDER).href,
  options: { bypassCSP?: boolean } = {},
): Promise<Page> {
  // axe-core is injected as an inline script, which the builder's own CSP rightly refuses.
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    bypassCSP: options.bypassCSP ?? false,
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(url);
  await page.getByRole('heading', { name: '1. Your organisation' }).waitFor();
  return page;
}

async function fillFirstOffer(page: Page) {
  await page.getByLabel('Organisation name').fill('Severn Vale Museum');
  const offer = page.getByRole('region', { name: /^Offer 1(:|$)/ });
  await offer.getByLabel('Name of the activity').fill('Objects and Memories');
  await offer
    .getByLabel('What happens, and who would enjoy it')
    .fill('Handle objects from the stores <b>and</b> talk.');
  await offer.getByLabel('Categories').fill('Heritage and museums, Mental wellbeing');
  await offer.getByRole('checkbox', { name: 'Tuesday' }).check();
  await offer.getByLabel('Starts at').fill('10:00');
  await offer.getByLabel('Ends at').fill('12:00');
  await offer.getByLabel('Place').fill('Severn Vale Museum');
  await offer.getByLabel('Address').fill('12 Westgate Street\nGloucester');
  await offer.getByLabel('Postcode').fill('GL1 2NW');
  await offer.getByRole('checkbox', { name: 'It is free' }).check();
  await offer.getByRole('checkbox', { name: 'Refer yourself' }).check();
  await offer.getByLabel('Email').fill('learning@example.org');
  await offer.getByLabel('Phone').fill('0117 496 0101');
}

describe('the offer builder, opened from disk', () => {
  let page: Page;
  beforeAll(async () => {
    problems.length = 0;
    page = await openBuilder();
    await fillFirstOffer(page);
  });
  afterAll(() => page.close());

  it('previews the offer with the real widget as it is typed', async () => {
    const card = preview(page).getByRole('article');
    await expect.poll(() => card.getByRole('heading').allTextContents()).toEqual(['Objects and Memories']);
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('Tuesdays 10:00 to 12:00');
    expect(text).toContain('Handle objects from the stores <b>and</b> talk.');
    expect(text).toContain('Refer yourself');
  });

  it('says what is wrong beside the field', async () => {
    const offer = page.getByRole('region', { name: /^Offer 1(:|$)/ });
    await offer.getByLabel('Email').fill('not an email');
    await expect.poll(() => offer.getByText('Enter an email address like name@example.org.').count()).toBe(1);
    expect(await offer.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await offer.getByLabel('Email').fill('learning@example.org');
    await expect.poll(() => offer.getByText('Enter an email address').count()).toBe(0);
  });

  it('adds and removes offers', async () => {
    await page.getByRole('button', { name: 'Add another offer' }).click();
    await page
      .getByRole('region', { name: /^Offer 2(:|$)/ })
      .getByLabel('Name of the activity')
      .fill('Slow Looking');
    await expect.poll(() => preview(page).getByRole('article').count()).toBe(2);
    await page.getByRole('button', { name: 'Remove offer 2: Slow Looking' }).click();
    await expect.poll(() => preview(page).getByRole('article').count()).toBe(1);
  });

  it('downloads a valid HSDS 3.0 offers.json that reads back to the same offer', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download offers.json' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('offers.json');
    const json: unknown = JSON.parse(await readFile((await download.path()) ?? '', 'utf8'));
    expect(json).toMatchObject({ total_items: 1, page_number: 1, total_pages: 1 });
    const feed = parseOfferFeed(json);
    expect(feed.format).toBe('hsds3');
    expect(feed.problems).toEqual([]);
    expect(feed.offers[0]).toMatchObject({
      name: 'Objects and Memories',
      organisation: { name: 'Severn Vale Museum' },
      categories: ['Heritage and museums', 'Mental wellbeing'],
      schedules: [{ byDay: ['TU'], opensAt: '10:00', closesAt: '12:00', freq: 'WEEKLY' }],
      place: {
        name: 'Severn Vale Museum',
        address: ['12 Westgate Street', 'Gloucester'],
        postcode: 'GL1 2NW',
      },
      cost: { free: true },
      howToJoin: ['self-referral'],
      contact: { email: 'learning@example.org', phone: '0117 496 0101' },
    });
  });

  it('writes the embed code from where the files will be', async () => {
    await page
      .getByLabel('Where offers.json will be on your website')
      .fill('https://museum.example.org/offers.json');
    await page.getByLabel('Heading above the list').fill('Wellbeing "at" the museum');
    expect(await page.getByLabel('Embed code').inputValue()).toBe(
      '<script src="/linkwell-offers.js" defer></script>\n' +
        '<linkwell-offers src="https://museum.example.org/offers.json" heading="Wellbeing &quot;at&quot; the museum"></linkwell-offers>',
    );
  });

  it('keeps the work in this browser across a reload', async () => {
    await page.reload();
    expect(await page.getByLabel('Organisation name').inputValue()).toBe('Severn Vale Museum');
    await expect
      .poll(() => preview(page).getByRole('heading', { level: 3 }).allTextContents())
      .toEqual(['Objects and Memories']);
  });

  it('runs under its own strict CSP without errors', () => {
    expect(problems).toEqual([]);
  });
});

describe('the offer builder, served', () => {
  it('copies the embed code', async () => {
    const page = await openBuilder(`${server.origin}/builder.html`);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await page.getByRole('button', { name: 'Copy embed code' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'is copied' }).count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(
      '<linkwell-offers src="/offers.json"',
    );
    await page.close();
  });

  it('opens an existing offers.json for editing', async () => {
    const page = await openBuilder(`${server.origin}/builder.html`);
    await page
      .getByLabel('Open an existing offers.json (optional)')
      .setInputFiles(path.resolve('demo/museum/offers.json'));
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: /^Opened 26 offers/ })
          .count(),
      )
      .toBe(1);
    expect(
      await page
        .getByRole('region', { name: /^Offer 1(:|$)/ })
        .getByLabel('Name of the activity')
        .inputValue(),
    ).toBe('Objects and Memories');
    await expect.poll(() => preview(page).getByText('Showing 20 of 26 offers').count()).toBe(1);
    await page.close();
  });

  it('has no axe-core violations (WCAG 2.2 AA rules), form and preview together', async () => {
    const page = await openBuilder(`${server.origin}/builder.html`, { bypassCSP: true });
    await fillFirstOffer(page);
    await page
      .getByRole('region', { name: /^Offer 1(:|$)/ })
      .getByLabel('Email')
      .fill('wrong');
    await preview(page).getByRole('article').waitFor();
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run: (c: unknown, o: unknown) => Promise<{ violations: { id: string; nodes: unknown[] }[] }>;
          };
        }
      ).axe;
      const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
      const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
    });
    expect(violations).toEqual([]);
    await page.screenshot({ path: '/tmp/builder-filled.png', fullPage: false });
    await page.close();
  });
});
