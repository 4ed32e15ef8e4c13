import type { Page, Request } from 'playwright-core';
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

// A full referral, watched from outside: every console message and error of every page and of the
// service worker, every storage area, every IndexedDB store, and every request the browser made (the
// service worker's too), URL, headers and body. The patient's identity may appear only in the
// extension's IndexedDB outbox and in the request to the link worker's endpoint.

/** The patient on tests/fixtures/record-pages/banner-nhs.html, in every form it might leak in. */
const IDENTIFIERS = [
  '9434765919',
  '943 476 5919',
  '943-476-5919',
  '943%20476%205919',
  'SMITH',
  'Smith',
  'smith',
  'Jane',
  'JANE',
  '1961-03-12',
  '12-Mar-1961',
  '12 Mar 1961',
  '12 March 1961',
  '12/03/1961',
  '12-03-1961',
  '19610312',
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
  const browserRequests: Request[] = [];
  let panel: Page;

  beforeAll(async () => {
    receiver = await startFhirReceiver();
    server = await startServer({
      root: RECORD_PAGES,
      routes: [
        (request) => {
          serverRequests.push({
            where: `record server ${request.method} ${request.url}`,
            text: `${request.url} ${JSON.stringify(request.headers)}`,
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
    // Context-wide: pages, the side panel page and the extension's service worker alike.
    session.context.on('request', (request) => browserRequests.push(request));
    session.context.on('console', (message) =>
      consoleMessages.push({
        where: `${message.worker()?.url() ?? message.page()?.url() ?? 'unknown'} console.${message.type()}`,
        text: `${message.text()} ${JSON.stringify(message.location())}`,
      }),
    );
    session.context.on('weberror', (error) =>
      consoleMessages.push({ where: `${error.page()?.url() ?? 'page'} error`, text: String(error.error()) }),
    );
    session.context.on('page', (page) =>
      page.on('pageerror', (error) =>
        consoleMessages.push({ where: `${page.url()} pageerror`, text: `${error.message} ${error.stack}` }),
      ),
    );
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
    await expect.poll(() => panel.getByText('Riverside walk').count()).toBeGreaterThan(0);
    await panel.getByRole('checkbox', { name: 'Riverside walk' }).check();
    await fillReferral(panel, ['Loneliness or isolation']);
    await panel.getByRole('button', { name: 'Send referral' }).click();
    await expect.poll(() => outcome(panel).getByText('Sent', { exact: true }).isVisible()).toBe(true);
    const [delivered] = await receiver.waitForRequests(1);
    expect(leaks(delivered?.body ?? '')).toEqual(expect.arrayContaining(['9434765919', 'SMITH', 'Jane']));
    // The panel's list of recent referrals shows whose referral it was (from the outbox).
    await expect
      .poll(() => panel.getByRole('region', { name: 'Recent referrals' }).textContent())
      .toContain('943 476 5919');
  });

  it('keeps the patient in the IndexedDB outbox', async () => {
    const outbox = await session.serviceWorker.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const open = indexedDB.open('linkwell');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const read = open.result.transaction('outbox').objectStore('outbox').getAll();
            read.onsuccess = () => {
              resolve(JSON.stringify(read.result));
              open.result.close();
            };
          };
        }),
    );
    expect(leaks(outbox)).toContain('9434765919');
  });

  it('puts the patient in no other IndexedDB store or database', async () => {
    const stores = await session.serviceWorker.evaluate(async () => {
      const found: { store: string; rows: number; text: string }[] = [];
      for (const { name } of await indexedDB.databases()) {
        if (!name) continue;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open(name);
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        for (const store of db.objectStoreNames) {
          if (name === 'linkwell' && store === 'outbox') continue;
          const rows = await new Promise<unknown[]>((resolve, reject) => {
            const read = db.transaction(store).objectStore(store).getAll();
            read.onsuccess = () => resolve(read.result);
            read.onerror = () => reject(read.error);
          });
          found.push({ store: `${name}/${store}`, rows: rows.length, text: JSON.stringify(rows) });
        }
        db.close();
      }
      return found;
    });
    // The anonymous activity store is there, and holds this referral's record.
    expect(stores.find((store) => store.store === 'linkwell/activity')?.rows).toBeGreaterThan(0);
    expect(stores.filter((store) => leaks(store.text).length > 0).map((store) => store.store)).toEqual([]);
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
    // The offer cache is there too: public listings, no patient.
    expect(stored).toContain('Riverside walk');
    expect(leaks(stored)).toEqual([]);
    const pageStorage = await panel.evaluate(() =>
      JSON.stringify({
        local: { ...localStorage },
        session: { ...sessionStorage },
        cookies: document.cookie,
      }),
    );
    expect(leaks(pageStorage)).toEqual([]);
  });

  it('writes the patient to no console (and every console is really being watched)', async () => {
    await session.serviceWorker.evaluate(() => console.info('privacy-probe: service worker'));
    await panel.evaluate(() => console.info('privacy-probe: panel'));
    const probes = () =>
      new Set(
        consoleMessages.filter((message) => message.text.startsWith('privacy-probe')).map((m) => m.where),
      );
    await expect.poll(() => probes().size).toBe(2);
    expect(consoleMessages.filter((message) => leaks(message.text).length > 0)).toEqual([]);
  });

  it('sends the patient to no server but the link worker’s: no URL, header or body holds them', async () => {
    // The service worker's requests are seen too: its POST to the link worker is among them.
    const toLinkWorker = browserRequests.filter(
      (request) => request.method() === 'POST' && request.url() === receiver.endpoint,
    );
    expect(toLinkWorker).toHaveLength(1);
    expect(toLinkWorker[0]?.serviceWorker()?.url()).toMatch(/^chrome-extension:\/\//);
    expect(browserRequests.some((request) => request.url().endsWith('/offers.json'))).toBe(true);
    expect(serverRequests.length).toBeGreaterThan(0);

    const others = browserRequests.filter((request) => !toLinkWorker.includes(request));
    expect(others.length).toBeGreaterThan(2);
    const seen: Seen[] = [];
    for (const request of others) {
      const headers = await request.allHeaders().catch(() => request.headers());
      seen.push({
        where: `${request.method()} ${request.url()}`,
        text: `${request.url()}\n${JSON.stringify(headers)}\n${request.postData() ?? ''}`,
      });
    }
    expect([...serverRequests, ...seen].filter((request) => leaks(request.text).length > 0)).toEqual([]);
    // The link worker's request carries the patient in its body only: not in its URL or headers.
    for (const request of receiver.received) {
      expect(leaks(`${request.path} ${JSON.stringify(request.headers)}`)).toEqual([]);
    }
  });
});
