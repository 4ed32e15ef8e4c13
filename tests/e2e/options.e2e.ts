import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/core/settings';
import { type ExtensionSession, launchWithExtension } from './support/browser';
import { extensionGrantedLoopback, seedSettings } from './support/extension';
import { type FhirReceiver, startFhirReceiver } from './support/fhir-receiver';
import {
  axeViolations,
  openOptions,
  registeredOrigins,
  seedActivity,
  storedSettings,
} from './support/options';
import { startServer, type TestServer } from './support/static-server';

// The options page in the built extension, as a practice manager uses it: filling in the form by label,
// testing a link worker's endpoint and an offer feed, adding and removing a record site, importing and
// exporting settings, and the activity report.

const RECORD_PAGE = `<!doctype html><html lang="en"><title>Patient record</title>
<body><header id="banner"><strong>SMITH, Jane (Mrs)</strong> Born 12-Mar-1961 NHS No. 943 476 5919</header>
<main><h1>Consultation</h1></main></body></html>`;

const FEED = {
  total_items: 3,
  total_pages: 1,
  page_number: 1,
  size: 3,
  contents: [
    { id: 'walk', name: 'Walking group', status: 'active' },
    { id: 'choir', name: 'Community choir', status: 'active' },
    { id: 'broken', name: 42, status: 'active' },
  ],
};

