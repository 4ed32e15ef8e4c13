import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanText } from '../../src/core/feed-reader';
import { formatNhsNumber } from '../../src/core/nhs-number';
import {
  findBirthDate,
  findPatientName,
  parseBannerDate,
  readPatientBanner,
} from '../../src/core/patient-banner';
import { displayPatientName, parsePatientName } from '../../src/core/patient-name';
import { formatDate } from '../../src/core/referral-text';
import type { Settings } from '../../src/core/settings';
import { XSS_VECTORS } from '../fixtures/xss-vectors';
import { type ExtensionSession, launchBrowser, launchWithExtension } from './support/browser';
import { extensionGrantedLoopback, seedSettings, testSettings } from './support/extension';
import { type FhirReceiver, startFhirReceiver } from './support/fhir-receiver';
import { openPanel, tabIdOf, waitForRecordScript } from './support/panel';
import { startServer, type TestServer } from './support/static-server';

// Hostile text from a record page, and from offer feeds, on its way into the referral panel and the
// widget: shown as text or not at all, never run, never a live link. Each vector is tried beside every
// banner item (name, date of birth, NHS number, and through a record site's own selectors), and in every
// text field Linkwell reads from a feed, in both Open Referral UK shapes. Each step first proves the
// vector reached the screen, then looks for damage.

// ---------------------------------------------------------------------------------------------------
// Feeds: every field src/core/feed-reader.ts reads, holding the vector.

/** HSDS 3.0 / ORUK 3.0: the vector in every text field the reader takes, nested ones included. */
function hsds3Service(vector: string, index: number) {
  return {
    id: `hostile-${index}`,
    name: `Offer #${index}# ${vector}`,
    description: vector,
    status: 'active',
    url: vector,
    email: vector,
    application_process: vector,
    attending_access: vector,
    eligibility_description: vector,
    // The reader takes fees_description before cost options' words: half the services show each.
    ...(index % 2 === 0
      ? { fees_description: vector }
      : { cost_options: [{ option: vector, amount: 2, currency: vector, amount_description: vector }] }),
    assured_date: '2025-01-01',
    assurer_email: vector,
    organization: { name: `Org ${vector}`, website: vector },
    schedules: [{ byday: 'MO', opens_at: '10:00', closes_at: '12:00', freq: 'WEEKLY', description: vector }],
    attributes: [{ taxonomy_term: { name: vector } }],
    service_at_locations: [
      {
        location: {
          name: vector,
          addresses: [
            {
              address_1: vector,
              address_2: vector,
              city: vector,
              state_province: vector,
              postal_code: vector,
              address_type: 'physical',
            },
          ],
          accessibility: [{ description: vector }, { details: vector }],
          schedules: [{ description: vector }],
        },
      },
    ],
    contacts: [{ email: vector, phones: [{ number: vector }] }],
    phones: [{ number: vector }],
    additional_urls: [{ label: 'Contact', url: vector }],
  };
}

/** Open Referral UK 1.0: its own names for the same things (physical_addresses, eligibilitys, ...). */
function oruk1Service(vector: string, index: number) {
  return {
    id: `oruk-hostile-${index}`,
    name: `ORUK offer #${index}# ${vector}`,
    description: vector,
    status: 'active',
    url: vector,
    email: vector,
    fees: vector,
    attending_access: vector,
    application_process: vector,
    assured_date: '2024-11-03T00:00:00.000+0000',
    organization: { name: `Org ${vector}`, url: vector },
    eligibilitys: [{ eligibility: vector, minimum_age: 18 }],
    regular_schedules: [{ weekday: 1, opens_at: '13:00:00', closes_at: '15:00:00', description: vector }],
    service_taxonomys: [{ taxonomy: { name: vector } }],
    service_at_locations: [
      {
        location: {
          name: vector,
          physical_addresses: [
            { address_1: vector, city: vector, state_province: vector, postal_code: vector },
          ],
          accessibility_for_disabilities: [{ accessibility: vector }],
          regular_schedules: [{ weekday: 'Tuesday', description: vector }],
        },
      },
    ],
    contacts: [{ email: vector, phones: [{ number: vector }] }],
  };
}

