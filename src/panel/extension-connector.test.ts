import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecordReading } from '../shared/messages';

// The extension connector against a stand-in for the browser: the tab's record-page script answers the
// panel's question, and broadcasts a change, and the test decides in which order they arrive.

type Listener = (message: unknown, sender: { id?: string; tab?: { id: number } }) => unknown;
const runtimeListeners = new Set<Listener>();
let answerQuestion: (reading: RecordReading) => void = () => {};
const ignored = { addListener: () => {}, removeListener: () => {} };

vi.mock('webextension-polyfill', () => ({
  default: {
    runtime: {
      id: 'linkwell',
      onMessage: {
        addListener: (listener: Listener) => runtimeListeners.add(listener),
        removeListener: (listener: Listener) => runtimeListeners.delete(listener),
      },
    },
    tabs: {
      // The record page's script answers when the test says, as a busy page would.
      sendMessage: () =>
        new Promise((resolve) => {
          answerQuestion = resolve;
        }),
      onUpdated: ignored,
      onRemoved: ignored,
      onActivated: ignored,
    },
    windows: { getCurrent: async () => ({ id: 1 }) },
  },
}));

const { createExtensionConnector } = await import('./extension-connector');

const TAB = 7;
const jane = { state: 'patient', patient: { nhsNumber: '9434765919' } } as const;
const grace = { state: 'patient', patient: { nhsNumber: '9995260182' } } as const;
const reading = (seq: number, patient: RecordReading['patient']): RecordReading => ({
  page: 1_000,
  instance: 'script-1',
  seq,
  patient,
});
function broadcast(changed: RecordReading, tabId = TAB) {
  for (const listener of runtimeListeners) {
    listener(
      { name: 'content-to-ext:patient-changed', reading: changed },
      { id: 'linkwell', tab: { id: tabId } },
    );
  }
}
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => runtimeListeners.clear());

describe('the panel’s view of the tab’s patient', () => {
  it('ignores the answer to its question when a newer change was broadcast first', async () => {
    const connector = createExtensionConnector(`?tabId=${TAB}`);
    const seen: unknown[] = [];
    connector.onTabPatientChanged((patient) => seen.push(patient));
    const asked = connector.tabPatient();
    await flush();
    // The page moved to Grace and said so; the answer about Jane, sent just before, arrives after.
    broadcast(reading(2, grace));
    await flush();
    answerQuestion(reading(1, jane));
    expect(await asked).toEqual(grace);
    expect(seen).toEqual([grace]);
  });

  it('ignores a broadcast older than one already shown', async () => {
    const connector = createExtensionConnector(`?tabId=${TAB}`);
    const seen: unknown[] = [];
    connector.onTabPatientChanged((patient) => seen.push(patient));
    broadcast(reading(3, grace));
    broadcast(reading(2, jane));
    await flush();
    expect(seen).toEqual([grace]);
  });

  it('ignores another tab’s patient', async () => {
    const connector = createExtensionConnector(`?tabId=${TAB}`);
    const seen: unknown[] = [];
    connector.onTabPatientChanged((patient) => seen.push(patient));
    broadcast(reading(1, grace), TAB + 1);
    await flush();
    expect(seen).toEqual([]);
  });
});
