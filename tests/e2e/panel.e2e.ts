import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtensionSession, launchWithExtension } from './support/browser';
import { extensionGrantedLoopback, seedSettings, testSettings } from './support/extension';
import { type FhirReceiver, type ReceivedRequest, startFhirReceiver } from './support/fhir-receiver';
import {
  fillReferral,
  openPanel,
  outcome,
  RECORD_PAGES,
  tabIdOf,
  waitForRecordScript,
} from './support/panel';
import { startServer, type TestServer } from './support/static-server';

// A GP refers a patient from the panel, end to end: record page → panel → outbox → the link worker's
// FHIR endpoint on loopback, with the receiver's faults, a stopped service worker and a restarted
// browser. What the receiver got is checked, not what the panel was told.

const FEED = {
  contents: [
    {
      id: 'singing',
      name: 'Tuesday Singing for the Brain',
      status: 'active',
      organization: { name: 'Stroud Museum in the Park' },
      url: 'https://museum.example.org/singing',
    },
    {
      id: 'walk',
      name: 'Bereavement walk and talk',
      status: 'active',
      organization: { name: 'Healthy Living Centre' },
    },
  ],
};

interface Resource {
  resourceType: string;
  [key: string]: unknown;
}
function resourcesOf(request: ReceivedRequest | undefined): Resource[] {
  const bundle = request?.json as { entry?: { resource: Resource }[] } | undefined;
  return bundle?.entry?.map((entry) => entry.resource) ?? [];
}
function resource(request: ReceivedRequest | undefined, type: string): Record<string, unknown> {
  const found = resourcesOf(request).find((each) => each.resourceType === type);
  if (!found) throw new Error(`no ${type} in the bundle`);
  return found;
}
const requestsFor = (receiver: FhirReceiver, id: string) =>
  receiver.received.filter((request) => request.headers['x-request-id'] === id);

/** Runs the outbox now, as an alarm or a restart would, from an extension page. */
async function runOutboxNow(page: Page): Promise<void> {
  await page.evaluate(() => chrome.runtime.sendMessage({ name: 'ext-to-bg:process-outbox', payload: {} }));
}

/** The referral as the outbox stores it. */
async function storedStatus(page: Page, id: string): Promise<string | undefined> {
  const reply = (await page.evaluate(
    (wanted) => chrome.runtime.sendMessage({ name: 'ext-to-bg:get-referral', payload: { id: wanted } }),
    id,
  )) as { ok: boolean; value?: { status: string } | null };
  return reply.value?.status;
}

/** axe-core's WCAG 2.2 AA violations on the page (the panel's CSP refuses inline scripts, as it should). */
async function axeViolations(page: Page, axeSource: string): Promise<string[]> {
  // DevTools evaluation is not subject to the page's CSP.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: { run: (root: Element, options: object) => Promise<{ violations: { id: string }[] }> };
      }
    ).axe.run(document.body, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((violation) => violation.id);
  });
}