const hsds3Feed = () => ({ contents: XSS_VECTORS.map(hsds3Service) });
const oruk1Feed = () => ({ totalPages: 1, number: 1, content: XSS_VECTORS.map(oruk1Service) });

/** How many of a service's fields hold the vector (names hold it after a marker). */
function fieldsHolding(value: unknown, vector: string): number {
  if (typeof value === 'string') return value.includes(vector) ? 1 : 0;
  if (value === null || typeof value !== 'object') return 0;
  return Object.values(value).reduce<number>((total, inner) => total + fieldsHolding(inner, vector), 0);
}
/** Vectors × fields, summed over the services of a feed, and the fields per service. */
function reach(services: unknown[], vectorOf: (index: number) => string) {
  const perService = services.map((service, index) => fieldsHolding(service, vectorOf(index)));
  return { total: perService.reduce((a, b) => a + b, 0), max: Math.max(...perService) };
}

// ---------------------------------------------------------------------------------------------------
// Damage: what hostile text could leave on a page if it were ever treated as markup.

/**
 * Runs in the page. Under `scope` (elements matching it, inside `host`'s shadow root when given):
 * elements that do not belong there, event-handler and other active attributes anywhere, and links
 * or sources with a scheme other than http(s), mailto and tel.
 */
function inspectDamage({
  host,
  scope,
  allowedTags,
}: {
  host: string | null;
  scope: string;
  allowedTags: string[];
}) {
  const root: ParentNode | null | undefined = host ? document.querySelector(host)?.shadowRoot : document;
  if (!root) return { problems: ['no root to inspect'], inspected: 0 };
  const problems: string[] = [];
  const allowed = new Set(allowedTags);
  const scoped = [...root.querySelectorAll(scope)];
  const everything = [...root.querySelectorAll('*')];
  const describe = (element: Element) => `<${element.localName} ${element.outerHTML.slice(0, 80)}>`;
  // Never anywhere in an extension page's body or the widget's shadow root.
  const active = 'script, iframe, frame, frameset, object, embed, applet, base, meta, link, style, portal';
  const activeRoot = host ? root : document.body;
  for (const element of activeRoot?.querySelectorAll(active) ?? [])
    problems.push(`element ${describe(element)}`);
  for (const element of everything) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value
        // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore these inside a scheme
        .replace(/[\u0000-\u0020\u007f-\u009f\u200b-\u200f\ufeff]/g, '')
        .toLowerCase();
      if (name.startsWith('on')) problems.push(`${name} on ${describe(element)}`);
      if (['formaction', 'contenteditable', 'srcdoc', 'xlink:href'].includes(name))
        problems.push(`${name} on ${describe(element)}`);
      if (
        ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background'].includes(name)
      ) {
        if (/^(javascript|data|vbscript|file|blob):/.test(value))
          problems.push(`${name}=${value.slice(0, 40)}`);
        if (name === 'href' && element.localName === 'a' && !/^(https?:|mailto:|tel:|#)/.test(value))
          problems.push(`link ${value.slice(0, 40)}`);
      }
    }
  }
  for (const area of scoped) {
    for (const element of area.querySelectorAll('*')) {
      if (!allowed.has(element.localName)) problems.push(`unexpected ${describe(element)}`);
      if (element.hasAttribute('style')) problems.push(`style attribute on ${describe(element)}`);
    }
  }
  return { problems, inspected: scoped.length };
}

/** The elements each product renders where outside text appears; anything else came from the text. */
const PANEL_OFFER_TAGS = ['li', 'input', 'label', 'span'];
const PANEL_PATIENT_TAGS = ['h2', 'dl', 'div', 'dt', 'dd', 'p', 'button', 'span'];
const WIDGET_ARTICLE_TAGS = [
  'h2',
  'h3',
  'h4',
  'p',
  'span',
  'a',
  'dl',
  'div',
  'dt',
  'dd',
  'details',
  'summary',
  'button',
];

