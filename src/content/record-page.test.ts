// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecordReading } from '../shared/messages';

// The record-page script following a single-page app: readings of the page come after it settles, and
// at the latest MAX_WAIT_MS after a change however busy the page stays.

const broadcasts: RecordReading[] = [];
/** What the background says of this page's site: one of the practice's record sites, or (null) not. */
const background: { recordSite: { label: string } | null } = { recordSite: { label: 'Clinical system' } };
vi.mock('webextension-polyfill', () => ({
  default: {
    runtime: {
      id: 'linkwell',
      getURL: (path: string) => `chrome-extension://linkwell/${path}`,
      sendMessage: async (message: { name: string; reading?: RecordReading }) => {
        if (message.name === 'content-to-ext:patient-changed' && message.reading)
          broadcasts.push(message.reading);
        if (message.name === 'content-to-bg:get-record-site')
          return { ok: true, value: background.recordSite };
        return undefined;
      },
      onMessage: { addListener: () => {}, removeListener: () => {} },
    },
  },
}));

const { init, MAX_WAIT_MS, SETTLE_MS, startRecordPage } = await import('./record-page');

const banner = (nhs: string) =>
  `<header class="banner">SMITH, Jane (Mrs)  NHS No. <b id="nhs">${nhs}</b></header>`;
let controller: AbortController;

beforeEach(() => {
  vi.useFakeTimers();
  broadcasts.length = 0;
  controller = new AbortController();
});
afterEach(() => {
  controller.abort();
  vi.useRealTimers();
  document.body.innerHTML = '';
});

/** Lets the observer's callback run, then moves the clock on. */
async function wait(ms: number) {
  await Promise.resolve();
  await vi.advanceTimersByTimeAsync(ms);
}

describe('following a record page as it changes', () => {
  it('reads the new patient within MAX_WAIT_MS on a page that never goes quiet', async () => {
    document.body.innerHTML = `${banner('943 476 5919')}<p id="clock">10:00:00</p>`;
    startRecordPage(document, undefined, controller.signal);
    expect(broadcasts.at(-1)?.patient).toMatchObject({ patient: { nhsNumber: '9434765919' } });

    // A clock that ticks more often than the page could ever be quiet for SETTLE_MS.
    const clock = document.getElementById('clock');
    const ticking = setInterval(() => {
      if (clock) clock.textContent = `10:00:${Math.random()}`;
    }, SETTLE_MS / 3);
    const nhs = document.getElementById('nhs');
    if (nhs) nhs.textContent = '999 526 0182';
    // Read within about half a second of the change, clock or no clock.
    expect(MAX_WAIT_MS).toBeLessThanOrEqual(500);
    for (let elapsed = 0; elapsed < 600; elapsed += 10) await wait(10);
    clearInterval(ticking);
    expect(broadcasts.at(-1)?.patient).toMatchObject({ patient: { nhsNumber: '9995260182' } });
  });

  it('numbers its readings in order, each stamped with the same page and script', async () => {
    document.body.innerHTML = banner('943 476 5919');
    startRecordPage(document, undefined, controller.signal);
    const nhs = document.getElementById('nhs');
    if (nhs) nhs.textContent = '999 526 0182';
    await wait(SETTLE_MS + 10);
    expect(broadcasts.map((reading) => reading.seq)).toEqual([1, 2]);
    expect(new Set(broadcasts.map((reading) => `${reading.page}/${reading.instance}`)).size).toBe(1);
  });
});

describe('a record page whose site is taken out of the settings while its tab is open', () => {
  it('stops reading, and takes its button away, when the GP comes back to the tab', async () => {
    background.recordSite = { label: 'Clinical system' };
    document.body.innerHTML = banner('943 476 5919');
    await init(controller.signal);
    await wait(0);
    expect(document.querySelector('linkwell-refer')).not.toBeNull();

    background.recordSite = null;
    document.dispatchEvent(new Event('visibilitychange'));
    await wait(0);
    expect(document.querySelector('linkwell-refer')).toBeNull();
    // Nothing is read any more: the page changing patient is not broadcast.
    const before = broadcasts.length;
    const nhs = document.getElementById('nhs');
    if (nhs) nhs.textContent = '999 526 0182';
    await wait(MAX_WAIT_MS + 10);
    expect(broadcasts).toHaveLength(before);
  });
});
