import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFeed } from '../../bench/generate-feed.mjs';
import { launchBrowser } from './support/browser';
import { type Route, startServer, type TestServer } from './support/static-server';

// The offer widget on a partner's page, driven as a visitor would: by role and accessible name.

const FEEDS = path.resolve('tests/fixtures/feeds');
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
    expect(categories[0]).toBe('All categories');
    expect(categories.length).toBeGreaterThan(2);
    const all = await names(page);
    await widget(page).getByLabel('Free only').check();
    const free = await names(page);
    expect(free.length).toBeLessThan(all.length);
    await widget(page).getByLabel('Day').selectOption({ label: 'Tuesday' });
    const freeTuesday = await names(page);
    expect(freeTuesday.length).toBeLessThanOrEqual(free.length);
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
    const page = await open(hostPage('/hang.html', '<linkwell-offers src="/feeds/hang"></linkwell-offers>'));
    await expect.poll(() => hanging.length).toBe(1);
    expect(await widget(page).getByRole('status').textContent()).toBe('Loading offers…');
    await page.evaluate(() => document.querySelector('linkwell-offers')?.remove());
    await expect.poll(() => hanging[0]?.closed).toBe(true);
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

describe('accessibility, small screens and print', () => {
  it('has no axe-core violations (WCAG 2.2 AA rules)', async () => {
    const page = await open(
      hostPage(
        '/axe.html',
        '<linkwell-offers src="/feeds/hsds3-page.json" heading="Offers"></linkwell-offers>',
      ),
    );
    await expect.poll(async () => (await names(page)).length).toBe(6);
    await widget(page)
      .locator('details')
      .evaluateAll((nodes) => {
        for (const node of nodes) node.setAttribute('open', '');
      });
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async (tags) => {
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
    expect(violations).toEqual([]);
    await page.close();
  });

  it('fits 320 CSS pixels (200% zoom of 640) without sideways scrolling', async () => {
    const page = await open(
      hostPage('/narrow.html', '<linkwell-offers src="/feeds/hsds3-page.json"></linkwell-offers>'),
      {
        width: 320,
      },
    );
    await expect.poll(async () => (await names(page)).length).toBe(6);
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
});
