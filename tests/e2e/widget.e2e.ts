import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFeed } from '../../bench/generate-feed.mjs';
import { launchBrowser } from './support/browser';
import { type Route, startServer, type TestServer } from './support/static-server';

// The offer widget on a partner's page, driven as a visitor would: by role and accessible name.

const FEEDS = path.resolve('tests/fixtures/feeds');
const DEMO = path.resolve('demo/museum');
const WIDGET = path.resolve('dist/widget/linkwell-offers.js');
const AXE = path.resolve('node_modules/axe-core/axe.min.js');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// Host styles that try to reach into the widget; none should, and the widget's must not reach out.
const HOSTILE_HOST_CSS = `
  * { color: rgb(255, 0, 0) !important; font-family: "Comic Sans MS" !important; }
  article, h3, button, input, select, p { display: none !important; }
  .lw-offer, .lw-button { border: 9px solid lime !important; background: lime !important; }
  body { font-size: 4px; letter-spacing: 2em; text-transform: uppercase; line-height: 0; }
  h3::before { content: "HACKED"; }`;

const pages = new Map<string, string>();
const served: { url: string; cookie: string | undefined }[] = [];
let failNext = 0;
const hanging: { closed: boolean }[] = [];

/** `count` services without ids, named by the page they are on. */
const idless = (page: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ name: `Offer ${page}.${i + 1}`, status: 'active' }));

/** A word no line can break, and a web address as long: at 320 px neither may push the page sideways. */
const LONG_WORD = 'Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch-Wellbeing-Programme';
const LONG_DESCRIPTION =
  'A ten-week creative course in a small, friendly group. Each week there is something new to try: ' +
  'painting, printmaking, collage, clay and textiles, led by professional artists who know what it is ' +
  'like to feel low. No experience is needed and all materials are provided. The last week ends ' +
  'with a small exhibition for friends and family, if you would like one.';

/** An HSDS 3.0 page `n` of `total`, one offer each. */
const pageOf = (n: number, total: number) => ({
  total_items: total,
  total_pages: total,
  page_number: n,
  size: 1,
  contents: [{ id: `paged-${n}`, name: `Paged offer ${n}`, status: 'active' }],
});

const routes: Route[] = [
  (request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'Content-Type': type });
      response.end(body);
      return true;
    };
    if (url.pathname.startsWith('/feeds/') || url.pathname.startsWith('/site/feeds/'))
      served.push({ url: url.pathname + url.search, cookie: request.headers.cookie });
    const html = pages.get(url.pathname);
    if (html) return send(200, 'text/html; charset=utf-8', html);
    switch (url.pathname) {
      case '/linkwell-offers.js':
        return readFile(WIDGET, 'utf8').then((js) => send(200, 'text/javascript', js));
      case '/feeds/paged': {
        const total = Number(url.searchParams.get('total') ?? 3);
        const n = Number(url.searchParams.get('page') ?? 1);
        if (failNext && n === 2) {
          failNext -= 1;
          return send(503, 'text/plain', 'busy');
        }
        return send(200, 'application/json', JSON.stringify(pageOf(n, total)));
      }
      case '/feeds/flaky':
        if (failNext) {
          failNext -= 1;
          return send(404, 'text/plain', 'not found');
        }
        return readFile(path.join(FEEDS, 'hsds3-single.json'), 'utf8').then((json) =>
          send(200, 'application/json', json),
        );
      case '/feeds/not-json':
        return send(200, 'application/json', '<html>Oops</html>');
      case '/feeds/drop':
        request.socket.destroy();
        return true;
      case '/feeds/hang': {
        const state = { closed: false };
        hanging.push(state);
        response.on('close', () => {
          state.closed = true;
        });
        return true;
      }
      case '/feeds/huge-bytes': {
        // 21 MB with no Content-Length: the widget must stop reading at its 20 MB cap.
        response.writeHead(200, { 'Content-Type': 'application/json' });
        const chunk = ' '.repeat(1_000_000);
        for (let i = 0; i < 21; i++) response.write(chunk);
        response.end('[]');
        return true;
      }
      case '/feeds/chunked': {
        // No Content-Length: read in chunks under the cap.
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.write('[{"id":"c1","name":"Chunked ');
        setTimeout(() => response.end('choir","status":"active"}]'), 50);
        return true;
      }
      case '/feeds/many':
        return send(200, 'application/json', JSON.stringify(generateFeed(10_050)));
      case '/feeds/generated':
        return send(
          200,
          'application/json',
          JSON.stringify(generateFeed(Number(url.searchParams.get('count') ?? 25))),
        );
      case '/feeds/idless': {
        // Two pages of 150 services without ids: every one must be listed.
        const n = Number(url.searchParams.get('page') ?? 1);
        const contents = idless(n, 150);
        return send(200, 'application/json', JSON.stringify({ total_pages: 2, page_number: n, contents }));
      }
      case '/feeds/zero-paged': {
        // Spring-style ORUK 1.0: pages counted from 0.
        const n = Number(url.searchParams.get('page') ?? 0);
        const content = [{ id: `zero-${n}`, name: `Zero-paged offer ${n}`, status: 'active' }];
        return send(200, 'application/json', JSON.stringify({ content, number: n, totalPages: 3, size: 1 }));
      }
      case '/feeds/big-pages': {
        // 60 pages of 150 services: the 50th, the last read, must be read in full.
        const n = Number(url.searchParams.get('page') ?? 1);
        const contents = Array.from({ length: 150 }, (_, i) => ({
          id: `big-${n}-${i}`,
          name: `Big page ${n} offer ${i + 1} (p${n}x)`,
          status: 'active',
        }));
        return send(200, 'application/json', JSON.stringify({ total_pages: 60, page_number: n, contents }));
      }
      case '/feeds/long':
        return send(
          200,
          'application/json',
          JSON.stringify([
            {
              id: 'long',
              name: LONG_WORD,
              description: LONG_DESCRIPTION,
              url: `https://example.org/${LONG_WORD}/${LONG_WORD}`,
              email: `${LONG_WORD.toLowerCase().slice(0, 60)}@example.org`,
              status: 'active',
            },
          ]),
        );
      case '/feeds/dates':
        return send(
          200,
          'application/json',
          JSON.stringify([
            {
              id: 'impossible',
              name: 'Impossible dates',
              status: 'active',
              assured_date: '2025-13-40',
              schedules: [
                { byday: 'TU', opens_at: '10:00', valid_from: '2026-02-30', valid_to: '2025-13-40' },
              ],
            },
            {
              id: 'ended',
              name: 'Ended last year',
              status: 'active',
              schedules: [
                { byday: 'WE', opens_at: '10:00', valid_from: '2020-01-01', valid_to: '2020-06-30' },
              ],
            },
          ]),
        );
      case '/feeds/partly-invalid':
        return send(
          200,
          'application/json',
          JSON.stringify([
            { id: 'ok', name: 'Good offer', status: 'active' },
            { id: 'bad', name: 42, status: 'active' },
            { id: 'nameless', status: 'active' },
            { id: 'old', name: 'Finished offer', status: 'inactive' },
          ]),
        );
      default:
        if (url.pathname.startsWith('/site/feeds/') || url.pathname.startsWith('/feeds/'))
          return readFile(path.join(FEEDS, path.basename(url.pathname)), 'utf8')
            .then((json) => send(200, 'application/json', json))
            .catch(() => send(404, 'text/plain', 'not found'));
        return false;
    }
  },
];

