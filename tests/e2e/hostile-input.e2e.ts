import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XSS_VECTORS } from '../fixtures/xss-vectors';
import { type ExtensionSession, launchBrowser, launchWithExtension } from './support/browser';
import { extensionGrantedLoopback, seedSettings, testSettings } from './support/extension';
import { type FhirReceiver, startFhirReceiver } from './support/fhir-receiver';
import { openPanel, tabIdOf, waitForRecordScript } from './support/panel';
import { startServer, type TestServer } from './support/static-server';

// Hostile text on a record page, and in an offer feed, on its way into the referral panel: shown as
// text or not at all, never run, never a live link. Each vector is tried in the patient's name on the
// banner and in every text field of a feed service.

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A single-page record screen: `show(i)` puts vector i into the banner's name, as text. */
const RECORD_PAGE = `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Record</title></head>
<body><header id="banner"><span class="name"></span> <span>Born <strong>12-Mar-1961</strong></span>
<span>NHS No. <strong>943 476 5919</strong></span></header><main><h1>Consultation</h1></main></body></html>`;

function hostileFeed() {
  return {
    contents: XSS_VECTORS.map((vector, index) => ({
      id: `hostile-${index}`,
      name: `Offer ${index} ${vector}`,
      description: vector,
      status: 'active',
      url: vector,
      email: vector,
      organization: { name: `Org ${vector}`, url: vector },
      application_process: vector,
      eligibility_description: vector,
      attributes: [{ taxonomy_term: { name: vector } }],
      service_at_locations: [
        { location: { name: vector, addresses: [{ address_1: vector, postal_code: vector }] } },
      ],
      phones: [{ number: vector }],
      cost_options: [{ option: vector }],
    })),
  };
}

/** Watches an extension page for script that should never run and markup that should never appear. */
async function arm(page: Page): Promise<void> {
  await page.evaluate(() => {
    const state = window as unknown as {
      pwned: number[];
      violations: string[];
      __linkwellPwned: (n: number) => void;
    };
    state.pwned = [];
    state.violations = [];
    state.__linkwellPwned = (n) => state.pwned.push(n);
    document.addEventListener('securitypolicyviolation', (event) =>
      state.violations.push(event.violatedDirective),
    );
  });
}

