import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { referralToFhirMessage } from '../../src/core/fhir-message';
import type { Referral } from '../../src/core/referral';
import { fullReferral, minimalReferral } from '../fixtures/referrals';
import { assertValidFhir } from '../support/fhir-validation';
import { chromiumPath, launchBrowser, launchWithExtension } from './support/browser';
import { type DemoProcess, portIsFree, startDemo } from './support/demo';
import { extensionGrantedLoopback, seedSettings } from './support/extension';
import { fillReferral, openPanel, outcome, tabIdOf, waitForRecordScript } from './support/panel';

// `npm start` as a newcomer meets it: the demo runs as its own process, prints its addresses, serves
// the record, the museum and the inbox, and leaves nothing behind when stopped.

const TOKEN = 'demo-inbox-token';

/** A referral's details list as term → definition, read by role as a screen reader announces them. */
async function detailsOf(referral: Locator): Promise<Record<string, string>> {
  const terms = await referral.getByRole('term').allTextContents();
  const definitions = await referral.getByRole('definition').allTextContents();
  return Object.fromEntries(terms.map((term, index) => [term, definitions[index] ?? '']));
}

/** A referral message as Linkwell sends it, checked as valid FHIR R4 before the inbox sees it. */
function message(referral: Referral) {
  return assertValidFhir(
    referralToFhirMessage(referral, { now: new Date(), software: { name: 'Linkwell', version: 'test' } }),
  );
}