/** Watches an extension page for script that should never run and policy it should never break. */
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

async function ranOrBroke(page: Page) {
  return page.evaluate(() => {
    const state = window as unknown as { pwned: number[]; violations: string[] };
    return { pwned: state.pwned, violations: state.violations };
  });
}

// ---------------------------------------------------------------------------------------------------
// Record pages.

/** A valid NHS number for step `n` (Modulus 11, in the 999 range never issued to patients). */
function nhsNumberFor(n: number): string {
  for (let candidate = 999_000_000 + n * 7; ; candidate += 1) {
    const digits = String(candidate).split('').map(Number);
    const total = digits.reduce((sum, digit, i) => sum + digit * (10 - i), 0);
    const check = (11 - (total % 11)) % 11;
    if (check !== 10) return `${candidate}${check}`;
  }
}
const spaced = (nhsNumber: string) => formatNhsNumber(nhsNumber);

/** The NHS banner convention page: name, `Born` date and `NHS No.` in a header. */
const BANNER_PAGE = `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Record</title></head>
<body><header id="banner"><span class="name"></span> <span>Born <strong class="dob"></strong></span>
<span>NHS No. <strong class="nhs"></strong></span></header><main><h1>Consultation</h1></main></body></html>`;
/** A record site read through its own `selectors`: no labels at all. */
const SELECTORS_PAGE = `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Record</title></head>
<body><div id="pt"><p class="nm"></p><p class="dob"></p><p class="nhs"></p></div><main><h1>Notes</h1></main></body></html>`;
const SELECTORS = { nhsNumber: '#pt .nhs', name: '#pt .nm', birthDate: '#pt .dob' };

interface Banner {
  name: string;
  dob: string;
  nhs: string;
}

/** What the panel must show for a banner, read by the core the content script uses. */
function expectedFromBanner(banner: Banner) {
  // The content script reads each text node on its own line (src/content/detect.ts).
  const reading = readPatientBanner([banner.name, 'Born ', banner.dob, 'NHS No. ', banner.nhs].join('\n'));
  if (!reading.ok) throw new Error(`the banner must stay readable: ${reading.problem}`);
  const { name, birthDate, nhsNumber } = reading.patient;
  return {
    name: name ? displayPatientName(name) : 'Not shown on the page',
    born: birthDate ? formatDate(birthDate) : 'Not shown on the page',
    nhs: spaced(nhsNumber),
  };
}

/** What the panel must show for a selectors site, read as src/content/detect.ts reads one. */
function expectedFromSelectors(banner: Banner) {
  const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
  const nameText = squash(banner.name);
  const name = nameText ? (parsePatientName(nameText) ?? findPatientName(nameText)) : undefined;
  const dateText = squash(banner.dob);
  const birthDate = dateText
    ? (parseBannerDate(dateText.replace(/^[^0-9]*?(?=\d)/, '')) ?? findBirthDate(dateText))
    : undefined;
  return {
    name: name ? displayPatientName(name) : 'Not shown on the page',
    born: birthDate ? formatDate(birthDate) : 'Not shown on the page',
    nhs: spaced(banner.nhs),
  };
}