describe('the options page', () => {
  let session: ExtensionSession;
  let server: TestServer;
  let receiver: FhirReceiver;
  let page: Page;

  beforeAll(async () => {
    receiver = await startFhirReceiver();
    server = await startServer({
      routes: [
        (request, response) => {
          if (request.url === '/record') {
            response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
            response.end(RECORD_PAGE);
            return true;
          }
          if (request.url === '/offers.json') {
            response.writeHead(200, { 'Content-Type': 'application/json' });
            response.end(JSON.stringify(FEED));
            return true;
          }
          return false;
        },
      ],
    });
    session = await launchWithExtension(await extensionGrantedLoopback('chrome-options'));
    page = await openOptions(session);
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
    await receiver?.close();
  });

  it('saves the settings a practice manager fills in, once the whole form is valid', async () => {
    await page.getByLabel('Practice name').fill('Severnside Surgery');
    await page.getByLabel('ODS code', { exact: true }).fill('l84001');

    await page.getByRole('button', { name: 'Add link worker' }).click();
    const linkWorker = page.getByRole('group', { name: 'Link worker 1: New link worker' });
    await linkWorker.getByLabel('Name', { exact: true }).fill('Severnside PCN link worker');
    const card = page.getByRole('group', { name: 'Link worker 1: Severnside PCN link worker' });
    await card.getByLabel('Role (optional)').fill('Social Prescribing Link Worker');
    await card.getByLabel('FHIR endpoint').fill('http://sp.example.org/fhir/$process-message');
    await expect.poll(() => card.getByText('FHIR endpoint must be https').count()).toBe(1);

    // Not saved while anything is wrong: the summary lists the problem.
    await page.getByRole('button', { name: 'Save settings' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await expect.poll(() => summary.textContent()).toContain('FHIR endpoint must be https');
    expect(await storedSettings(session)).toBeUndefined();

    await card.getByLabel('FHIR endpoint').fill(receiver.endpoint);
    await expect.poll(() => card.getByText(`Allowed to contact ${receiver.origin}`).count()).toBe(1);
    await card.getByLabel('Access token (optional)').fill('practice-token');
    await card.getByRole('button', { name: /^Send test message/ }).click();
    await expect.poll(() => card.getByRole('status').textContent()).toContain('Test accepted');
    const [test] = await receiver.waitForRequests(1);
    expect(test?.headers.authorization).toBe('Bearer practice-token');
    expect(test?.headers['content-type']).toBe('application/fhir+json');
    expect(JSON.stringify(test?.json)).toContain('HTEST');
    expect(JSON.stringify(test?.json)).not.toContain('ServiceRequest');

    // Plain http to another computer could never be allowed by the browser: refused in words.
    await page.getByLabel('Record site address').fill('http://gp.example.nhs.uk/patients');
    await page.getByRole('button', { name: 'Add record site' }).click();
    await expect
      .poll(() => page.getByText('the browser cannot let Linkwell read a site over plain http://').count())
      .toBe(1);
    await page.getByLabel('Record site address').fill(`${server.origin}/record`);
    await page.getByRole('button', { name: 'Add record site' }).click();
    const site = page.getByRole('group', { name: `Record site 1: ${server.origin}` });
    await expect.poll(() => site.getByText('Permission granted').count()).toBe(1);

    await page.getByRole('button', { name: 'Add offer feed' }).click();
    const feed = page.getByRole('group', { name: 'Offer feed 1: New feed' });
    await feed.getByLabel('Feed address').fill(`${server.origin}/offers.json`);
    await page
      .getByRole('group', { name: /^Offer feed 1:/ })
      .getByLabel('Label (optional)')
      .fill('Museum');
    const museum = page.getByRole('group', { name: 'Offer feed 1: Museum' });
    expect(await museum.getByText(`Allowed to contact ${server.origin}`).count()).toBe(1);
    await museum.getByRole('button', { name: /^Check feed/ }).click();
    await expect.poll(() => museum.getByRole('status').textContent()).toContain('2 offers');
    expect(await museum.getByRole('status').textContent()).toContain('1 service was skipped');

    await page.getByLabel('Days to keep referral details').fill('45');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved' }).count()).toBe(1);

    expect(await storedSettings(session)).toEqual({
      version: 1,
      practice: { name: 'Severnside Surgery', odsCode: 'L84001' },
      linkWorkers: [
        {
          id: 'severnside-pcn-link-worker',
          name: 'Severnside PCN link worker',
          role: 'Social Prescribing Link Worker',
          delivery: { method: 'fhir', endpoint: receiver.endpoint, token: 'practice-token' },
        },
      ],
      recordSites: [{ origin: server.origin }],
      offerFeeds: [{ url: `${server.origin}/offers.json`, label: 'Museum' }],
      retentionDays: 45,
    });
  });

  it('runs the record-page script on a record site once it is added, and stops when it is removed', async () => {
    await expect.poll(() => registeredOrigins(session)).toEqual([server.origin]);
    const record = await session.context.newPage();
    await record.goto(`${server.origin}/record`);
    await expect.poll(() => record.getByRole('button', { name: 'Refer to link worker' }).count()).toBe(1);

    // "Test on open tab" tries the selectors on that record page.
    await page.bringToFront();
    const site = page.getByRole('group', { name: `Record site 1: ${server.origin}` });
    await site.getByText('Patient selectors (optional)').click();
    await site.getByLabel('Name selector (optional)').fill('#banner strong');
    await site.getByLabel('NHS number selector (optional)').fill('#no-such-element');
    await site.getByRole('button', { name: /^Test on open tab/ }).click();
    const checked = site.getByRole('status').filter({ hasText: 'Tried on' });
    await expect
      .poll(() => checked.textContent())
      .toContain('Name (#banner strong): found “SMITH, Jane (Mrs)”');
    expect(await checked.textContent()).toContain('NHS number (#no-such-element): nothing found');

    await page
      .getByRole('group', { name: `Record site 1: ${server.origin}` })
      .getByRole('button', { name: /^Remove/ })
      .click();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => registeredOrigins(session)).toEqual([]);
    await record.reload();
    await record.getByRole('heading', { name: 'Consultation' }).waitFor();
    // Give a script that should not be there every chance to show itself.
    await record.waitForTimeout(1_000);
    expect(await record.getByRole('button', { name: 'Refer to link worker' }).count()).toBe(0);
    await record.close();
  });

  it('imports a good settings file, replacing the settings in force', async () => {
    const imported: Settings = {
      version: 1,
      practice: { name: 'Imported Surgery' },
      linkWorkers: [
        {
          id: 'vcs',
          name: 'Community Connections',
          delivery: { method: 'email', to: 'connections@nhs.net' },
        },
      ],
      recordSites: [],
      offerFeeds: [],
      retentionDays: 30,
    };
    await page.getByLabel('Import settings').setInputFiles({
      name: 'practice.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(imported)),
    });
    await expect.poll(() => page.getByText('Settings from practice.json are saved').count()).toBe(1);
    expect(await storedSettings(session)).toEqual(imported);
    expect(await page.getByLabel('Practice name').inputValue()).toBe('Imported Surgery');
    expect(await page.getByRole('group', { name: 'Link worker 1: Community Connections' }).count()).toBe(1);
  });

  it('refuses a bad settings file, listing every problem by path, and changes nothing', async () => {
    const before = await storedSettings(session);
    const bad = {
      version: 1,
      practice: { name: 'Bad Surgery', odsCode: '!' },
      linkWorkers: [
        { id: 'pcn-lw', name: 'PCN', delivery: { method: 'fhir', endpoint: 'http://sp.example.org/fhir' } },
      ],
      recordSites: [{ origin: 'https://gp.example.nhs.uk/patients' }],
      retentionDay: 30,
    };
    await page.getByLabel('Import settings').setInputFiles({
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(bad)),
    });
    const problems = page.getByRole('alert').filter({ hasText: 'bad.json was not imported' });
    await expect.poll(() => problems.count()).toBe(1);
    const items = await problems.getByRole('listitem').allTextContents();
    expect(items).toEqual([
      'practice.odsCode: must be an ODS code: 3 to 10 letters and digits, like L84001',
      'linkWorkers[0].delivery.endpoint: must be https',
      'recordSites[0].origin: must be only the scheme, host and port, with nothing after them: write https://gp.example.nhs.uk',
      'retentionDay: is not a Linkwell setting; check its spelling',
    ]);
    expect(await storedSettings(session)).toEqual(before);
    expect(await page.getByLabel('Practice name').inputValue()).toBe('Imported Surgery');
  });

  it('exports without tokens unless asked, and the file imports back', async () => {
    const withToken: Settings = {
      version: 1,
      practice: { name: 'Severnside Surgery', odsCode: 'L84001' },
      linkWorkers: [
        {
          id: 'pcn-lw',
          name: 'Severnside PCN link worker',
          delivery: {
            method: 'fhir',
            endpoint: 'https://sp.example.org/fhir/$process-message',
            token: 'secret-token',
          },
        },
      ],
      recordSites: [],
      offerFeeds: [{ url: 'https://museum.example.org/offers.json', label: 'Museum' }],
      retentionDays: 30,
    };
    await seedSettings(session, withToken);
    await expect.poll(() => page.getByLabel('Practice name').inputValue()).toBe('Severnside Surgery');

    const exportFile = async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export settings' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('linkwell-settings.json');
      return readFile(await download.path(), 'utf8');
    };
    const withoutTokens = await exportFile();
    expect(withoutTokens).not.toContain('secret-token');
    await page.getByLabel(/Include access tokens/).check();
    expect(JSON.parse(await exportFile())).toEqual(withToken);
    await page.getByLabel(/Include access tokens/).uncheck();

    await page.getByLabel('Import settings').setInputFiles({
      name: 'linkwell-settings.json',
      mimeType: 'application/json',
      buffer: Buffer.from(withoutTokens),
    });
    await expect.poll(() => page.getByText('Settings from linkwell-settings.json are saved').count()).toBe(1);
    // The file had no token: the practice manager is told which link workers now have none.
    const noToken = page.locator('.options-warning').filter({ hasText: 'No access token in this file for:' });
    expect(await noToken.getByRole('listitem').allTextContents()).toEqual(['Severnside PCN link worker']);
    const [linkWorker] = withToken.linkWorkers;
    expect(await storedSettings(session)).toEqual({
      ...withToken,
      linkWorkers: [
        {
          ...linkWorker,
          delivery: { method: 'fhir', endpoint: 'https://sp.example.org/fhir/$process-message' },
        },
      ],
    });
  });

  it('reports activity by month, reason and link worker, with a CSV download', async () => {
    const at = Date.parse('2025-03-12T10:00:00Z');
    await seedActivity(session, [
      {
        id: 'a1',
        month: '2025-02',
        at,
        outcome: 'sent',
        reasons: ['loneliness', 'low-mood'],
        linkWorkerId: 'pcn-lw',
      },
      { id: 'a2', month: '2025-03', at, outcome: 'sent', reasons: ['loneliness'], linkWorkerId: 'pcn-lw' },
      { id: 'a3', month: '2025-03', at, outcome: 'failed', reasons: ['money'], linkWorkerId: 'pcn-lw' },
      { id: 'a4', month: '2025-03', at, outcome: 'queued', reasons: ['housing'], linkWorkerId: 'pcn-lw' },
      { id: 'a5', month: '2025-03', at, outcome: 'declined', reasons: ['inactivity'] },
      { id: 'a6', month: '2025-03', at, outcome: 'sent', reasons: ['carer'], linkWorkerId: 'old-worker' },
    ]);
    await page.getByRole('button', { name: 'Refresh report' }).click();
    const byMonth = page.getByRole('table', { name: 'By month' });
    await expect.poll(() => byMonth.getByRole('row').count()).toBe(4);
    expect(
      await byMonth
        .getByRole('row', { name: /March 2025/ })
        .getByRole('cell')
        .allTextContents(),
    ).toEqual(['2', '1', '1', '1', '0', '5']);
    const byReason = page.getByRole('table', { name: /By reason/ });
    expect(
      await byReason
        .getByRole('row', { name: /Loneliness or isolation/ })
        .getByRole('cell')
        .first()
        .textContent(),
    ).toBe('2');
    const byWorker = page.getByRole('table', { name: 'By link worker' });
    expect(await byWorker.getByRole('rowheader').allTextContents()).toEqual([
      'Severnside PCN link worker',
      'old-worker (no longer in the settings)',
      'No link worker chosen',
      'All',
    ]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download report (CSV)' }).click(),
    ]);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.split('\r\n')).toContain('Month,2025-03,2,1,1,1,0,5');
    expect(csv.split('\r\n')).toContain('Reason,Loneliness or isolation,2,0,0,0,0,2');

    await page.screenshot({ path: '/tmp/linkwell-options.png', fullPage: true });
    await page.locator('#activity').screenshot({ path: '/tmp/linkwell-report.png' });
  });

  it('moves link workers up and down and removes them, saving them in that order', async () => {
    const worker = (id: string, name: string) => ({
      id,
      name,
      delivery: { method: 'email' as const, to: `${id}@nhs.net` },
    });
    await seedSettings(session, {
      version: 1,
      practice: { name: 'Order Surgery' },
      linkWorkers: [worker('first', 'First'), worker('second', 'Second'), worker('third', 'Third')],
      recordSites: [],
      offerFeeds: [],
      retentionDays: 30,
    });
    await expect.poll(() => page.getByLabel('Practice name').inputValue()).toBe('Order Surgery');
    const names = () => page.locator('legend.options-card__title').allTextContents();
    const card = (name: string) =>
      page.getByRole('group', { name: new RegExp(`^Link worker \\d: ${name}$`) });
    const button = (name: string, action: RegExp) => card(name).getByRole('button', { name: action });
    await button('First', /^Move down/).click();
    await button('Third', /^Move up/).click();
    expect(await names()).toEqual(['Link worker 1: Second', 'Link worker 2: Third', 'Link worker 3: First']);
    // The ends cannot move further.
    expect(await button('Second', /^Move up/).isDisabled()).toBe(true);
    expect(await button('First', /^Move down/).isDisabled()).toBe(true);
    await button('Third', /^Remove/).click();
    expect(await names()).toEqual(['Link worker 1: Second', 'Link worker 2: First']);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(async () =>
        ((await storedSettings(session)) as Settings).linkWorkers.map((linkWorker) => linkWorker.id),
      )
      .toEqual(['second', 'first']);
  });

  it('shows what this browser has not allowed (localhost is not granted in the test build), and asks in the click', async () => {
    const notGranted = (origin: string) => origin.replace('127.0.0.1', 'localhost');
    await seedSettings(session, {
      version: 1,
      practice: { name: 'Access Surgery', odsCode: 'L84001' },
      linkWorkers: [
        {
          id: 'elsewhere',
          name: 'Link worker on localhost',
          delivery: { method: 'fhir', endpoint: notGranted(receiver.endpoint) },
        },
        {
          id: 'here',
          name: 'Link worker on 127.0.0.1',
          delivery: { method: 'fhir', endpoint: receiver.endpoint },
        },
      ],
      recordSites: [{ origin: notGranted(server.origin) }, { origin: server.origin }],
      offerFeeds: [{ url: `${notGranted(server.origin)}/offers.json`, label: 'Museum on localhost' }],
      retentionDays: 30,
    });
    await expect.poll(() => page.getByLabel('Practice name').inputValue()).toBe('Access Surgery');

    const refusedSite = page.getByRole('group', { name: `Record site 1: ${notGranted(server.origin)}` });
    await expect.poll(() => refusedSite.getByText('Permission not granted').count()).toBe(1);
    expect(
      await page
        .getByRole('group', { name: `Record site 2: ${server.origin}` })
        .getByText('Permission granted')
        .count(),
    ).toBe(1);
    const elsewhere = page.getByRole('group', { name: 'Link worker 1: Link worker on localhost' });
    const here = page.getByRole('group', { name: 'Link worker 2: Link worker on 127.0.0.1' });
    const feed = page.getByRole('group', { name: 'Offer feed 1: Museum on localhost' });
    expect(await elsewhere.getByText(`Not allowed to contact ${notGranted(receiver.origin)}`).count()).toBe(
      1,
    );
    expect(await here.getByText(`Allowed to contact ${receiver.origin}`).count()).toBe(1);
    expect(await feed.getByText(`Not allowed to contact ${notGranted(server.origin)}`).count()).toBe(1);
    const access = page.getByRole('region', { name: 'Linkwell is not allowed to contact some systems yet' });
    expect(await access.getByRole('listitem').allTextContents()).toEqual([
      `${notGranted(receiver.origin)} (Link worker on localhost)`,
      `${notGranted(server.origin)} (the offer feed Museum on localhost)`,
    ]);

    // Each button asks the browser first; headless Chromium's question never settles, so each waits there.
    const before = receiver.received.length;
    await elsewhere.getByRole('button', { name: /^Send test message/ }).click();
    await expect
      .poll(() => elsewhere.getByRole('status').textContent())
      .toBe(
        `Asking the browser to let Linkwell contact ${notGranted(receiver.origin)}: choose Allow if it asks.`,
      );
    await feed.getByRole('button', { name: /^Check feed/ }).click();
    await expect
      .poll(() => feed.getByRole('status').textContent())
      .toBe(
        `Asking the browser to let Linkwell fetch from ${notGranted(server.origin)}: choose Allow if it asks.`,
      );
    await access.getByRole('button', { name: 'Allow Linkwell to contact these systems' }).click();
    await expect
      .poll(() => access.getByRole('status').textContent())
      .toBe('Choose Allow in the browser’s question about Linkwell.');
    expect(receiver.received.length).toBe(before);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/linkwell-options-not-allowed.png', fullPage: true });

    // A fresh page, without the questions left waiting, for the tests after this one.
    await page.close();
    page = await openOptions(session);
  });

  it('has no accessibility violations that axe-core can find, with problems on show too', async () => {
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Practice name').fill('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('There is a problem').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });
});