async function post(endpoint: string, body: unknown, requestId = randomUUID(), token = TOKEN) {
  return fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/fhir+json',
      Accept: 'application/fhir+json',
      'X-Request-Id': requestId,
      'X-Correlation-Id': randomUUID(),
      Authorization: `Bearer ${token}`,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('npm start: the local demo', () => {
  let demo: DemoProcess;
  let browser: Browser;
  let ports: DemoProcess['ports'];
  let origins: DemoProcess['origins'];
  let endpoint = '';
  let output = '';

  beforeAll(async () => {
    demo = await startDemo();
    ({ ports, origins, endpoint } = demo);
    output = demo.output();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop('SIGKILL');
  });

  it('prints the three loopback addresses, dist/chrome and how to import the settings', () => {
    expect(origins).toEqual({
      record: `http://127.0.0.1:${ports.record}`,
      museum: `http://127.0.0.1:${ports.museum}`,
      inbox: `http://127.0.0.1:${ports.inbox}`,
    });
    expect(endpoint).toBe(`http://127.0.0.1:${ports.inbox}/fhir/$process-message`);
    expect(output).toMatch(/Load unpacked/);
    expect(output).toMatch(/dist\/chrome/);
    expect(output).toMatch(/Import settings/);
    expect(demo.errors()).toBe('');
  });

  it('writes settings for the ports it got, and serves them', async () => {
    // The ports here are not the defaults, so the printed file must be a matching copy.
    const file = /Under "Import settings" choose\s+(\S+)/.exec(output)?.[1];
    expect(file).toMatch(/demo-settings\.json$/);
    const written = JSON.parse(readFileSync(file ?? '', 'utf8'));
    const served = await (await fetch(`${origins.inbox}/settings.json`)).json();
    expect(served).toEqual(written);
    expect(written.recordSites[0].origin).toBe(origins.record);
    expect(written.linkWorkers[0].delivery.endpoint).toBe(endpoint);
    expect(written.offerFeeds[0].url).toBe(`${origins.museum}/offers.json`);
  });

  it('answers at every printed address, and the museum serves the built widget', async () => {
    for (const origin of Object.values(origins)) {
      const response = await fetch(`${origin}/`);
      expect(response.status, origin).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
    }
    const widget = await fetch(`${origins.museum}/linkwell-offers.js`);
    expect(widget.status).toBe(200);
    expect(await widget.text()).toBe(readFileSync('dist/widget/linkwell-offers.js', 'utf8'));
  });

  it('shows a record whose banner follows the patient chosen, without a page load', async () => {
    const page = await browser.newPage();
    await page.goto(`${origins.record}/`);
    const banner = page.getByRole('region', { name: 'Patient banner' });
    await expect.poll(() => banner.textContent()).toMatch(/SMITH, Jane \(Mrs\)/);
    const first = (await banner.textContent()) ?? '';
    expect(first).toMatch(/Born\s+12-Mar-1961/);
    expect(first).toMatch(/NHS No\.\s+999 526 0182/);
    await page.screenshot({ path: '.tmp/demo-record.png', fullPage: true });

    await page.evaluate(() => {
      (window as unknown as { stillHere: boolean }).stillHere = true;
    });
    await page.getByRole('button', { name: /Ravi Patel/ }).click();
    await expect.poll(() => banner.textContent()).toMatch(/PATEL, Ravi \(Mr\)/);
    const second = (await banner.textContent()) ?? '';
    expect(second).toMatch(/NHS No\.\s+999 802 2746/);
    expect(second).not.toMatch(/SMITH|999 526 0182/);
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    // One patient at a time: no other patient's NHS number anywhere on the page.
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text.match(/\d{3} \d{3} \d{4}/g)).toEqual(['999 802 2746']);
    await page.close();
  });

  it('accepts a valid referral, lists it readably, and lists a repeat of the same request once', async () => {
    const requestId = randomUUID();
    const bundle = message(fullReferral);
    const first = await post(endpoint, bundle, requestId);
    expect(first.status).toBe(200);
    const firstBody = await first.text();
    const acknowledgement = JSON.parse(firstBody);
    expect(acknowledgement.resourceType).toBe('Bundle');
    expect(acknowledgement.entry[0].resource.response.code).toBe('ok');

    const repeat = await post(endpoint, bundle, requestId);
    expect(repeat.status).toBe(200);
    expect(await repeat.text()).toBe(firstBody);

    const page = await browser.newPage();
    await page.goto(`${origins.inbox}/`);
    const referral = page.getByRole('article').filter({
      has: page.getByRole('heading', { name: 'OKAFOR, Grace Adaeze (Ms)' }),
    });
    await expect.poll(() => referral.count()).toBe(1);
    const details = await detailsOf(referral);
    expect(details['NHS number']).toBe('943 476 5919');
    expect(details.Reasons).toContain('Loneliness or isolation');
    expect(details['What matters to them']).toBe(
      'Seeing people most days; her garden; getting back to choir',
    );
    expect(details.Consent).toMatch(/^Given, 12 Mar 2025/);
    expect(details['Suggested offers']).toContain('Tuesday Singing for the Brain');
    expect(details.Validation).toBe('Valid FHIR R4 message');
    expect(details['Referred by']).toBe('Dr Amir Khan, Severnside Surgery, ODS L84001');
    expect(details.Attempts).toBe('2 (1 repeat given the same answer)');
    expect(details.Received).toMatch(/\d{2}:\d{2}:\d{2}/);
    await expect.poll(() => referral.getByText('Accepted', { exact: true }).count()).toBe(1);
    await page.screenshot({ path: '.tmp/demo-inbox.png', fullPage: true });
    await page.close();
  });

  it('shows a message’s text as text, never as markup', async () => {
    const hostile: Referral = {
      ...minimalReferral,
      id: randomUUID(),
      patient: {
        ...minimalReferral.patient,
        name: { family: 'HOSTILE', given: ['Test'], text: 'HOSTILE, <b>Test</b>' },
      },
      whatMatters: '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>',
    };
    expect((await post(endpoint, message(hostile))).status).toBe(200);
    const page = await browser.newPage();
    await page.goto(`${origins.inbox}/`);
    const referral = page.getByRole('article').filter({
      has: page.getByRole('heading', { name: 'HOSTILE, <b>Test</b>' }),
    });
    await expect.poll(() => referral.count()).toBe(1);
    expect((await detailsOf(referral))['What matters to them']).toBe(
      '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>',
    );
    expect(await referral.locator('b, img, script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await page.close();
  });

  it('answers 503 with Retry-After for the next N requests when told to, then accepts', async () => {
    const page = await browser.newPage();
    await page.goto(`${origins.inbox}/`);
    await page.getByLabel('Requests to fail').fill('2');
    await page.getByLabel('Retry-After (seconds)').fill('7');
    await page.getByRole('button', { name: 'Fail next requests' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'next 2 requests' }).count()).toBe(1);

    const requestId = randomUUID();
    const referral: Referral = { ...minimalReferral, id: randomUUID() };
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const response = await post(endpoint, message(referral), requestId);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('7');
      expect((await response.json()).resourceType).toBe('OperationOutcome');
    }
    const accepted = await post(endpoint, message(referral), requestId);
    expect(accepted.status).toBe(200);

    const state = await (await fetch(`${origins.inbox}/api/referrals`)).json();
    const entry = state.referrals.find((item: { requestId: string }) => item.requestId === requestId);
    expect(entry).toMatchObject({ attempts: 3, unavailableAnswers: 2, accepted: true });
    await page.reload();
    await expect.poll(() => page.getByText('3 (2 answered 503 first)').count()).toBe(1);
    await page.close();
  });

  it('refuses a bad message or a wrong token with an OperationOutcome', async () => {
    const notAMessage = await post(endpoint, { resourceType: 'Patient' });
    expect(notAMessage.status).toBe(400);
    const outcome = await notAMessage.json();
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0].diagnostics).toContain('not a FHIR Bundle');

    const broken = message(minimalReferral) as unknown as { entry: { resource: Record<string, unknown> }[] };
    const serviceRequest = broken.entry[1]?.resource;
    if (serviceRequest) serviceRequest.status = 'not-a-status';
    const invalid = await post(endpoint, broken);
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).issue[0].diagnostics).toMatch(/ServiceRequest\.status/);

    const notJson = await post(endpoint, '{ nope');
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).issue[0].diagnostics).toContain('not JSON');

    const wrongToken = await post(endpoint, message(minimalReferral), randomUUID(), 'wrong');
    expect(wrongToken.status).toBe(401);
    expect((await wrongToken.json()).resourceType).toBe('OperationOutcome');
  });

  it('has record and inbox pages with no WCAG 2.2 AA problems that axe finds', async () => {
    // The inbox's CSP rightly refuses injected scripts; axe is the test's own, so CSP is bypassed for it.
    const context = await browser.newContext({ bypassCSP: true });
    for (const url of [`${origins.record}/`, `${origins.inbox}/`]) {
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForLoadState('networkidle');
      await page.addScriptTag({ path: path.resolve('node_modules/axe-core/axe.min.js') });
      const violations = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: {
              run(root: Element, options: object): Promise<{ violations: { id: string; help: string }[] }>;
            };
          }
        ).axe;
        const result = await axe.run(document.documentElement, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
        });
        return result.violations.map((violation) => `${violation.id}: ${violation.help}`);
      });
      expect(violations, url).toEqual([]);
      await page.close();
    }
    await context.close();
  });

  it('lets a GP refer the demo patient from the record to the inbox, through a retry', async () => {
    const settings = await (await fetch(`${origins.inbox}/settings.json`)).json();
    const session = await launchWithExtension(await extensionGrantedLoopback('chrome-demo'));
    try {
      await seedSettings(session, settings);
      await waitForRecordScript(session);
      const record = await session.context.newPage();
      await record.goto(`${origins.record}/`);
      await record.getByRole('button', { name: /Grace Okafor/ }).click();
      await expect.poll(() => record.getByRole('button', { name: 'Refer to link worker' }).count()).toBe(1);

      const inbox = await session.context.newPage();
      await inbox.goto(`${origins.inbox}/`);
      await inbox.getByLabel('Requests to fail').fill('1');
      await inbox.getByLabel('Retry-After (seconds)').fill('1');
      await inbox.getByRole('button', { name: 'Fail next requests' }).click();
      await expect.poll(() => inbox.getByText('The next request will be answered 503').count()).toBe(1);

      const panel = await openPanel(session, await tabIdOf(session, record));
      await expect.poll(() => panel.getByText('OKAFOR, Grace Adaeze (Ms)').count()).toBeGreaterThan(0);
      await expect.poll(() => panel.getByText('999 650 2198').count()).toBeGreaterThan(0);
      await panel.getByRole('radio', { name: /^Severnside PCN link worker/ }).check();
      await fillReferral(panel, ['Bereavement', 'Loneliness or isolation']);
      await panel.getByRole('button', { name: 'Send referral' }).click();
      await expect.poll(() => outcome(panel).getByText('Queued', { exact: true }).isVisible()).toBe(true);
      await expect
        .poll(() => outcome(panel).getByText('Sent', { exact: true }).isVisible(), { timeout: 30_000 })
        .toBe(true);

      await inbox.bringToFront();
      const referral = inbox.getByRole('article').filter({
        has: inbox.getByRole('heading', { name: 'OKAFOR, Grace Adaeze (Ms)' }),
      });
      // The API test above sent Grace too; this one is the referral with the NHS number of the demo record.
      const fromRecord = referral.filter({ hasText: '999 650 2198' });
      await expect.poll(() => fromRecord.count(), { timeout: 10_000 }).toBe(1);
      const details = await detailsOf(fromRecord);
      expect(details.Reasons).toContain('Bereavement');
      expect(details.Attempts).toBe('2 (1 answered 503 first)');
      expect(details.Validation).toBe('Valid FHIR R4 message');
      expect(details.Consent).toMatch(/^Given/);
      await inbox.screenshot({ path: '.tmp/demo-inbox-from-panel.png', fullPage: true });
    } finally {
      await session.close();
    }
  });

  it('stops every server on Ctrl-C and frees its ports', async () => {
    expect(await demo.stop('SIGINT')).toBe(0);
    expect(demo.output()).toContain('Stopped');
    for (const port of Object.values(ports)) expect(await portIsFree(port), `port ${port}`).toBe(true);
    await expect(fetch(`${origins.record}/`)).rejects.toThrow();
  });

  it('says so when --open is asked for without a display, and still serves the demo', async () => {
    const headless = await startDemo({ args: ['--open'], env: { DISPLAY: '', WAYLAND_DISPLAY: '' } });
    try {
      expect(headless.output()).toContain('--open: there is no display here');
      expect((await fetch(`${headless.origins.record}/`)).status).toBe(200);
    } finally {
      expect(await headless.stop('SIGTERM')).toBe(0);
    }
  });
});