describe('hostile text on its way into the referral panel', () => {
  let session: ExtensionSession;
  let receiver: FhirReceiver;
  let server: TestServer;
  let selectorsSite: TestServer;

  const page = (html: string) => (request: IncomingMessage, response: ServerResponse) => {
    if (request.url === '/offers.json' || request.url === '/oruk1.json') {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
      response.end(JSON.stringify(request.url === '/offers.json' ? hsds3Feed() : oruk1Feed()));
      return true;
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(html);
    return true;
  };

  beforeAll(async () => {
    receiver = await startFhirReceiver();
    server = await startServer({ routes: [page(BANNER_PAGE)] });
    selectorsSite = await startServer({ routes: [page(SELECTORS_PAGE)] });
    session = await launchWithExtension(await extensionGrantedLoopback('chrome-hostile'));
    const settings: Settings = testSettings({
      recordOrigin: server.origin,
      fhirEndpoint: receiver.endpoint,
      feedUrl: `${server.origin}/offers.json`,
    });
    await seedSettings(session, {
      ...settings,
      recordSites: [
        ...settings.recordSites,
        { origin: selectorsSite.origin, label: 'Selectors system', selectors: SELECTORS },
      ],
      offerFeeds: [...settings.offerFeeds, { url: `${server.origin}/oruk1.json`, label: 'Library' }],
    });
    await waitForRecordScript(session, 2);
  });
  afterAll(async () => {
    await session?.close();
    await receiver?.close();
    await server?.close();
    await selectorsSite?.close();
  });

  /**
   * Puts each vector in one banner item in turn, waits for the panel to show that step's patient (each
   * step has its own NHS number, so the panel cannot be showing the last one), then checks what it shows
   * and that nothing ran. Returns how many vectors were shown as text and how many read as no name.
   */
  async function throughBanner(
    origin: string,
    field: keyof Banner,
    expected: (banner: Banner) => { name: string; born: string; nhs: string },
  ) {
    const record = await session.context.newPage();
    await record.goto(`${origin}/record.html`);
    await arm(record);
    const panel = await openPanel(session, await tabIdOf(session, record));
    await arm(panel);
    const patientRegion = panel.getByRole('region', { name: 'Patient' });
    let shownAsText = 0;
    let notAName = 0;
    for (const [index, vector] of XSS_VECTORS.entries()) {
      const nhsNumber = nhsNumberFor(index);
      const banner: Banner = {
        name:
          field === 'name'
            ? origin === server.origin
              ? `SMITH${vector}, Jane (Mrs)`
              : `Jane ${vector}`
            : 'SMITH, Jane (Mrs)',
        dob: field === 'dob' ? `12-Mar-1961 ${vector}` : '12-Mar-1961',
        nhs: field === 'nhs' ? `${spaced(nhsNumber)} ${vector}` : spaced(nhsNumber),
      };
      const want = expected(banner);
      await record.evaluate((values) => {
        for (const [key, text] of Object.entries(values)) {
          const target = document.querySelector(`.${key === 'name' ? 'name, .nm' : key}`);
          if (target) target.textContent = text;
        }
      }, banner);
      // This step's patient has reached the panel: its own NHS number is on show.
      await expect
        .poll(() => patientRegion.textContent(), { message: `vector ${index} in the ${field}` })
        .toContain(want.nhs);
      const shown = await patientRegion.evaluate((region) =>
        [...region.querySelectorAll('dd')].map((dd) => dd.textContent ?? ''),
      );
      expect(shown, `vector ${index} in the ${field}`).toEqual([want.name, want.born, want.nhs]);
      const asText = cleanText(vector) ?? '';
      if (field === 'name' && want.name !== 'Not shown on the page') {
        expect(want.name).toContain(asText.slice(0, 8));
        shownAsText += 1;
      } else {
        // Read as no name (or as no part of the date or number): none of the vector is on show.
        if (asText.length >= 4) expect(await patientRegion.textContent()).not.toContain(asText);
        if (field === 'name') notAName += 1;
      }
      expect(await ranOrBroke(panel), `vector ${index} in the ${field}`).toEqual({
        pwned: [],
        violations: [],
      });
      const damage = await panel.evaluate(inspectDamage, {
        host: null,
        scope: 'section.patient-summary',
        allowedTags: PANEL_PATIENT_TAGS,
      });
      expect(damage.problems, `vector ${index} in the ${field}`).toEqual([]);
      expect(await record.getByRole('button', { name: 'Refer to link worker' }).count()).toBe(1);
      expect(await ranOrBroke(record)).toEqual({ pwned: [], violations: [] });
    }
    await record.close();
    await panel.close();
    return { shownAsText, notAName };
  }

  for (const field of ['name', 'dob', 'nhs'] as const) {
    it(`shows the patient beside each of ${XSS_VECTORS.length} vectors in the banner's ${field}, the vector as text or not at all`, async () => {
      const counts = await throughBanner(server.origin, field, expectedFromBanner);
      process.stdout.write(
        `hostile banner ${field}: ${XSS_VECTORS.length} tried, ${counts.shownAsText} shown as text, ` +
          `${field === 'name' ? counts.notAName : XSS_VECTORS.length} read as no part of the patient\n`,
      );
      // The banner reader takes only letters, spaces, hyphens and apostrophes as a name: not one of
      // these vectors is a name, so each must leave the name out, never show it.
      if (field === 'name') expect(counts.notAName).toBe(XSS_VECTORS.length);
    }, 180_000);
  }

  for (const field of ['name', 'dob'] as const) {
    it(`shows the patient beside each of ${XSS_VECTORS.length} vectors in a selectors site's ${field}`, async () => {
      const counts = await throughBanner(selectorsSite.origin, field, expectedFromSelectors);
      process.stdout.write(
        `hostile selectors-site ${field}: ${XSS_VECTORS.length} tried, ${counts.shownAsText} shown as text\n`,
      );
      // A selectors site's name is read by the same name rules: none of these is a name either.
      if (field === 'name') expect(counts.notAName).toBe(XSS_VECTORS.length);
    }, 180_000);
  }

  it(`finds each of ${XSS_VECTORS.length} hostile offers in two feeds by searching, shows it as text, runs nothing`, async () => {
    const panel = await openPanel(session, undefined);
    await arm(panel);
    await panel.getByLabel('NHS number').fill('999 526 0182');
    await panel.getByLabel('Patient’s name').fill('Alun Jones');
    await panel.getByLabel('Date of birth').fill('31/01/1950');
    await panel.getByRole('button', { name: 'Use these details' }).click();
    const search = panel.getByRole('searchbox', { name: 'Search community offers' });
    // The feeds have loaded: the panel says how many offers match an empty search.
    await expect
      .poll(() => panel.getByText(`${XSS_VECTORS.length * 2} offers found`).count(), { timeout: 20_000 })
      .toBe(1);
    let tried = 0;
    for (const [index, vector] of XSS_VECTORS.entries()) {
      await search.fill(`#${index}#`);
      const wanted = [
        cleanText(`Offer #${index}# ${vector}`, 300),
        cleanText(`ORUK offer #${index}# ${vector}`, 300),
      ];
      const names = () =>
        panel
          .locator('.offer-list label')
          .evaluateAll((labels) =>
            labels.map((label) => label.querySelector('.offer-name')?.textContent ?? ''),
          );
      await expect.poll(names, { message: `offer ${index}` }).toEqual(wanted);
      // Each is a checkbox the GP can tick, named by the offer.
      expect(await panel.getByRole('checkbox', { name: `#${index}#` }).count()).toBe(2);
      expect(await ranOrBroke(panel), `offer ${index}`).toEqual({ pwned: [], violations: [] });
      const damage = await panel.evaluate(inspectDamage, {
        host: null,
        scope: 'ul.offer-list',
        allowedTags: PANEL_OFFER_TAGS,
      });
      expect(damage.inspected).toBe(1);
      expect(damage.problems, `offer ${index}`).toEqual([]);
      tried += 1;
    }
    const fields =
      reach(hsds3Feed().contents, (i) => XSS_VECTORS[i] as string).total +
      reach(oruk1Feed().content, (i) => XSS_VECTORS[i] as string).total;
    process.stdout.write(
      `hostile offers in the panel's search: ${tried} vectors searched for and shown as text, in two feeds ` +
        `(${fields} vector × field placements)\n`,
    );
    expect(tried).toBe(XSS_VECTORS.length);
    await panel.close();
  }, 120_000);

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
      expect(await ranOrBroke(panel), `vector ${index}`).toEqual({ pwned: [], violations: [] });
      const damage = await panel.evaluate(inspectDamage, {
        host: null,
        scope: 'section.patient-summary',
        allowedTags: PANEL_PATIENT_TAGS,
      });
      expect(damage.problems, `vector ${index}`).toEqual([]);
      expect(await panel.getByRole('region', { name: 'Patient' }).textContent(), `vector ${index}`).toContain(
        'No patient selected',
      );
      expect(await panel.getByText("Enter the patient's name").first().isVisible(), `vector ${index}`).toBe(
        true,
      );
    }
    await panel.close();
  }, 120_000);
});

