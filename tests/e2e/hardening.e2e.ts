import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullReferral } from '../fixtures/referrals';
import { type ExtensionSession, launchWithExtension } from './support/browser';
import { extensionGrantedLoopback, seedSettings, testSettings } from './support/extension';
import { type FhirReceiver, startFhirReceiver } from './support/fhir-receiver';
import { tabIdOf } from './support/panel';
import { startServer, type TestServer } from './support/static-server';

// Who may talk to the extension: web pages not at all, content scripts only through their own
// messages, and no other site may frame the extension's pages.

describe('the extension’s boundaries with web pages', () => {
  let session: ExtensionSession;
  let receiver: FhirReceiver;
  let site: TestServer;

  beforeAll(async () => {
    receiver = await startFhirReceiver();
    site = await startServer({
      routes: [
        (request, response) => {
          response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          response.end(
            request.url === '/frame.html'
              ? `<!doctype html><title>Framer</title><iframe id="f" title="panel"></iframe>`
              : `<!doctype html><title>Record</title><main><h1>Patient record</h1></main>`,
          );
          return true;
        },
      ],
    });
    session = await launchWithExtension(await extensionGrantedLoopback('chrome-hardening'));
    await seedSettings(session, testSettings({ recordOrigin: site.origin, fhirEndpoint: receiver.endpoint }));
  });
  afterAll(async () => {
    await session?.close();
    await receiver?.close();
    await site?.close();
  });

  it('gives a web page no way to message the extension', async () => {
    const page = await session.context.newPage();
    await page.goto(`${site.origin}/record.html`);
    const reachable = await page.evaluate((id) => {
      const runtime = (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime;
      if (typeof runtime?.sendMessage !== 'function') return 'no runtime';
      try {
        (runtime.sendMessage as (id: string, message: unknown) => void)(id, {
          name: 'ext-to-bg:list-referrals',
          payload: {},
        });
        return 'sent';
      } catch {
        return 'refused';
      }
    }, session.extensionId);
    expect(reachable).not.toBe('sent');
    await page.close();
  });

  it('keeps the settings and their access tokens out of a content script’s reach', async () => {
    const page = await session.context.newPage();
    await page.goto(`${site.origin}/record.html`);
    const tabId = await tabIdOf(session, page);
    // The extension's own pages still read the settings: the token is there to be kept from the page.
    const stored = await session.serviceWorker.evaluate(async () =>
      JSON.stringify(await chrome.storage.local.get(null)),
    );
    expect(stored).toContain('test-token');
    // What a content script subverted by the page could do with storage (its isolated world).
    const [injection] = await session.serviceWorker.evaluate(
      (tab) =>
        chrome.scripting.executeScript({
          target: { tabId: tab },
          func: async () => {
            const read = async (area: 'local' | 'sync') => {
              try {
                return JSON.stringify(await chrome.storage[area].get(null));
              } catch (error) {
                return `refused: ${(error as Error).message}`;
              }
            };
            return { local: await read('local'), sync: await read('sync') };
          },
        }),
      tabId,
    );
    expect(injection?.result).toEqual({
      local: expect.stringMatching(/^refused: /),
      sync: expect.stringMatching(/^refused: /),
    });
    await page.close();
  });

  it('refuses a referral sent from a content script, and sends nothing', async () => {
    const page = await session.context.newPage();
    await page.goto(`${site.origin}/record.html`);
    const tabId = await tabIdOf(session, page);
    // A content script that has been subverted by the page: it runs with the extension's messaging.
    const [injection] = await session.serviceWorker.evaluate(
      ({ tab, referral }) =>
        chrome.scripting.executeScript({
          target: { tabId: tab },
          func: (payload) => chrome.runtime.sendMessage({ name: 'panel-to-bg:send-referral', payload }),
          args: [{ referral }],
        }),
      { tab: tabId, referral: { ...fullReferral, id: crypto.randomUUID() } },
    );
    expect(injection?.result).toEqual({ ok: false, problem: 'Not allowed.' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received).toHaveLength(0);
    await page.close();
  });

  it('cannot be framed by another site', async () => {
    const page = await session.context.newPage();
    await page.goto(`${site.origin}/frame.html`);
    await page.evaluate((id) => {
      (document.getElementById('f') as HTMLIFrameElement).src =
        `chrome-extension://${id}/src/panel/index.html`;
    }, session.extensionId);
    await page.waitForTimeout(1000);
    const framed = page.frames().find((frame) => frame.url().startsWith('chrome-extension://'));
    const heading = framed
      ? await framed
          .locator('h1')
          .count()
          .catch(() => 0)
      : 0;
    expect(heading).toBe(0);
    await page.close();
  });
});