/** A partner page at `pathname` holding `body` after the widget script. */
function hostPage(pathname: string, body: string, css = ''): string {
  pages.set(
    pathname,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title>
     <meta name="viewport" content="width=device-width, initial-scale=1">
     <style>${css}</style><script src="/linkwell-offers.js" defer></script></head>
     <body><main><h1>Our offers</h1>${body}</main></body></html>`,
  );
  return pathname;
}

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ routes });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(pathname: string, options: { width?: number } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1100, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  (page as Page & { errors: string[] }).errors = errors;
  await page.goto(`${server.origin}${pathname}`);
  return page;
}
const widget = (page: Page) => page.locator('linkwell-offers');
const articles = (page: Page) => widget(page).getByRole('article');
const names = (page: Page) => widget(page).getByRole('heading', { level: 3 }).allTextContents();
const count = (page: Page) => widget(page).locator('[aria-live="polite"]');
/** The widget's visible words (the host element's own textContent does not include its shadow root). */
const shown = (page: Page) =>
  widget(page).evaluate((host) =>
    [...(host.shadowRoot?.querySelectorAll('.lw-root > :not(style)') ?? [])]
      .map((n) => n.textContent)
      .join(' '),
  );

describe('feeds in both Open Referral UK versions', () => {
  it('lists an HSDS 3.0 page from a relative src, each offer an article headed by its name', async () => {
    const page = await open(
      hostPage(
        '/site/museum.html',
        '<linkwell-offers src="feeds/hsds3-page.json" heading="Wellbeing at the museum"></linkwell-offers>',
      ),
    );
    await expect
      .poll(() => names(page))
      .toEqual([
        'Arts on Prescription: Creative Wellbeing Course',
        'Museum Wellbeing Programme: Objects and Memories',
        'Shared Reading Group',
        'Walking for Health: Riverside Walks',
        'Telephone Befriending',
        'Debt and Money Advice',
      ]);
    expect(await widget(page).getByRole('heading', { level: 2 }).textContent()).toBe(
      'Wellbeing at the museum',
    );
    expect(await count(page).textContent()).toBe('6 offers');
    expect(served.some((entry) => entry.url === '/site/feeds/hsds3-page.json')).toBe(true);
    expect(
      await articles(page)
        .first()
        .evaluate((node) => node.tagName),
    ).toBe('ARTICLE');
    await page.close();
  });

  it('lists an ORUK 1.0 page', async () => {
    const page = await open(
      hostPage('/oruk1.html', '<linkwell-offers src="/feeds/oruk1-page.json"></linkwell-offers>'),
    );
    await expect.poll(() => names(page)).toContain('Torbay Creative Minds');
    const card = articles(page).filter({ hasText: 'Torbay Creative Minds' });
    expect(await card.textContent()).toContain('Wednesdays 13:00 to 15:00');
    expect(await card.textContent()).toContain('Through a social prescribing link worker');
    await page.close();
  });

  it('reads a feed sent in chunks without a stated length', async () => {
    const page = await open(
      hostPage('/chunked.html', '<linkwell-offers src="/feeds/chunked"></linkwell-offers>'),
    );
    await expect.poll(() => names(page)).toEqual(['Chunked choir']);
    await page.close();
  });

  it('reads an inline feed from a child script', async () => {
    const inline = JSON.stringify({ contents: [{ id: 'i1', name: 'Inline choir', status: 'active' }] });
    const page = await open(
      hostPage(
        '/inline.html',
        `<linkwell-offers><script type="application/json">${inline}</script></linkwell-offers>`,
      ),
    );
    await expect.poll(() => names(page)).toEqual(['Inline choir']);
    await page.close();
  });

  it('shows what, who, when, where, cost, how to join and quality assurance on each offer', async () => {
    const page = await open(
      hostPage('/single.html', '<linkwell-offers src="/feeds/hsds3-page.json"></linkwell-offers>'),
    );
    const card = articles(page).filter({
      has: page.getByRole('heading', { name: 'Walking for Health: Riverside Walks' }),
    });
    await card.waitFor();
    const text = (await card.textContent()) ?? '';
    for (const term of ['When', 'Where', 'Cost', 'How to join']) expect(text).toContain(term);
    const all = await shown(page);
    expect(all).toContain('Quality assured');
    const links = await widget(page)
      .getByRole('link')
      .evaluateAll((nodes) => nodes.map((a) => a.getAttribute('href')));
    expect(links.length).toBeGreaterThan(3);
    for (const href of links) expect(href).toMatch(/^(https?:|mailto:|tel:)/);
    await page.close();
  });

  it('shows an HSDS 3.0 offer’s organisation, exact times, place with access notes, and who it is for', async () => {
    const page = await open(
      hostPage('/card.html', '<linkwell-offers src="/feeds/hsds3-page.json"></linkwell-offers>'),
    );
    const card = (name: string) =>
      articles(page).filter({ has: page.getByRole('heading', { name, exact: true }) });
    await card('Walking for Health: Riverside Walks').waitFor();
    const walk = (await card('Walking for Health: Riverside Walks').textContent()) ?? '';
    expect(walk).toContain('Bath Walking Network');
    expect(walk).toContain('WhenMondays and Fridays 10:00 to 11:00');
    expect(walk).toContain('Routes are flat and suitable for wheelchair users');
    const museum = (await card('Museum Wellbeing Programme: Objects and Memories').textContent()) ?? '';
    expect(museum).toContain('Exe Valley Museum');
    expect(museum).toContain('Every other Tuesday 14:00 to 15:30. Every other Tuesday afternoon.');
    expect(museum).toContain('Wheelchair accessible');
    expect(museum).toContain('Large-print labels available');
    const calls = (await card('Telephone Befriending').textContent()) ?? '';
    expect(calls).toContain(
      'Who it is forPeople aged 60 and over in Cornwall who feel lonely or isolated. Ages 60 and over',
    );
    expect(calls).toContain('One call a week at a time that suits you.');
    await page.close();
  });

  it('folds a long description, and unfolds it by its own "Read more"', async () => {
    const page = await open(hostPage('/fold.html', '<linkwell-offers src="/feeds/long"></linkwell-offers>'));
    const more = widget(page).getByRole('group').filter({ hasText: 'Read more' });
    const summary = widget(page).getByText('Read more', { exact: true });
    await summary.waitFor();
    expect(await summary.getAttribute('aria-label')).toBe(`Read more about ${LONG_WORD}`);
    const rest = more.getByText(/if you would like one\.$/);
    expect(await rest.isVisible()).toBe(false);
    await summary.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => rest.isVisible()).toBe(true);
    expect(await more.evaluate((node) => (node as HTMLDetailsElement).open)).toBe(true);
    await page.close();
  });
});

describe('big, paginated and slow feeds', () => {
  it('keeps every offer without an id, past the first 100 and across pages', async () => {
    const page = await open(
      hostPage('/idless.html', '<linkwell-offers src="/feeds/idless"></linkwell-offers>'),
    );
    await expect.poll(() => count(page).textContent()).toBe('Showing 20 of 300 offers');
    await widget(page).getByLabel('Search offers').fill('Offer 1.150');
    await expect.poll(() => names(page)).toEqual(['Offer 1.150']);
    await widget(page).getByLabel('Search offers').fill('Offer 2.101');
    await expect.poll(() => names(page)).toEqual(['Offer 2.101']);
    await page.close();
  });

  it('asks for each page of an API counting from 0 once, and stops at its last', async () => {
    const page = await open(
      hostPage('/zero.html', '<linkwell-offers src="/feeds/zero-paged"></linkwell-offers>'),
    );
    await expect
      .poll(() => names(page))
      .toEqual(['Zero-paged offer 0', 'Zero-paged offer 1', 'Zero-paged offer 2']);
    expect(
      served.filter((entry) => entry.url.startsWith('/feeds/zero-paged')).map((entry) => entry.url),
    ).toEqual(['/feeds/zero-paged', '/feeds/zero-paged?page=1', '/feeds/zero-paged?page=2']);
    await page.close();
  });

  it('says which page it is loading while it follows them', async () => {
    const page = await open(
      hostPage('/progress.html', '<linkwell-offers src="/feeds/paged?total=40"></linkwell-offers>'),
    );
    await expect
      .poll(() => widget(page).getByRole('status').allTextContents())
      .toContainEqual(expect.stringMatching(/^Loading more offers: page \d+ of 40$/));
    await expect.poll(() => count(page).textContent(), { timeout: 20_000 }).toBe('Showing 20 of 40 offers');
    expect(await widget(page).getByRole('status').count()).toBe(0);
    await page.close();
  });

  it('reads the 50th page, the last it reads, in full', async () => {
    const page = await open(
      hostPage('/big-pages.html', '<linkwell-offers src="/feeds/big-pages"></linkwell-offers>'),
    );
    await expect
      .poll(() => count(page).textContent(), { timeout: 40_000 })
      .toBe('Showing 20 of 7,500 offers');
    expect(await shown(page)).toContain('it stops at 10,000 offers or 50 pages');
    await widget(page).getByLabel('Search offers').fill('p50x');
    await expect.poll(() => count(page).textContent()).toBe('Showing 20 of 150 offers');
    expect(served.filter((entry) => entry.url.startsWith('/feeds/big-pages'))).toHaveLength(50);
    await page.close();
  });

  it('gives up on a feed that never answers after 30 seconds, with an alert and "Try again"', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // The page's clock is the test's: 30 seconds pass at once, and nothing is timed.
    await page.clock.install();
    const before = hanging.length;
    await page.goto(
      `${server.origin}${hostPage('/silent.html', '<linkwell-offers src="/feeds/hang"></linkwell-offers>')}`,
    );
    await expect.poll(() => hanging.length).toBe(before + 1);
    expect(await widget(page).getByRole('status').textContent()).toBe('Loading offers…');
    await page.clock.runFor(29_000);
    expect(await widget(page).getByRole('alert').count()).toBe(0);
    await page.clock.runFor(2_000);
    const alert = widget(page).getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('the feed took too long to answer');
    expect(await alert.getByRole('button', { name: 'Try again' }).isVisible()).toBe(true);
    await expect.poll(() => hanging[before]?.closed).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('dates', () => {
  it('leaves out impossible dates, and "Add to calendar" still works without throwing', async () => {
    const page = await open(
      hostPage('/dates.html', '<linkwell-offers src="/feeds/dates"></linkwell-offers>'),
    );
    const card = articles(page).filter({ has: page.getByRole('heading', { name: 'Impossible dates' }) });
    await card.waitFor();
    const text = (await card.textContent()) ?? '';
    expect(text).not.toContain('undefined');
    expect(text).not.toContain('Quality assured');
    expect(text).toContain('Tuesdays from 10:00');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: 'Add to calendar: Impossible dates' }).click(),
    ]);
    expect(await readFile((await download.path()) ?? '', 'utf8')).toContain('RRULE:FREQ=WEEKLY;BYDAY=TU\r\n');
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
    await page.close();
  });

  it('offers no "Add to calendar" for an offer whose dates have passed', async () => {
    const page = await open(
      hostPage('/ended.html', '<linkwell-offers src="/feeds/dates"></linkwell-offers>'),
    );
    const card = articles(page).filter({ has: page.getByRole('heading', { name: 'Ended last year' }) });
    await card.waitFor();
    expect(await card.textContent()).toContain('Wednesdays from 10:00, 1 January to 30 June 2020');
    expect(await card.getByRole('button').count()).toBe(0);
    await page.close();
  });
});

describe('keyboard focus when a button goes away', () => {
  const focused = (page: Page) =>
    widget(page).evaluate((host) => {
      const active = host.shadowRoot?.activeElement;
      return active ? `${active.tagName} ${active.textContent?.slice(0, 40)}` : 'outside';
    });

  it('"Show more" moves focus to the first offer it shows, also on the last step', async () => {
    const page = await open(
      hostPage('/more.html', '<linkwell-offers src="/feeds/generated?count=25"></linkwell-offers>'),
    );
    const more = widget(page).getByRole('button', { name: 'Show 5 more offers' });
    await more.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => articles(page).count()).toBe(25);
    expect(await more.count()).toBe(0);
    expect(await focused(page)).toBe(`H3 ${(await names(page))[20]}`);
    await page.keyboard.press('Tab');
    expect(await focused(page)).not.toBe('outside');
    await page.close();
  });

  it('"Clear search and filters" and "Clear filters" move focus to the search box', async () => {
    const page = await open(
      hostPage('/clear.html', '<linkwell-offers src="/feeds/hsds3-page.json"></linkwell-offers>'),
    );
    const search = widget(page).getByLabel('Search offers');
    await search.focus();
    await page.keyboard.type('zzzz');
    const clearAll = widget(page).getByRole('button', { name: 'Clear search and filters' });
    await clearAll.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => names(page)).toHaveLength(6);
    expect(await focused(page)).toBe('INPUT ');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown'); // a category chosen from the keyboard
    const clear = widget(page).getByRole('button', { name: 'Clear filters' });
    await clear.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => clear.count()).toBe(0);
    expect(await focused(page)).toBe('INPUT ');
    await page.close();
  });

  it('"Try again" moves focus to the heading while it loads, then it stays in the list', async () => {
    failNext = 1;
    const page = await open(
      hostPage('/retry.html', '<linkwell-offers src="/feeds/flaky" heading="Our groups"></linkwell-offers>'),
    );
    const retry = widget(page).getByRole('button', { name: 'Try again' });
    await retry.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => names(page)).toEqual(['Gardening Together']);
    expect(await focused(page)).toBe('H2 Our groups');
    await page.close();
  });
});

describe('theming and the host page', () => {
  it('keeps its own text size on a site that shrinks its root font to 62.5%', async () => {
    const page = await open(
      hostPage(
        '/small-root.html',
        '<linkwell-offers src="/feeds/hsds3-single.json"></linkwell-offers>',
        'html { font-size: 62.5%; } body { font-size: 1.6rem; }',
      ),
    );
    const heading = widget(page).getByRole('heading', { name: 'Gardening Together' });
    await heading.waitFor();
    const size = (locator: typeof heading) => locator.evaluate((node) => getComputedStyle(node).fontSize);
    expect(await size(widget(page).locator('.lw-root'))).toBe('16px');
    expect(Number.parseFloat(await size(heading))).toBeGreaterThan(16);
    expect(await size(widget(page).getByLabel('Search offers'))).toBe('16px');
    await page.close();
  });

  it('keeps inputs readable under a light-text theme, and is opaque by default on a dark page', async () => {
    const page = await open(
      hostPage(
        '/dark.html',
        '<linkwell-offers id="light" src="/feeds/hsds3-single.json"></linkwell-offers>' +
          '<linkwell-offers id="plain" src="/feeds/hsds3-single.json"></linkwell-offers>',
        'body { background: #111; } #light { --linkwell-text: #fff; --linkwell-background: #222; --linkwell-card: #333; }',
      ),
    );
    const look = (id: string) =>
      page.locator(`#${id}`).evaluate((host) => {
        const root = host.shadowRoot as ShadowRoot;
        const input = root.querySelector('input[type="search"]') as HTMLElement;
        return {
          text: getComputedStyle(input).color,
          background: getComputedStyle(input).backgroundColor,
          list: getComputedStyle(root.querySelector('.lw-root') as HTMLElement).backgroundColor,
          lang: root.querySelector('.lw-root')?.getAttribute('lang'),
        };
      });
    await widget(page).first().getByRole('article').waitFor();
    expect(await look('light')).toEqual({
      text: 'rgb(11, 12, 12)',
      background: 'rgb(255, 255, 255)',
      list: 'rgb(34, 34, 34)',
      lang: 'en-GB',
    });
    expect((await look('plain')).list).toBe('rgb(255, 255, 255)');
    await page.close();
  });

  it('makes no request but the page, its script and the feed', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(
      `${server.origin}${hostPage('/requests.html', '<linkwell-offers src="/feeds/hsds3-page.json"></linkwell-offers>')}`,
    );
    await expect.poll(async () => (await names(page)).length).toBe(6);
    await widget(page).getByLabel('Search offers').fill('walk');
    await widget(page).getByLabel('Free only').check();
    await expect.poll(() => names(page)).toEqual(['Walking for Health: Riverside Walks']);
    // The feed's own pages (its total_pages says 3) are the feed too.
    expect(requests).toEqual([
      `${server.origin}/requests.html`,
      `${server.origin}/linkwell-offers.js`,
      `${server.origin}/feeds/hsds3-page.json`,
      `${server.origin}/feeds/hsds3-page.json?page=2`,
      `${server.origin}/feeds/hsds3-page.json?page=3`,
    ]);
    await page.close();
  });
});