// `npm start -- --open` with a display. There is no screen here, so the browser is Chromium behind a
// small script that adds --headless: to the demo it is a browser on a display. The same trick stands in
// for branded Google Chrome 137+, which starts but ignores --load-extension.
describe('npm start -- --open', () => {
  let scripts = '';
  const demos: DemoProcess[] = [];
  const start = async (options: Parameters<typeof startDemo>[0]) => {
    const started = await startDemo(options);
    demos.push(started);
    return started;
  };
  const browserScript = (name: string, body: string) => {
    const file = path.join(scripts, name);
    writeFileSync(file, `#!/bin/bash\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  };
  const withDisplay = (chromePath: string) => ({
    CHROME_PATH: chromePath,
    DISPLAY: ':99',
    WAYLAND_DISPLAY: '',
  });

  beforeAll(() => {
    scripts = mkdtempSync(path.join(tmpdir(), 'linkwell-demo-browsers-'));
  });
  afterAll(() => {
    rmSync(scripts, { recursive: true, force: true });
  });
  // A failed test must not leave a demo or a browser running on a shared machine.
  afterEach(() => {
    for (const demo of demos.splice(0)) demo.killLeftovers();
  });

  it('opens Chromium with Linkwell and the demo settings, and Ctrl-C to npm start leaves nothing running', async () => {
    const chromium = browserScript('chromium-on-a-display', `exec ${chromiumPath()} --headless=new "$@"`);
    const started = await start({ viaNpm: true, args: ['--open'], env: withDisplay(chromium) });
    const output = started.output();
    expect(output).toContain('Chromium is open with Linkwell loaded');
    // The browser is there to be found, so "nothing left" below means it was stopped.
    expect((await started.leftRunning(0)).some((line) => /chromium/.test(line))).toBe(true);

    // Ctrl-C in a terminal signals the whole job: npm, its shell and the demo.
    await started.stop('SIGINT', { to: 'job' });
    expect(await started.leftRunning()).toEqual([]);
    expect(started.output()).toContain('Stopped. Nothing is left running.');
    for (const port of Object.values(started.ports))
      expect(await portIsFree(port), `port ${port}`).toBe(true);
    expect(started.errors()).not.toMatch(/^\s+at /m);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops the demo when npm alone is sent %s, so nothing is left running',
    async (signal) => {
      const started = await start({ viaNpm: true });
      // An IDE's stop button or a service manager signals npm only: npm passes SIGINT on to the demo it
      // execs, and on SIGTERM ends at once, which the demo notices.
      await started.stop(signal);
      expect(await started.leftRunning()).toEqual([]);
      expect(started.output()).toContain('Stopped. Nothing is left running.');
      for (const port of Object.values(started.ports))
        expect(await portIsFree(port), `port ${port}`).toBe(true);
    },
  );

  it('says what to do, and keeps serving, when the browser does not start', async () => {
    const started = await start({ args: ['--open'], env: withDisplay('/bin/false') });
    try {
      expect(started.output()).toContain('--open: the browser at /bin/false did not start');
      expect(started.output()).toContain('Chrome for Testing');
      expect(started.output()).toContain('Ready. Press Ctrl-C to stop.');
      expect(started.errors()).toBe('');
      expect((await fetch(`${started.origins.record}/`)).status).toBe(200);
      expect((await fetch(`${started.origins.inbox}/`)).status).toBe(200);
    } finally {
      expect(await started.stop('SIGINT')).toBe(0);
    }
    expect(await started.leftRunning()).toEqual([]);
  });

  it('says that Chrome 137+ ignores --load-extension when Linkwell does not load, and keeps serving', async () => {
    const brandedChrome = browserScript(
      'chrome-ignoring-load-extension',
      [
        'args=()',
        'for arg in "$@"; do',
        '  case "$arg" in --load-extension=*|--disable-extensions-except=*) ;; *) args+=("$arg") ;; esac',
        'done',
        `exec ${chromiumPath()} --headless=new "\${args[@]}"`,
      ].join('\n'),
    );
    const started = await start({ args: ['--open'], env: withDisplay(brandedChrome) });
    try {
      const output = started.output();
      expect(output).toContain(`--open: the browser at ${brandedChrome} started, but Linkwell did not load`);
      expect(output).toMatch(/Google Chrome 137 and later ignore\s+--load-extension/);
      expect(output).toContain('Chromium or Chrome for Testing');
      expect(started.errors()).toBe('');
      expect((await fetch(`${started.origins.record}/`)).status).toBe(200);
    } finally {
      expect(await started.stop('SIGINT')).toBe(0);
    }
    // The browser that was started is closed again, not left behind.
    expect(await started.leftRunning()).toEqual([]);
  });
});