describe('hostile feed text in the widget on a partner website', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      root: path.resolve('dist/widget'),
      routes: [
        (request, response) => {
          if (request.url === '/offers.json' || request.url === '/oruk1.json') {
            response.writeHead(200, { 'Content-Type': 'application/json' });
            response.end(JSON.stringify(request.url === '/offers.json' ? hsds3Feed() : oruk1Feed()));
            return true;
          }
          const feed = /^\/museum\.html\?feed=(\w+)$/.exec(request.url ?? '')?.[1];
          if (!feed) return false;
          response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          response.end(`<!doctype html><html lang="en-GB"><title>Museum</title>
            <script>window.pwned = []; window.__linkwellPwned = (n) => window.pwned.push(n);</script>
            <script src="/linkwell-offers.js" defer></script>
            <main><linkwell-offers src="/${feed}.json"></linkwell-offers></main></html>`);
          return true;
        },
      ],
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const FEEDS = [
    { file: 'offers', shape: 'HSDS 3.0', prefix: 'Offer', services: () => hsds3Feed().contents },
    { file: 'oruk1', shape: 'ORUK 1.0', prefix: 'ORUK offer', services: () => oruk1Feed().content },
  ] as const;

  for (const feed of FEEDS) {
    const { total, max } = reach(feed.services(), (i) => XSS_VECTORS[i] as string);
    it(`shows ${XSS_VECTORS.length} ${feed.shape} services with a vector in each of up to ${max} fields as text, runs none, links nothing unsafe`, async () => {
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage();
        const dialogs: string[] = [];
        page.on('dialog', (dialog) => {
          dialogs.push(dialog.message());
          void dialog.dismiss();
        });
        const violations: string[] = [];
        page.on('console', (message) => {
          if (/Content Security Policy|Refused to/.test(message.text())) violations.push(message.text());
        });
        await page.goto(`${server.origin}/museum.html?feed=${feed.file}`);
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
        expect(await widget.getByRole('article').count()).toBe(XSS_VECTORS.length);
        // Each vector reached the screen as text: the offer's heading is its name, exactly as written.
        const headings = await widget
          .getByRole('article')
          .evaluateAll((articles) =>
            articles.map((article) => article.querySelector('h2, h3, h4')?.textContent ?? ''),
          );
        expect(headings).toEqual(
          XSS_VECTORS.map((vector, index) => cleanText(`${feed.prefix} #${index}# ${vector}`, 300)),
        );
        const texts = await widget
          .getByRole('article')
          .evaluateAll((articles) => articles.map((article) => article.textContent ?? ''));
        let descriptionsShown = 0;
        for (const [index, vector] of XSS_VECTORS.entries()) {
          const asText = cleanText(vector) ?? '';
          if (texts[index]?.includes(asText.length > 170 ? asText.slice(0, 100) : asText))
            descriptionsShown += 1;
        }
        const damage = await page.evaluate(inspectDamage, {
          host: 'linkwell-offers',
          scope: 'article',
          allowedTags: WIDGET_ARTICLE_TAGS,
        });
        process.stdout.write(
          `hostile ${feed.shape} feed in the widget: ${XSS_VECTORS.length} vectors × ${max} fields ` +
            `(${total} placements), ${headings.length} offers shown, ${descriptionsShown} descriptions as text\n`,
        );
        expect(damage.inspected).toBe(XSS_VECTORS.length);
        expect(damage.problems).toEqual([]);
        expect(descriptionsShown).toBe(XSS_VECTORS.length);
        expect(await page.evaluate(() => (window as unknown as { pwned: number[] }).pwned)).toEqual([]);
        expect(dialogs).toEqual([]);
        expect(violations).toEqual([]);
      } finally {
        await browser.close();
      }
    });
  }
});
