import type { ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtensionSession, launchWithExtension } from './support/browser';
import { extensionGrantedLoopback, seedSettings, testSettings } from './support/extension';
import { type FhirReceiver, startFhirReceiver } from './support/fhir-receiver';
import {
  fillReferral,
  openPanel,
  outcome,
  RECORD_PAGES,
  tabIdOf,
  waitForRecordScript,
} from './support/panel';
import { startServer, type TestServer } from './support/static-server';

// A full referral, watched from outside: every console message of every page and of the service
// worker, storage.local and storage.sync, and every request any server on this machine received.
// The patient's identity may appear only in the extension's IndexedDB outbox and in the request to
// the link worker's endpoint.

/** The patient on tests/fixtures/record-pages/banner-nhs.html, in every form it might leak in. */
const IDENTIFIERS = [
  '9434765919',
  '943 476 5919',
  '943-476-5919',
  'SMITH',
  'Smith',
  '1961-03-12',
  '12-Mar-1961',
  '12 Mar 1961',
];
const leaks = (text: string) => IDENTIFIERS.filter((identifier) => text.includes(identifier));

interface Seen {
  where: string;
  text: string;
}

describe('patient data during a full referral', () => {
  let session: ExtensionSession;
  let receiver: FhirReceiver;
  let server: TestServer;
  const consoleMessages: Seen[] = [];
  const serverRequests: Seen[] = [];
  const pageRequests: Seen[] = [];
  let panel: Page;

  beforeAll(async () => {
    receiver = await startFhirReceiver();
    server = await startServer({
      root: RECORD_PAGES,
      routes: [
        (request) => {
          serverRequests.push({
            where: `record server ${request.method} ${request.url}`,
            text: `${request.url}`,
          });
          return false;
        },
        (request, response) => {
          if (request.url !== '/offers.json') return false;
          response.writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
          response.end(
            JSON.stringify({ contents: [{ id: 'walk', name: 'Riverside walk', status: 'active' }] }),
          );
          return true;
        },
      ],
    });
    session = await launchWithExtension(await extensionGrantedLoopback('chrome-privacy'));
    const record = (where: string) => (message: ConsoleMessage) =>
      consoleMessages.push({ where: `${where} console.${message.type()}`, text: message.text() });
    session.serviceWorker.on('console', record('service worker'));
    session.context.on('page', (page) => {
      page.on('console', record(page.url() || 'page'));
      page.on('request', (request) =>
        pageRequests.push({ where: `${request.method()} ${request.url()}`, text: request.url() }),
      );
    });
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

  it('refers the patient, and the link worker receives their identity', async () => {
    const recordPage = await session.context.newPage();
    await recordPage.goto(`${server.origin}/banner-nhs.html`);
    await recordPage.getByRole('button', { name: 'Refer to link worker' }).waitFor();
    panel = await openPanel(session, await tabIdOf(session, recordPage));
    await expect
      .poll(() => panel.getByRole('region', { name: 'Patient' }).textContent())
      .toContain('943 476 5919');
    await fillReferral(panel, ['Loneliness or isolation']);
    await panel.getByRole('button', { name: 'Send referral' }).click();
    await expect.poll(() => outcome(panel).getByText('Sent', { exact: true }).isVisible()).toBe(true);
    const [delivered] = await receiver.waitForRequests(1);
    expect(leaks(delivered?.body ?? '')).toContain('9434765919');
  });

  it('keeps the patient in the IndexedDB outbox', async () => {
    const outbox = await panel.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const open = indexedDB.open('linkwell');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const read = open.result.transaction('outbox').objectStore('outbox').getAll();
            read.onsuccess = () => resolve(JSON.stringify(read.result));
          };
        }),
    );
    expect(leaks(outbox)).toContain('9434765919');
  });

  it('puts the patient in no storage area', async () => {
    const stored = await session.serviceWorker.evaluate(async () =>
      JSON.stringify({
        local: await chrome.storage.local.get(null),
        sync: await chrome.storage.sync.get(null),
        session: await chrome.storage.session.get(null),
      }),
    );
    expect(stored).toContain('Severnside');
    expect(leaks(stored)).toEqual([]);
  });

  it('writes the patient to no console (and the console is really being watched)', async () => {
    await session.serviceWorker.evaluate(() => console.info('privacy-probe: service worker'));
    await panel.evaluate(() => console.info('privacy-probe: panel'));
    const probes = () =>
      new Set(
        consoleMessages.filter((message) => message.text.startsWith('privacy-probe')).map((m) => m.text),
      );
    await expect.poll(() => probes().size).toBe(2);
    expect(consoleMessages.filter((message) => leaks(message.text).length > 0)).toEqual([]);
  });

  it('sends the patient to no server but the link worker’s, and puts them in no URL', () => {
    expect(serverRequests.length).toBeGreaterThan(0);
    expect(pageRequests.length).toBeGreaterThan(0);
    expect([...serverRequests, ...pageRequests].filter((request) => leaks(request.text).length > 0)).toEqual(
      [],
    );
    for (const request of receiver.received) expect(leaks(request.path)).toEqual([]);
  });
});