async function damage(page: Page) {
  return page.evaluate(() => {
    const state = window as unknown as { pwned: number[]; violations: string[] };
    const unsafeLinks = [...document.querySelectorAll('a[href]')]
      .map((link) => link.getAttribute('href') ?? '')
      .filter((href) => !/^(https?:|mailto:|tel:|#)/i.test(href.trim()));
    const injected = document.querySelectorAll(
      'body script, body iframe, body object, body embed, body svg, body img, body style, body link, body meta, body base, body form[action], body video, body audio, body marquee, [onerror], [onload], [onfocus], [ontoggle], [onstart], [onbegin], [onblur]',
    ).length;
    return { pwned: state.pwned, violations: state.violations, unsafeLinks, injected };
  });
}

describe('hostile text on its way into the referral panel', () => {
  let session: ExtensionSession;
  let receiver: FhirReceiver;
  let server: TestServer;

  beforeAll(async () => {
    receiver = await startFhirReceiver();
    server = await startServer({
      routes: [
        (request, response) => {
          if (request.url === '/offers.json') {
            response.writeHead(200, {
              'Content-Type': 'application/json',
              'Access-Control-Allow-Origin': '*',
            });
            response.end(JSON.stringify(hostileFeed()));
            return true;
          }
          response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          response.end(RECORD_PAGE);
          return true;
        },
      ],
    });
    session = await launchWithExtension(await extensionGrantedLoopback('chrome-hostile'));
    await seedSettings(
      session,
      testSettings({
        recordOrigin: server.origin,
        fhirEndpoint: receiver.endpoint,
        feedUrl: `${server.origin}/offers.json`,
      }),
    );
    await waitForRecordScript(session);
  });
  afterAll(async () => {
    await session?.close();
    await receiver?.close();
    await server?.close();
  });

  it(`shows each of ${XSS_VECTORS.length} vectors in the banner's name as text, or not at all`, async () => {
    const record = await session.context.newPage();
    await record.goto(`${server.origin}/record.html`);
    const panel = await openPanel(session, await tabIdOf(session, record));
    await arm(panel);
    let shownAsText = 0;
    for (const [index, vector] of XSS_VECTORS.entries()) {
      const name = `SMITH${vector}, Jane (Mrs)`;
      await record.evaluate(
        ({ html }) => {
          (document.querySelector('#banner .name') as HTMLElement).innerHTML = html;
        },
        { html: escapeHtml(name) },
      );
      // The content script debounces page changes; give the panel time to follow.
      await panel.waitForTimeout(400);
      const patient = (await panel.getByRole('region', { name: 'Patient' }).textContent()) ?? '';
      if (patient.includes(vector.trim().slice(0, 12))) shownAsText += 1;
      expect(await damage(panel), `vector ${index}`).toEqual({
        pwned: [],
        violations: [],
        unsafeLinks: [],
        injected: 0,
      });
      expect(await record.getByRole('button', { name: 'Refer to link worker' }).count()).toBeLessThanOrEqual(
        1,
      );
    }
    process.stdout.write(`hostile banner names: ${XSS_VECTORS.length} tried, ${shownAsText} shown as text\n`);
    await record.close();
    await panel.close();
  });

  it(`shows a feed with ${XSS_VECTORS.length} vectors in every field as text in the offer search`, async () => {
    const panel = await openPanel(session, undefined);
    await arm(panel);
    await panel.getByLabel('NHS number').fill('999 526 0182');
    await panel.getByLabel('Patient’s name').fill('Alun Jones');
    await panel.getByLabel('Date of birth').fill('31/01/1950');
    await panel.getByRole('button', { name: 'Use these details' }).click();
    const search = panel
      .getByRole('searchbox')
      .or(panel.getByLabel(/search/i))
      .first();
    for (const query of ['Offer', 'script', 'javascript', 'img', 'svg', 'style']) {
      await search.fill(query);
      await panel.waitForTimeout(150);
      expect(await damage(panel), `search ${query}`).toEqual({
        pwned: [],
        violations: [],
        unsafeLinks: [],
        injected: 0,
      });
    }
    await search.fill('Offer');
    await expect.poll(() => panel.getByText(/Offer \d+/).count()).toBeGreaterThan(0);
    await panel.close();
  });

  it(`answers ${XSS_VECTORS.length} vectors typed or pasted as a patient's details with a problem, shown as text`, async () => {
    const panel = await openPanel(session, undefined);
    await arm(panel);
    for (const [index, vector] of XSS_VECTORS.entries()) {
      await panel
        .getByLabel('Paste the patient banner line (optional)')
        .fill(`SMITH${vector}, Jane  Born 12-Mar-1961  NHS No. 943 476 5919`);
      await panel.getByRole('button', { name: 'Read pasted line' }).click();
      await panel.getByLabel('Patient’s name').fill(vector);
      await panel.getByRole('button', { name: 'Use these details' }).click();
      expect(await damage(panel), `vector ${index}`).toEqual({
        pwned: [],
        violations: [],
        unsafeLinks: [],
        injected: 0,
      });
      expect(await panel.getByRole('region', { name: 'Patient' }).textContent(), `vector ${index}`).toContain(
        'No patient selected',
      );
      expect(await panel.getByText("Enter the patient's name").first().isVisible(), `vector ${index}`).toBe(
        true,
      );
    }
    await panel.close();
  });
});

describe('hostile feed text in the widget on a partner website', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      root: path.resolve('dist/widget'),
      routes: [
        (request, response) => {
          if (request.url === '/offers.json') {
            response.writeHead(200, { 'Content-Type': 'application/json' });
            response.end(JSON.stringify(hostileFeed()));
            return true;
          }
          if (request.url !== '/museum.html') return false;
          response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          response.end(`<!doctype html><html lang="en-GB"><title>Museum</title>
            <script>window.pwned = []; window.__linkwellPwned = (n) => window.pwned.push(n);</script>
            <script src="/linkwell-offers.js" defer></script>
            <main><linkwell-offers src="/offers.json"></linkwell-offers></main></html>`);
          return true;
        },
      ],
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it(`shows ${XSS_VECTORS.length} vectors in every field of ${XSS_VECTORS.length} services as text, runs none, links nothing unsafe`, async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(`${server.origin}/museum.html`);
      const widget = page.locator('linkwell-offers');
      await expect.poll(() => widget.getByRole('article').count()).toBeGreaterThan(0);
      // Every offer on show, each with its details open, so every field is rendered.
      for (
        let more = widget.getByRole('button', { name: /^Show \d+ more offers$/ });
        (await more.count()) > 0;
      ) {
        await more.first().click();
      }
      await widget.evaluate((host) => {
        for (const details of host.shadowRoot?.querySelectorAll('details') ?? []) details.open = true;
      });
      const found = await widget.evaluate((host, count) => {
        const root = host.shadowRoot as ShadowRoot;
        const text = root.textContent ?? '';
        return {
          articles: root.querySelectorAll('article').length,
          injected: root.querySelectorAll(
            'script, iframe, object, embed, svg, img, style, link, meta, base, form[action], video, audio, marquee, math, template, x, [onerror], [onload], [onfocus], [ontoggle], [onbegin], [onblur], [contenteditable]',
          ).length,
          unsafeLinks: [...root.querySelectorAll('a[href]')]
            .map((link) => link.getAttribute('href') ?? '')
            .filter((href) => !/^(https?:|mailto:|tel:)/i.test(href)),
          shownAsText: Array.from({ length: count }, (_, n) => text.includes(`Offer ${n} `)).filter(Boolean)
            .length,
        };
      }, XSS_VECTORS.length);
      process.stdout.write(
        `hostile feed in the widget: ${XSS_VECTORS.length} services × 13 fields, ${found.articles} offers shown\n`,
      );
      expect(found.injected).toBe(0);
      expect(found.unsafeLinks).toEqual([]);
      expect(found.shownAsText).toBe(found.articles);
      expect(found.articles).toBe(XSS_VECTORS.length);
      expect(await page.evaluate(() => (window as unknown as { pwned: number[] }).pwned)).toEqual([]);
      expect(dialogs).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