describe('the demo museum page', () => {
  it('shows its 26 offers in the museum’s theme, with no axe-core violations', async () => {
    const widgetJs = await readFile(WIDGET, 'utf8');
    const museum = await startServer({
      root: DEMO,
      routes: [
        (request, response) => {
          if (request.url !== '/linkwell-offers.js') return false;
          response.writeHead(200, { 'Content-Type': 'text/javascript' });
          response.end(widgetJs);
          return true;
        },
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${museum.origin}/index.html`);
      await expect.poll(() => count(page).textContent()).toBe('Showing 20 of 26 offers');
      expect(await widget(page).getByRole('heading', { level: 2 }).textContent()).toBe(
        'Wellbeing activities',
      );
      expect(
        await widget(page)
          .getByRole('button', { name: 'Show 6 more offers' })
          .evaluate((node) => getComputedStyle(node).backgroundColor),
      ).toBe('rgb(122, 31, 61)');
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: '/tmp/widget-museum.png', fullPage: false });
      await page.close();
    } finally {
      await museum.close();
    }
  });
});

describe('search and filters', () => {
  let page: Page;
  beforeAll(async () => {
    page = await open(
      hostPage('/filters.html', '<linkwell-offers src="/feeds/hsds3-page.json"></linkwell-offers>'),
    );
    await articles(page).nth(5).waitFor();
  });
  afterAll(() => page.close());

  it('searches names, organisations and descriptions, and announces the count', async () => {
    await widget(page).getByLabel('Search offers').fill('walk');
    await expect.poll(() => names(page)).toEqual(['Walking for Health: Riverside Walks']);
    expect(await count(page).textContent()).toBe('1 offer');
  });

  it('says when nothing matches and offers to clear', async () => {
    await widget(page).getByLabel('Search offers').fill('zzzz nothing');
    await expect.poll(() => count(page).textContent()).toBe('No offers match your search');
    await widget(page).getByRole('button', { name: 'Clear search and filters' }).click();
    await expect.poll(() => names(page)).toHaveLength(6);
    expect(await widget(page).getByLabel('Search offers').inputValue()).toBe('');
  });

  it('filters by category, day and free only, combined', async () => {
    const categories = await widget(page).getByLabel('Category').locator('option').allTextContents();
    expect(categories).toEqual([
      'All categories',
      'Arts and creativity',
      'Green and outdoors',
      'Heritage',
      'Loneliness and isolation',
      'Mental wellbeing',
      'Money and debt',
      'Physical activity',
      'Reading',
    ]);
    const all = await names(page);
    await widget(page).getByLabel('Category').selectOption({ label: 'Loneliness and isolation' });
    await expect
      .poll(() => names(page))
      .toEqual([
        'Museum Wellbeing Programme: Objects and Memories',
        'Shared Reading Group',
        'Telephone Befriending',
      ]);
    await widget(page).getByLabel('Free only').check();
    await widget(page).getByLabel('Day').selectOption({ label: 'Wednesday' });
    await expect.poll(() => names(page)).toEqual(['Shared Reading Group']);
    expect(await count(page).textContent()).toBe('1 offer');
    await widget(page).getByLabel('Day').selectOption({ label: 'Tuesday' });
    await expect.poll(() => names(page)).toEqual(['Museum Wellbeing Programme: Objects and Memories']);
    // Free only leaves out the arts course: its cost is free with a referral, paid without.
    await widget(page).getByLabel('Category').selectOption({ label: 'All categories' });
    await widget(page).getByLabel('Day').selectOption({ label: 'Any day' });
    await expect.poll(() => names(page)).toEqual(all.filter((name) => !name.startsWith('Arts on')));
    await widget(page).getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => names(page)).toEqual(all);
  });

  it('is operable from the keyboard', async () => {
    await widget(page).getByLabel('Search offers').focus();
    await page.keyboard.type('befriend');
    await expect.poll(() => names(page)).toEqual(['Telephone Befriending']);
    await page.keyboard.press('Tab');
    expect(
      await widget(page)
        .getByLabel('Category')
        .evaluate((node) => node === (node.getRootNode() as ShadowRoot).activeElement),
    ).toBe(true);
    await widget(page).getByLabel('Search offers').fill('');
  });
});

describe('category attribute and age', () => {
  it('preselects a category by name, whatever its case', async () => {
    const page = await open(
      hostPage(
        '/category.html',
        '<linkwell-offers src="/feeds/hsds3-page.json" category="ARTS AND CREATIVITY"></linkwell-offers>',
      ),
    );
    await expect.poll(async () => (await names(page)).length).toBeGreaterThan(0);
    const select = widget(page).getByLabel('Category');
    expect(await select.evaluate((node: HTMLSelectElement) => node.selectedOptions[0]?.textContent)).toMatch(
      /^arts and creativity$/i,
    );
    expect((await names(page)).length).toBeLessThan(6);
    await page.close();
  });

  it('filters by age where the feed gives ages', async () => {
    const page = await open(
      hostPage('/age.html', '<linkwell-offers src="/feeds/oruk1-page.json"></linkwell-offers>'),
    );
    await expect.poll(async () => (await names(page)).length).toBeGreaterThan(1);
    const before = await names(page);
    await widget(page).getByLabel('Age').fill('12');
    await expect.poll(() => names(page)).not.toEqual(before);
    expect(await names(page)).not.toContain('Torbay Creative Minds'); // 18 and over
    await page.close();
  });
});

describe('calendar', () => {
  it('downloads an .ics file built from the schedule', async () => {
    const page = await open(
      hostPage('/calendar.html', '<linkwell-offers src="/feeds/hsds3-single.json"></linkwell-offers>'),
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      widget(page)
        .getByRole('button', { name: /^Add to calendar\W+Gardening Together$/ })
        .click(),
    ]);
    expect(download.suggestedFilename()).toBe('gardening-together.ics');
    const file = await readFile((await download.path()) ?? '', 'utf8');
    expect(file).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(file).toContain('SUMMARY:Gardening Together\r\n');
    expect(file).toContain('RRULE:FREQ=WEEKLY;BYDAY=SA\r\n');
    await page.close();
  });
});

describe('hostile feeds and host pages', () => {
  it('shows feed markup as text, runs none of it, and links nothing unsafe', async () => {
    const page = await open(
      hostPage('/hostile.html', '<linkwell-offers src="/feeds/hostile.json"></linkwell-offers>'),
    );
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await expect.poll(async () => (await names(page)).length).toBeGreaterThan(0);
    expect(await names(page)).toContain("<script>alert('name')</script>Art Club");
    const inside = await widget(page).evaluate((host) => {
      const root = host.shadowRoot as ShadowRoot;
      return {
        elements: [
          ...root.querySelectorAll('script, img, iframe, svg, marquee, b, u, a[href^="javascript" i]'),
        ].length,
        styles: root.querySelectorAll('style').length,
        hrefs: [...root.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? ''),
      };
    });
    expect(inside.elements).toBe(0);
    expect(inside.styles).toBe(0); // its own styles are a constructed stylesheet
    for (const href of inside.hrefs) expect(href).toMatch(/^(https?:|mailto:|tel:)/);
    expect(inside.hrefs.some((href) => /javascript/i.test(href))).toBe(false);
    expect(dialogs).toEqual([]);
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
    await page.close();
  });

  it('keeps host styles out and its own styles in', async () => {
    const page = await open(
      hostPage(
        '/hostile-css.html',
        '<h3 class="lw-name">Host heading</h3><div class="lw-offer" id="host-box">Host box</div><linkwell-offers src="/feeds/hsds3-single.json"></linkwell-offers>',
        HOSTILE_HOST_CSS.replace('article, h3, button, input, select, p', 'linkwell-offers article, section'),
      ),
    );
    const heading = widget(page).getByRole('heading', { name: 'Gardening Together' });
    await heading.waitFor();
    const look = await heading.evaluate((node) => {
      const style = getComputedStyle(node);
      return {
        color: style.color,
        font: style.fontFamily,
        before: getComputedStyle(node, '::before').content,
      };
    });
    expect(look.color).not.toBe('rgb(255, 0, 0)');
    expect(look.font).not.toContain('Comic');
    expect(look.before).toBe('none');
    expect(await widget(page).getByRole('article').isVisible()).toBe(true);
    const button = widget(page).getByRole('button', { name: /Add to calendar/ });
    expect(await button.evaluate((node) => getComputedStyle(node).backgroundColor)).not.toBe(
      'rgb(0, 255, 0)',
    );
    // The widget's `.lw-offer` rules do not style the host's element of the same class.
    expect(await page.locator('#host-box').evaluate((node) => getComputedStyle(node).borderTopWidth)).toBe(
      '9px',
    );
    expect(await page.locator('#host-box').evaluate((node) => getComputedStyle(node).paddingTop)).toBe('0px');
    await page.close();
  });

  it('takes its theme from --linkwell-* custom properties', async () => {
    const page = await open(
      hostPage(
        '/themed.html',
        '<linkwell-offers src="/feeds/hsds3-single.json"></linkwell-offers>',
        'linkwell-offers { --linkwell-accent: rgb(122, 31, 61); --linkwell-font: Georgia, serif; --linkwell-radius: 0px; }',
      ),
    );
    const button = widget(page).getByRole('button', { name: /Add to calendar/ });
    await button.waitFor();
    const look = await button.evaluate((node) => {
      const style = getComputedStyle(node);
      return { background: style.backgroundColor, font: style.fontFamily, radius: style.borderTopLeftRadius };
    });
    expect(look).toEqual({ background: 'rgb(122, 31, 61)', font: 'Georgia, serif', radius: '0px' });
    await page.close();
  });

  it('adds no globals but the element, and sends no cookies with the feed', async () => {
    const page = await browser.newPage();
    pages.set('/blank.html', '<!doctype html><title>Blank</title>');
    await page.goto(`${server.origin}/blank.html`);
    await page.context().addCookies([{ name: 'session', value: 'secret', url: server.origin }]);
    const before = await page.evaluate(() => Object.keys(window));
    await page.addScriptTag({ url: '/linkwell-offers.js' });
    await page.evaluate(() => {
      const element = document.createElement('linkwell-offers');
      element.setAttribute('src', '/feeds/hsds3-array.json');
      document.body.append(element);
    });
    await expect.poll(async () => (await names(page)).length).toBeGreaterThan(0);
    const after = await page.evaluate(() => Object.keys(window));
    expect(after.filter((key) => !before.includes(key))).toEqual([]);
    const request = served.filter((entry) => entry.url === '/feeds/hsds3-array.json').at(-1);
    expect(request?.cookie).toBeUndefined();
    await page.close();
  });
});

describe('failures', () => {
  const alertOf = async (pathname: string, src: string) => {
    const page = await open(hostPage(pathname, `<linkwell-offers src="${src}"></linkwell-offers>`));
    const alert = widget(page).getByRole('alert');
    await alert.waitFor();
    return { page, alert, text: (await alert.textContent()) ?? '' };
  };

  it('says so on an HTTP error, and "Try again" loads the feed', async () => {
    failNext = 1;
    const { page, alert, text } = await alertOf('/http-error.html', '/feeds/flaky');
    expect(text).toContain('HTTP 404');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => names(page)).toEqual(['Gardening Together']);
    expect(await widget(page).getByRole('alert').count()).toBe(0);
    await page.close();
  });

  it.each([
    ['an unreachable feed', '/feeds/drop', 'did not answer'],
    ['a feed that is not JSON', '/feeds/not-json', 'not valid JSON'],
    ['JSON of the wrong shape', '/feeds/wrong-shape.json', 'not an Open Referral UK offers feed'],
    ['a feed over 20 MB', '/feeds/huge-bytes', 'larger than 20 MB'],
    ['a src that is not a web address', 'javascript:alert(1)', 'not a web address'],
  ])('shows an alert with "Try again" for %s', async (_, src, words) => {
    const { page, alert, text } = await alertOf(`/fail-${encodeURIComponent(src)}.html`, src);
    expect(text).toContain(words);
    expect(await alert.getByRole('button', { name: 'Try again' }).isVisible()).toBe(true);
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
    await page.close();
  });

  it('leaves out invalid services, says how many, and lists the rest', async () => {
    const page = await open(
      hostPage('/partly.html', '<linkwell-offers src="/feeds/partly-invalid"></linkwell-offers>'),
    );
    await expect.poll(() => names(page)).toEqual(['Good offer']);
    expect(await shown(page)).toContain('2 offers could not be shown');
    expect(await widget(page).getByRole('alert').count()).toBe(0);
    await page.close();
  });

  it('stops an enormous feed at 10,000 offers and says so', async () => {
    const page = await open(hostPage('/many.html', '<linkwell-offers src="/feeds/many"></linkwell-offers>'));
    await expect
      .poll(() => count(page).textContent(), { timeout: 20_000 })
      .toBe('Showing 20 of 10,000 offers');
    expect(await shown(page)).toContain('it stops at 10,000 offers or 50 pages');
    expect(await articles(page).count()).toBe(20);
    await widget(page).getByRole('button', { name: 'Show 20 more offers' }).click();
    await expect.poll(() => articles(page).count()).toBe(40);
    await page.close();
  });

  it('aborts its fetch when removed from the page', async () => {
    const before = hanging.length;
    const page = await open(hostPage('/hang.html', '<linkwell-offers src="/feeds/hang"></linkwell-offers>'));
    await expect.poll(() => hanging.length).toBe(before + 1);
    expect(await widget(page).getByRole('status').textContent()).toBe('Loading offers…');
    await page.evaluate(() => document.querySelector('linkwell-offers')?.remove());
    await expect.poll(() => hanging[before]?.closed).toBe(true);
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
    await page.close();
  });
});

describe('paginated feeds', () => {
  it('follows the pages of an API feed', async () => {
    const page = await open(
      hostPage('/paged.html', '<linkwell-offers src="/feeds/paged?total=3"></linkwell-offers>'),
    );
    await expect.poll(() => names(page)).toEqual(['Paged offer 1', 'Paged offer 2', 'Paged offer 3']);
    expect(
      served.filter((entry) => entry.url.startsWith('/feeds/paged?total=3')).map((entry) => entry.url),
    ).toEqual(['/feeds/paged?total=3', '/feeds/paged?total=3&page=2', '/feeds/paged?total=3&page=3']);
    await page.close();
  });

  it('keeps what it has when a later page fails, and carries on after "Try again"', async () => {
    failNext = 1;
    const page = await open(
      hostPage('/paged-fail.html', '<linkwell-offers src="/feeds/paged?total=4"></linkwell-offers>'),
    );
    const alert = widget(page).getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Not all offers could be loaded.');
    expect(await names(page)).toEqual(['Paged offer 1']);
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect
      .poll(() => names(page))
      .toEqual(['Paged offer 1', 'Paged offer 2', 'Paged offer 3', 'Paged offer 4']);
    await page.close();
  });

  it('stops at 50 pages and says so', async () => {
    const page = await open(
      hostPage('/paged-cap.html', '<linkwell-offers src="/feeds/paged?total=60"></linkwell-offers>'),
    );
    await expect
      .poll(() => shown(page), { timeout: 20_000 })
      .toContain('it stops at 10,000 offers or 50 pages');
    expect(await count(page).textContent()).toBe('Showing 20 of 50 offers');
    await page.close();
  });
});

/** axe-core's WCAG 2.2 AA violations on the page as it is now, as `rule (nodes)`. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const axe = (
      window as unknown as {
        axe: {
          run: (c: unknown, o: unknown) => Promise<{ violations: { id: string; nodes: unknown[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
  }, WCAG);
}

describe('accessibility, small screens and print', () => {
  it('has no axe-core violations (WCAG 2.2 AA rules)', async () => {
    const page = await open(
      hostPage(
        '/axe.html',
        '<linkwell-offers src="/feeds/hsds3-page.json" heading="Offers"></linkwell-offers>' +
          '<linkwell-offers src="/feeds/long" heading="More offers"></linkwell-offers>',
      ),
    );
    await expect.poll(async () => (await names(page)).length).toBe(7);
    await widget(page)
      .nth(1)
      .locator('details')
      .evaluateAll((nodes) => {
        for (const node of nodes) node.setAttribute('open', '');
      });
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('has no axe-core violations with an alert, with no results, and with the age box', async () => {
    const page = await open(
      hostPage(
        '/axe-states.html',
        '<linkwell-offers id="failing" src="/feeds/not-json"></linkwell-offers>' +
          '<linkwell-offers id="empty" src="/feeds/hsds3-page.json"></linkwell-offers>' +
          '<linkwell-offers id="ages" src="/feeds/oruk1-page.json"></linkwell-offers>',
      ),
    );
    await page.locator('#failing').getByRole('alert').waitFor();
    await page.locator('#empty').getByLabel('Search offers').fill('nothing matches this');
    await page.locator('#empty').getByRole('button', { name: 'Clear search and filters' }).waitFor();
    await page.locator('#ages').getByLabel('Age').fill('30');
    await page.locator('#ages').getByRole('article').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('fits 320 CSS pixels (200% zoom of 640) without sideways scrolling, long words too', async () => {
    const page = await open(
      hostPage(
        '/narrow.html',
        '<linkwell-offers src="/feeds/hsds3-page.json"></linkwell-offers>' +
          '<linkwell-offers src="/feeds/long"></linkwell-offers>',
      ),
      {
        width: 320,
      },
    );
    await expect.poll(async () => (await names(page)).length).toBe(7);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await page.screenshot({ path: '/tmp/widget-320.png', fullPage: false });
    await page.close();
  });

  it('prints the offers without the controls', async () => {
    const page = await open(
      hostPage('/print.html', '<linkwell-offers src="/feeds/hsds3-page.json"></linkwell-offers>'),
    );
    await expect.poll(async () => (await names(page)).length).toBe(6);
    await page.emulateMedia({ media: 'print' });
    expect(await widget(page).getByLabel('Search offers').isVisible()).toBe(false);
    expect(await articles(page).first().isVisible()).toBe(true);
    await page.close();
  });

  it('prints whole descriptions, without "Read more", and the address of each web link', async () => {
    const page = await open(
      hostPage('/print-long.html', '<linkwell-offers src="/feeds/long"></linkwell-offers>'),
    );
    const card = articles(page).first();
    await card.waitFor();
    await page.emulateMedia({ media: 'print' });
    // biome-ignore lint/performance/useDomNodeTextContent: what the printed page shows is the point, not the DOM's text
    const printed = await card.innerText();
    expect(printed).toContain(LONG_DESCRIPTION);
    expect(printed).not.toContain('Read more');
    const link = card.getByRole('link', { name: /^More about/ });
    expect(await link.evaluate((node) => getComputedStyle(node, '::after').content)).toBe(
      `" (https://example.org/${LONG_WORD}/${LONG_WORD})"`,
    );
    await page.pdf({ path: '/tmp/widget-print.pdf' });
    await page.close();
  });
});
