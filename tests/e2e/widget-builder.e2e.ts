import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
const DEMO_FEED = path.resolve('demo/museum/offers.json');

/** Presses "Download offers.json" and reads the file the browser saved. */
async function download(page: Page): Promise<unknown> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download offers.json' }).click(),
  ]);
  return JSON.parse(await readFile((await file.path()) ?? '', 'utf8'));
}

/** A feed file on disk, for "Open an existing offers.json". */
async function feedFile(name: string, json: unknown): Promise<string> {
  const file = path.join(tmpdir(), name);
  await writeFile(file, JSON.stringify(json));
  return file;
}

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

  it('runs under its own strict CSP without errors, its "Loading the form…" gone', async () => {
    expect(problems).toEqual([]);
    expect(await page.getByText('Loading the form…').count()).toBe(0);
  });
});

describe('editing an existing offers.json', () => {
  it('downloads every offer of the demo museum as it was opened, each under its own organisation', async () => {
    const page = await openBuilder(`${server.origin}/builder.html`);
    await page.getByLabel('Open an existing offers.json (optional)').setInputFiles(DEMO_FEED);
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: /^Opened 26 offers/ })
          .count(),
      )
      .toBe(1);
    const before = parseOfferFeed(JSON.parse(await readFile(DEMO_FEED, 'utf8'))).offers;
    const after = parseOfferFeed(await download(page));
    expect(after.problems).toEqual([]);
    expect(after.offers).toEqual(before);
    expect(new Set(after.offers.map((offer) => offer.organisation?.name)).size).toBe(10);
    // The partner's offer shows its own organisation in the form, and the times the form cannot change.
    const veterans = page.getByRole('region', { name: /: Veterans’ Art Group$/ });
    expect(await veterans.getByLabel('Organisation running it').inputValue()).toBe(
      'Kingswood Creative Health CIC',
    );
    expect(await veterans.textContent()).toContain(
      'Second Monday and fourth Monday of the month 13:00 to 15:30',
    );
    await page.close();
  });

  it('asks before a file replaces the work in the form, and keeps it when asked to', async () => {
    const page = await openBuilder(`${server.origin}/builder.html`);
    await page.getByRole('button', { name: 'Start again' }).click();
    await page.getByLabel('Organisation name').fill('Severn Vale Museum');
    await page.getByLabel('Name of the activity').fill('My own offer');
    await page.getByLabel('Open an existing offers.json (optional)').setInputFiles(DEMO_FEED);
    const question = page.getByRole('alertdialog');
    await question.waitFor();
    expect(await question.textContent()).toContain('Opening offers.json replaces everything in this form');
    expect(await question.evaluate((node) => node === document.activeElement)).toBe(true);
    await question.getByRole('button', { name: 'Keep my offers' }).click();
    expect(await page.getByLabel('Name of the activity').inputValue()).toBe('My own offer');
    await page.getByLabel('Open an existing offers.json (optional)').setInputFiles(DEMO_FEED);
    await page.getByRole('alertdialog').getByRole('button', { name: 'Open offers.json' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('region', { name: /^Offer 1(:|$)/ })
          .getByLabel('Name of the activity')
          .inputValue(),
      )
      .toBe('Objects and Memories');
    await page.close();
  });

  it('says which services in a file it could not keep', async () => {
    const page = await openBuilder(`${server.origin}/builder.html`);
    await page.getByRole('button', { name: 'Start again' }).click();
    const file = await feedFile('partly.json', [
      { id: 'a', name: 'Choir', status: 'active' },
      { id: 'b', status: 'active' },
      { id: 'c', name: 'Old club', status: 'inactive' },
    ]);
    await page.getByLabel('Open an existing offers.json (optional)').setInputFiles(file);
    const notes = page.getByRole('status').filter({ hasText: 'could not be read' });
    await notes.waitFor();
    expect(await notes.textContent()).toContain('Service 2: has no name.');
    expect(await notes.textContent()).toContain(
      '1 offer is marked as not active, so it is not in the form and will not be in the file you download.',
    );
    await page.close();
  });

  it('starts again only when asked twice, and forgets the draft', async () => {
    const page = await openBuilder(`${server.origin}/builder.html`);
    await page.getByRole('button', { name: 'Start again' }).click();
    await page.getByLabel('Organisation name').fill('Severn Vale Museum');
    await page.getByRole('button', { name: 'Start again' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Clear everything' }).click();
    expect(await page.getByLabel('Organisation name').inputValue()).toBe('');
    await page.reload();
    expect(await page.getByLabel('Organisation name').inputValue()).toBe('');
    await page.close();
  });
});

describe('downloading only what is right', () => {
  it('does not download while a field has a problem, and says which, with a link to it', async () => {
    const page = await openBuilder(`${server.origin}/builder.html`);
    await page.getByRole('button', { name: 'Start again' }).click();
    await page.getByLabel('Name of the activity').fill('Objects and Memories');
    await page.getByLabel('Email').fill('learning@example');
    let downloads = 0;
    page.on('download', () => {
      downloads += 1;
    });
    await page.getByRole('button', { name: 'Download offers.json' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Fix these first' });
    await summary.waitFor();
    expect(await summary.evaluate((node) => node === document.activeElement)).toBe(true);
    const link = summary.getByRole('link', {
      name: 'Offer 1 (Objects and Memories): Enter an email address like name@example.org.',
    });
    await link.press('Enter');
    expect(await page.getByLabel('Email').evaluate((node) => node === document.activeElement)).toBe(true);
    expect(downloads).toBe(0);
    await page.keyboard.press('End');
    await page.getByLabel('Email').fill('learning@example.org');
    const json = await download(page);
    expect(parseOfferFeed(json).offers[0]?.contact).toEqual({ email: 'learning@example.org' });
    expect(await page.getByText('Fix these first').count()).toBe(0);
    await page.close();
  });

  it('says to name an offer when there is none to download', async () => {
    const page = await openBuilder(`${server.origin}/builder.html`);
    await page.getByRole('button', { name: 'Start again' }).click();
    await page.getByRole('button', { name: 'Download offers.json' }).click();
    await page.getByRole('link', { name: 'Give at least one offer a name.' }).waitFor();
    await page.close();
  });

  it('writes heading="" when the preview has no heading, so the site shows none either', async () => {
    const page = await openBuilder(`${server.origin}/builder.html`);
    await page.getByLabel('Heading above the list').fill('');
    expect(await page.getByLabel('Embed code').inputValue()).toContain(
      '<linkwell-offers src="/offers.json" heading=""></linkwell-offers>',
    );
    await expect.poll(() => preview(page).getByRole('heading', { level: 2 }).count()).toBe(0);
    await page.close();
  });

  it('says where linkwell-offers.js comes from', async () => {
    const page = await openBuilder(`${server.origin}/builder.html`);
    expect(await page.getByRole('region', { name: '3. Put it on your website' }).textContent()).toContain(
      'It is in the same folder as this page (builder.html)',
    );
    await page.close();
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
    // With the problems that stop a download listed, and the question before a file replaces the work.
    await page.getByRole('button', { name: 'Download offers.json' }).click();
    await page.getByRole('alert').filter({ hasText: 'Fix these first' }).waitFor();
    await page.getByLabel('Open an existing offers.json (optional)').setInputFiles(DEMO_FEED);
    await page.getByRole('alertdialog').waitFor();
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
    await page.screenshot({ path: '/tmp/builder-filled.png', fullPage: true });
    await page.close();
  });
});