describe('referring from the panel', () => {
  let session: ExtensionSession;
  let receiver: FhirReceiver;
  let server: TestServer;
  let extensionDir: string;
  let record: Page;
  let panel: Page;
  let axeSource: string;

  beforeAll(async () => {
    receiver = await startFhirReceiver();
    server = await startServer({
      root: RECORD_PAGES,
      routes: [
        (request, response) => {
          if (request.url !== '/offers.json') return false;
          response.writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
          response.end(JSON.stringify(FEED));
          return true;
        },
      ],
    });
    axeSource = await readFile(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');
    extensionDir = await extensionGrantedLoopback('chrome-panel');
    session = await launchWithExtension(extensionDir);
    await seedPanelSettings();
    await waitForRecordScript(session);
    record = await session.context.newPage();
    await record.goto(`${server.origin}/banner-nhs.html`);
    await record.getByRole('button', { name: 'Refer to link worker' }).waitFor();
  });
  afterAll(async () => {
    await session?.close();
    await receiver?.close();
    await server?.close();
  });

  /** The settings these tests run with: the record page, the receiver (or `fhirEndpoint`) and the feed. */
  async function seedPanelSettings(fhirEndpoint = receiver.endpoint): Promise<void> {
    await seedSettings(
      session,
      testSettings({ recordOrigin: server.origin, fhirEndpoint, feedUrl: `${server.origin}/offers.json` }),
    );
  }

  /** A fresh panel for the record page's tab, as the button opens it. */
  async function panelForRecord(): Promise<Page> {
    await panel?.close();
    panel = await openPanel(session, await tabIdOf(session, record));
    await expect
      .poll(() => panel.getByRole('region', { name: 'Patient' }).textContent())
      .toContain('943 476 5919');
    return panel;
  }

  /** Presses Send referral and waits for the outcome to show `status` (Sent, Queued, Failed…). */
  async function sendAndSee(status: string): Promise<void> {
    await panel.getByRole('button', { name: 'Send referral' }).click();
    await expect.poll(() => outcome(panel).getByText(status, { exact: true }).isVisible()).toBe(true);
  }

  /** The id the receiver saw for the newest referral. */
  const newestId = (before: number) =>
    receiver.received.slice(before).at(-1)?.headers['x-request-id'] as string;

  it('sends a detected patient’s referral as valid FHIR with the right patient, reasons and consent', async () => {
    await panelForRecord();
    const before = receiver.received.length;
    await fillReferral(panel, ['Loneliness or isolation', 'Bereavement']);
    await panel.getByLabel('What matters to the person (optional)').fill('Getting back to choir');
    await panel.getByLabel('Search community offers').fill('singing');
    await panel.getByRole('checkbox', { name: /Tuesday Singing for the Brain/ }).check();
    await sendAndSee('Sent');

    const [request] = await receiver.waitForRequests(before + 1).then((all) => all.slice(before));
    expect(request?.fhirProblems).toEqual([]);
    const patient = resource(request, 'Patient');
    expect(patient.identifier).toEqual([
      expect.objectContaining({ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765919' }),
    ]);
    expect(patient.birthDate).toBe('1961-03-12');
    expect(JSON.stringify(patient.name)).toContain('SMITH');
    const serviceRequest = resource(request, 'ServiceRequest');
    expect((serviceRequest.reasonCode as { text: string }[]).map((reason) => reason.text)).toEqual([
      'Loneliness or isolation',
      'Bereavement',
    ]);
    expect(JSON.stringify(serviceRequest)).toContain('Tuesday Singing for the Brain');
    expect(resource(request, 'Consent').status).toBe('active');

    // The code to record, with its copy button.
    expect(await outcome(panel).getByText('871731000000106').isVisible()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Copy code 871731000000106' }).isVisible()).toBe(true);
  });

  it('sends one referral on a double click', async () => {
    await panelForRecord();
    const before = receiver.received.length;
    await fillReferral(panel, ['Housing']);
    await panel.getByRole('button', { name: 'Send referral' }).dblclick();
    await expect.poll(() => outcome(panel).getByText('Sent', { exact: true }).isVisible()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const id = newestId(before);
    expect(receiver.received.slice(before)).toHaveLength(1);
    expect(requestsFor(receiver, id)).toHaveLength(1);
  });

  it('shows Queued after a 503, then Sent, with the same request id on both attempts', async () => {
    await panelForRecord();
    const before = receiver.received.length;
    receiver.script({ kind: 'unavailable', retryAfterSeconds: 1 });
    await fillReferral(panel, ['Money or debt']);
    await sendAndSee('Queued');
    await expect
      .poll(() => outcome(panel).getByText('Sent', { exact: true }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    const ours = requestsFor(receiver, newestId(before));
    expect(ours).toHaveLength(2);
    const identifiers = ours.map(
      (request) => (request.json as { identifier: { value: string } }).identifier.value,
    );
    expect(new Set(identifiers).size).toBe(1);
  });

  it('shows Failed with the receiver’s reason, and sends an edited copy as a new referral', async () => {
    await panelForRecord();
    const before = receiver.received.length;
    receiver.script({ kind: 'refuse', status: 422, diagnostics: 'Patient is not registered with this PCN' });
    await fillReferral(panel, ['Carer support']);
    await sendAndSee('Failed');
    expect(await outcome(panel).textContent()).toContain('Patient is not registered with this PCN');
    const failedId = newestId(before);

    await outcome(panel).getByRole('button', { name: 'Edit and send again' }).click();
    expect(await panel.getByRole('checkbox', { name: 'Carer support', exact: true }).isChecked()).toBe(true);
    await panel
      .getByLabel('Risks the link worker should know about (optional)')
      .fill('Registered at Severnside since March');
    await panel.getByRole('checkbox', { name: /consent/ }).check();
    await sendAndSee('Sent');
    const editedId = newestId(before);
    expect(editedId).not.toBe(failedId);
    expect(requestsFor(receiver, failedId)).toHaveLength(1);
    const recent = panel.getByRole('region', { name: 'Recent referrals' });
    await expect.poll(() => recent.getByText('Sent again after editing.').count()).toBe(1);
  });

  it('queues when the connection drops, and delivers on a later attempt', async () => {
    await panelForRecord();
    const before = receiver.received.length;
    receiver.script({ kind: 'drop' });
    await fillReferral(panel, ['Work or learning']);
    await panel.getByRole('button', { name: 'Send referral' }).click();
    await expect
      .poll(() => outcome(panel).getByText('Sent', { exact: true }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    expect(requestsFor(receiver, newestId(before))).toHaveLength(2);
  });

  /** Sends a referral that the receiver puts off for ten minutes; returns its id once it shows Queued. */
  async function sendQueued(reason: string): Promise<string> {
    const before = receiver.received.length;
    receiver.script({ kind: 'unavailable', retryAfterSeconds: 600 });
    await fillReferral(panel, [reason]);
    await sendAndSee('Queued');
    return newestId(before);
  }
  const recentList = () => panel.getByRole('region', { name: 'Recent referrals' });
  const newestInList = () => recentList().getByRole('listitem').first();

  it('cancels a queued referral from the list: stored as Cancelled, and never sent however the outbox runs', async () => {
    await panelForRecord();
    const id = await sendQueued('Physical inactivity');
    await newestInList()
      .getByRole('button', { name: /^Cancel referral/ })
      .click();
    await expect.poll(() => newestInList().getByText('Cancelled', { exact: true }).isVisible()).toBe(true);
    expect(await storedStatus(panel, id)).toBe('cancelled');
    // Run the outbox as an alarm would: a cancel that did nothing would be sent now.
    await runOutboxNow(panel);
    await runOutboxNow(panel);
    expect(requestsFor(receiver, id)).toHaveLength(1);
    // The outcome view follows what the list did.
    await expect.poll(() => outcome(panel).getByText('Cancelled', { exact: true }).isVisible()).toBe(true);
  });

  it('tries a queued referral again now from the list, with the same request id', async () => {
    await panelForRecord();
    const id = await sendQueued('Money or debt');
    await newestInList()
      .getByRole('button', { name: /^Try again now/ })
      .click();
    await expect.poll(() => newestInList().getByText('Sent', { exact: true }).isVisible()).toBe(true);
    expect(requestsFor(receiver, id)).toHaveLength(2);
    expect(await storedStatus(panel, id)).toBe('sent');
  });

  it('edits a failed referral from the list and sends it as a new one', async () => {
    await panelForRecord();
    const before = receiver.received.length;
    receiver.script({ kind: 'refuse', status: 422, diagnostics: 'Unknown practice code' });
    await fillReferral(panel, ['Housing']);
    await sendAndSee('Failed');
    const failedId = newestId(before);
    await newestInList()
      .getByRole('button', { name: /^Edit and send again/ })
      .click();
    await expect
      .poll(() => panel.getByRole('heading', { name: 'Edit and send the referral again' }).isVisible())
      .toBe(true);
    expect(await panel.getByRole('checkbox', { name: 'Housing', exact: true }).isChecked()).toBe(true);
    await panel.getByRole('checkbox', { name: /consent/ }).check();
    await sendAndSee('Sent');
    const editedId = newestId(before);
    expect(editedId).not.toBe(failedId);
    expect(requestsFor(receiver, failedId)).toHaveLength(1);
    expect(requestsFor(receiver, editedId)).toHaveLength(1);
    await expect.poll(() => recentList().getByText('Sent again after editing.').count()).toBeGreaterThan(0);
  });

  it('asks again when the link worker’s address changed after Send, and sends only the edited copy there', async () => {
    const moved = await startFhirReceiver();
    try {
      await panelForRecord();
      const oldId = await sendQueued('Bereavement');
      await seedPanelSettings(moved.endpoint);
      // The next attempt finds the address changed: nothing goes anywhere, and the GP is asked.
      await newestInList()
        .getByRole('button', { name: /^Try again now/ })
        .click();
      await expect
        .poll(() => outcome(panel).getByText('Needs your attention', { exact: true }).isVisible())
        .toBe(true);
      expect(
        await outcome(panel)
          .getByRole('button', { name: /^Copy code/ })
          .count(),
      ).toBe(0);
      await outcome(panel).getByRole('button', { name: 'Edit and send again' }).click();
      await expect
        .poll(() => panel.getByRole('heading', { name: 'Edit and send the referral again' }).isVisible())
        .toBe(true);
      expect(await panel.getByRole('checkbox', { name: 'Bereavement', exact: true }).isChecked()).toBe(true);
      await panel.getByRole('checkbox', { name: /consent/ }).check();
      await sendAndSee('Sent');
      const [copy] = moved.received;
      const copyId = String(copy?.headers['x-request-id']);
      expect(copyId).not.toBe(oldId);
      expect(resource(copy, 'Patient').identifier).toEqual([
        expect.objectContaining({ value: '9434765919' }),
      ]);
      // The old one is retired, never sent as a second referral, whatever runs the outbox.
      expect(await storedStatus(panel, oldId)).toBe('cancelled');
      await runOutboxNow(panel);
      expect(requestsFor(receiver, oldId)).toHaveLength(1);
      expect(requestsFor(moved, oldId)).toHaveLength(0);
      expect(moved.received).toHaveLength(1);
    } finally {
      await seedPanelSettings();
      await moved.close();
    }
  });

  it('refers the patient shown at the top when the same NHS number is typed again with another date of birth', async () => {
    await panel?.close();
    panel = await openPanel(session, undefined);
    const before = receiver.received.length;
    const typeIn = async (birthDate: string) => {
      await panel.getByLabel('NHS number').fill('943 476 5919');
      await panel.getByLabel('Patient’s name').fill('Jane Smith');
      await panel.getByLabel('Date of birth').fill(birthDate);
      await panel.getByRole('button', { name: 'Use these details' }).click();
    };
    await typeIn('12/03/1916');
    const patient = panel.getByRole('region', { name: 'Patient' });
    await expect.poll(() => patient.textContent()).toContain('12 Mar 1916');
    await panel.getByRole('checkbox', { name: 'Loneliness or isolation', exact: true }).check();
    await panel.getByRole('button', { name: 'Change patient' }).click();
    await typeIn('12/03/1961');
    await expect.poll(() => patient.textContent()).toContain('12 Mar 1961');
    expect(await panel.getByRole('alert').first().textContent()).toMatch(/details changed.*check them/);
    await fillReferral(panel, []);
    await sendAndSee('Sent');
    const [request] = receiver.received.slice(before);
    expect(resource(request, 'Patient').birthDate).toBe('1961-03-12');
  });

  it('refers a typed-in patient from a pasted banner line, with no record page', async () => {
    await panel?.close();
    panel = await openPanel(session, undefined);
    const before = receiver.received.length;
    await panel
      .getByLabel('Paste the patient banner line (optional)')
      .fill('OKAFOR, Grace Adaeze (Ms)  Born 02-Nov-1948  NHS No. 999 526 0182');
    await panel.getByRole('button', { name: 'Read pasted line' }).click();
    expect(await panel.getByLabel('NHS number').inputValue()).toBe('999 526 0182');
    await panel.getByRole('button', { name: 'Use these details' }).click();
    const patient = panel.getByRole('region', { name: 'Patient' });
    await expect.poll(() => patient.textContent()).toContain('OKAFOR, Grace Adaeze (Ms)');
    expect(await patient.textContent()).toContain('02 Nov 1948');
    await fillReferral(panel, ['Low mood or anxiety']);
    await sendAndSee('Sent');
    const [request] = receiver.received.slice(before);
    expect(resource(request, 'Patient').identifier).toEqual([
      expect.objectContaining({ value: '9995260182' }),
    ]);
    expect(resource(request, 'Patient').birthDate).toBe('1948-11-02');
  });

  it('refers a typed-in patient, and the receiver gets that patient', async () => {
    await panel?.close();
    panel = await openPanel(session, undefined);
    const before = receiver.received.length;
    await panel.getByLabel('NHS number').fill('999 526 0182');
    await panel.getByLabel('Patient’s name').fill('Alun Jones');
    await panel.getByLabel('Date of birth').fill('31/01/1950');
    await panel.getByRole('button', { name: 'Use these details' }).click();
    await expect
      .poll(() => panel.getByRole('region', { name: 'Patient' }).textContent())
      .toContain('JONES, Alun');
    await fillReferral(panel, ['Other']);
    await panel.getByRole('button', { name: 'Send referral' }).click();
    // "Other" needs words: the error summary says so and links to the field.
    const summary = panel.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.getByRole('link', { name: 'Say what the other reason is.' }).click();
    expect(await panel.evaluate(() => document.activeElement?.id)).toBe('other-reason');
    await panel.getByLabel('Other reason').fill('Noisy neighbour, not sleeping');
    await sendAndSee('Sent');
    const received = receiver.received.slice(before);
    expect(received).toHaveLength(1);
    const patient = resource(received[0], 'Patient');
    expect(patient.identifier).toEqual([
      expect.objectContaining({ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9995260182' }),
    ]);
    expect(patient.birthDate).toBe('1950-01-31');
    expect(patient.name).toEqual([expect.objectContaining({ given: ['Alun'] })]);
    expect(JSON.stringify(patient.name)).toMatch(/JONES|Jones/);
    expect(JSON.stringify(resource(received[0], 'ServiceRequest'))).toContain(
      'Noisy neighbour, not sleeping',
    );
  });

  it('records a decline without sending, and shows its code', async () => {
    await panelForRecord();
    const before = receiver.received.length;
    await panel.getByRole('checkbox', { name: 'Loneliness or isolation', exact: true }).check();
    await panel.getByRole('button', { name: 'Patient declined' }).click();
    await expect.poll(() => panel.getByText('871711000000103').isVisible()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Copy code 871711000000103' }).isVisible()).toBe(true);
    expect(receiver.received.slice(before)).toHaveLength(0);
  });

  it('has no accessibility violations (axe-core): form, problems, outcome and typed-patient entry', async () => {
    await panelForRecord();
    expect(await axeViolations(panel, axeSource)).toEqual([]);
    await panel.getByRole('button', { name: 'Send referral' }).click();
    await expect.poll(() => panel.getByText('There is a problem').isVisible()).toBe(true);
    expect(await axeViolations(panel, axeSource)).toEqual([]);
    await fillReferral(panel, ['Loneliness or isolation']);
    await sendAndSee('Sent');
    expect(await axeViolations(panel, axeSource)).toEqual([]);

    await panel.close();
    panel = await openPanel(session, undefined);
    await panel.getByRole('button', { name: 'Use these details' }).click();
    await expect.poll(() => panel.getByText('There is a problem').isVisible()).toBe(true);
    expect(await axeViolations(panel, axeSource)).toEqual([]);
  });

  it('never leaves the focused field hidden under the patient header (WCAG 2.4.11)', async () => {
    await panelForRecord();
    await panel.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await panel.getByRole('button', { name: 'Send referral' }).focus();
    const hidden: string[] = [];
    // Backwards through the form: each field scrolls in from above, where the sticky header is.
    for (let step = 0; step < 40; step += 1) {
      await panel.keyboard.press('Shift+Tab');
      const overlap = await panel.evaluate(() => {
        const header = document.querySelector('.patient-summary')?.getBoundingClientRect();
        const active = document.activeElement;
        if (!header || !active || active === document.body) return undefined;
        const box = active.getBoundingClientRect();
        return box.top < header.bottom - 1 ? `${active.id || active.textContent?.trim()}` : '';
      });
      if (overlap === undefined) break;
      if (overlap) hidden.push(overlap);
    }
    expect(hidden).toEqual([]);
  });

  it('sends to an email link worker: the referral goes by the clipboard, the email link holds no patient data', async () => {
    const email = {
      ...testSettings({ recordOrigin: server.origin, fhirEndpoint: receiver.endpoint }),
      linkWorkers: [
        {
          id: 'vcs',
          name: 'Community Connections',
          organisation: 'For All Healthy Living Centre',
          delivery: { method: 'email' as const, to: 'connections@nhs.net' },
        },
      ],
    };
    await seedSettings(session, email);
    try {
      await panelForRecord();
      const before = receiver.received.length;
      await fillReferral(panel, ['Carer support']);
      await panel.getByRole('button', { name: 'Send referral' }).click();
      await expect
        .poll(() => outcome(panel).getByText('Email written', { exact: true }).isVisible())
        .toBe(true);
      expect(await outcome(panel).textContent()).toContain(
        'The referral is copied: paste it into the email that opened, then send it.',
      );
      // The mailto: link: address and subject only, nothing that identifies the patient.
      const href =
        (await outcome(panel)
          .getByRole('link', { name: /Open the email/ })
          .getAttribute('href')) ?? '';
      expect(href).toMatch(/^mailto:connections%40nhs\.net\?subject=/);
      expect(decodeURIComponent(href)).not.toMatch(/9434765919|943 476 5919|SMITH|Jane|1961/);
      // The clipboard, and the same text to copy or print, carry the patient.
      // Read back from a web page: the browser grants no clipboard permission to an extension origin.
      await session.context.grantPermissions(['clipboard-read'], { origin: server.origin });
      const reader = await session.context.newPage();
      await reader.goto(`${server.origin}/no-patient.html`);
      const clipboard = await reader.evaluate(() => navigator.clipboard.readText());
      await reader.close();
      for (const text of [clipboard, await outcome(panel).locator('pre.referral-text').textContent()]) {
        expect(text).toContain('943 476 5919');
        expect(text).toContain('SMITH, Jane (Mrs)');
        expect(text).toContain('12 Mar 1961');
      }
      expect(await outcome(panel).getByRole('button', { name: 'Copy referral text' }).isVisible()).toBe(true);
      expect(await outcome(panel).getByRole('button', { name: 'Print referral' }).isVisible()).toBe(true);
      // The code to record comes once the GP says the email went.
      const copyCode = outcome(panel).getByRole('button', { name: 'Copy code 871731000000106' });
      expect(await copyCode.count()).toBe(0);
      await outcome(panel).getByRole('button', { name: 'I have sent the email' }).click();
      expect(await copyCode.isVisible()).toBe(true);
      expect(receiver.received.slice(before)).toHaveLength(0);
    } finally {
      await seedPanelSettings();
    }
  });

  it('screenshots the panel beside the record page', async () => {
    await panelForRecord();
    await fillReferral(panel, ['Loneliness or isolation', 'Bereavement']);
    await record.setViewportSize({ width: 900, height: 900 });
    await record.screenshot({ path: '/tmp/linkwell-record-page.png' });
    await panel.evaluate(() => window.scrollTo(0, 0));
    await panel.screenshot({ path: '/tmp/linkwell-panel.png' });
    await panel.screenshot({ path: '/tmp/linkwell-panel-full.png', fullPage: true });
    // One picture: the record on the left, the panel on the right, as the GP sees them.
    const composer = await session.context.newPage();
    await composer.setViewportSize({ width: 1300, height: 900 });
    const left = (await readFile('/tmp/linkwell-record-page.png')).toString('base64');
    const right = (await readFile('/tmp/linkwell-panel.png')).toString('base64');
    await composer.setContent(
      `<body style="margin:0;display:flex"><img src="data:image/png;base64,${left}"><img style="border-left:2px solid #888" src="data:image/png;base64,${right}"></body>`,
    );
    await composer.screenshot({ path: '/tmp/linkwell-panel-beside-record.png' });
    await composer.close();
    // And after sending: the status and the code to record.
    await sendAndSee('Sent');
    await panel.evaluate(() => window.scrollTo(0, 0));
    await panel.screenshot({ path: '/tmp/linkwell-panel-sent.png' });
  });

  it('delivers a queued referral after the service worker was stopped', async () => {
    await panelForRecord();
    const before = receiver.received.length;
    receiver.script({ kind: 'unavailable', retryAfterSeconds: 3 });
    await fillReferral(panel, ['Long-term condition support']);
    await sendAndSee('Queued');
    const id = newestId(before);
    const cdp = await session.context.newCDPSession(record);
    const workerRunning = async () =>
      (await cdp.send('Target.getTargets')).targetInfos.some(
        (target) =>
          target.type === 'service_worker' &&
          target.url.startsWith(`chrome-extension://${session.extensionId}/`),
      );
    expect(await workerRunning()).toBe(true);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    // Really stopped before the delivery is checked: only the alarm can wake it now.
    await expect.poll(workerRunning, { timeout: 10_000 }).toBe(false);
    await expect.poll(() => requestsFor(receiver, id).length, { timeout: 30_000 }).toBe(2);
    await expect
      .poll(() => outcome(panel).getByText('Sent', { exact: true }).isVisible(), { timeout: 10_000 })
      .toBe(true);
  });

  it('delivers a queued referral after the browser restarts with the same profile', async () => {
    await panelForRecord();
    const before = receiver.received.length;
    receiver.script({ kind: 'unavailable', retryAfterSeconds: 2 });
    await fillReferral(panel, ['Housing']);
    await sendAndSee('Queued');
    const id = newestId(before);
    const userDataDir = session.userDataDir;
    await session.close({ keepProfile: true });
    const closedAt = Date.now();
    expect(requestsFor(receiver, id)).toHaveLength(1);

    session = await launchWithExtension(extensionDir, { userDataDir });
    await expect.poll(() => requestsFor(receiver, id).length, { timeout: 30_000 }).toBe(2);
    const [first, second] = requestsFor(receiver, id);
    if (!first || !second) throw new Error('expected two attempts');
    expect(second.at).toBeGreaterThan(closedAt);
    const identifier = (request: ReceivedRequest) => (request.json as { identifier: unknown }).identifier;
    expect(identifier(second)).toEqual(identifier(first));
    panel = await openPanel(session, undefined);
    const recent = panel.getByRole('region', { name: 'Recent referrals' });
    await expect.poll(() => recent.getByRole('listitem').first().textContent()).toContain('Sent');
  });
});
