// @vitest-environment happy-dom
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Runtime } from 'webextension-polyfill';
import { startRecordPage } from '../../src/content/record-page';
import { parseReferral } from '../../src/core/referral';
import { createExtensionConnector } from '../../src/panel/extension-connector';
import {
  askBackground,
  type BackgroundMessageName,
  backgroundMessages,
  outboxItemSchema,
  recordPatientSchema,
  recordReadingSchema,
} from '../../src/shared/messages';
import { fullReferral } from '../fixtures/referrals';
import { EXTENSION_ID, EXTENSION_ORIGIN, fakeBrowser, runtimeReply } from './fake-extension';
import { validThenMutated } from './mutate';
import { FUZZ_RUNS } from './runs';

// The other side of every message: what the panel, options page and record-page script do with what
// arrives. askBackground's reply check, the panel's listeners (outbox changes, the tab's patient), the
// panel's reading of a content script's answer and of a stored referral, and the record-page script's
// answer to the panel. Whatever arrives, each gives a checked value or a problem and never throws.

vi.mock('webextension-polyfill', async () => ({ default: (await import('./fake-extension')).fakeBrowser }));

const tried = new Map<string, { inputs: number; accepted: number }>();
function counter(boundary: string) {
  const counts = { inputs: 0, accepted: 0 };
  tried.set(boundary, counts);
  return counts;
}

const item = {
  id: fullReferral.id,
  status: 'failed',
  method: 'fhir',
  linkWorkerName: 'Severnside PCN link worker',
  createdAt: 1_741_771_800_000,
  attempts: 2,
  problem: 'Unknown NHS number',
  patient: { name: 'Grace OKAFOR', nhsNumber: '9434765919', birthDate: '1948-11-02' },
  reasons: ['loneliness'],
};
const patient = {
  state: 'patient',
  patient: {
    nhsNumber: '9434765919',
    name: { family: 'OKAFOR', given: ['Grace'], prefix: 'Ms', text: 'OKAFOR, Grace (Ms)' },
    birthDate: '1948-11-02',
  },
};
/** One stamped reading of a record page, as its script answers and broadcasts it. */
const reading = { page: 1_741_771_800_000, instance: 'page-script-1', seq: 0, patient };

/** A valid answer the background could give to each name (what a mutation starts from). */
const ANSWERS: { [N in BackgroundMessageName]: unknown } = {
  'panel-to-bg:send-referral': { ok: true, item },
  'panel-to-bg:cancel-referral': { cancelled: true, item: { ...item, status: 'cancelled' } },
  'panel-to-bg:retry-referral': null,
  'panel-to-bg:record-decline': { recorded: true },
  'ext-to-bg:list-referrals': [item, { ...item, id: 'b', status: 'queued', nextAttemptAt: 1 }],
  'ext-to-bg:get-referral': item,
  'ext-to-bg:process-outbox': { processed: 3 },
  'panel-to-bg:get-referral-to-edit': fullReferral,
  'content-to-bg:open-panel': { opened: true },
  'content-to-bg:get-record-site': { label: 'Clinical system', selectors: { nhsNumber: '#banner .nhs' } },
  'options-to-bg:send-test-message': { outcome: 'refused', status: 401, message: 'Refused (HTTP 401).' },
  'options-to-bg:activity': [
    { month: '2025-03', outcome: 'sent', reasons: ['loneliness'], linkWorkerId: 'pcn-lw' },
  ],
};
const NAMES = Object.keys(backgroundMessages) as BackgroundMessageName[];

/** What `runtime.sendMessage` may come back with: a reply, a mutated one, junk, or a rejection. */
const rawReplies = (name: BackgroundMessageName) =>
  fc.oneof(
    { weight: 8, arbitrary: validThenMutated(fc.constant({ ok: true, value: ANSWERS[name] })) },
    { weight: 1, arbitrary: validThenMutated(fc.constant({ ok: false, problem: 'Something in words.' })) },
    { weight: 1, arbitrary: fc.constant<'reject'>('reject') },
  );

const senders = fc.oneof(
  fc.constant<Runtime.MessageSender>({ id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}src/panel/index.html` }),
  fc.constant<Runtime.MessageSender>({
    id: EXTENSION_ID,
    url: 'https://gp.example.nhs.uk/record',
    tab: { id: 3, index: 0, highlighted: true, active: true, pinned: false, incognito: false },
  }),
  fc
    .record({ id: fc.constantFrom(EXTENSION_ID, 'another-extension'), url: fc.webUrl(), tabId: fc.nat(5) })
    .map(({ id, url, tabId }) => ({
      id,
      url,
      tab: { id: tabId, index: 0, highlighted: true, active: true, pinned: false, incognito: false },
    })),
  fc.anything({ maxDepth: 1 }).map((junk) => (typeof junk === 'object' && junk !== null ? junk : {})),
) as fc.Arbitrary<Runtime.MessageSender>;

/** Listeners added to `runtime.onMessage` while `register` runs. */
function listenersAddedBy(register: () => void) {
  const before = new Set(fakeBrowser.runtime.onMessage.listeners);
  register();
  return [...fakeBrowser.runtime.onMessage.listeners].filter((listener) => !before.has(listener));
}

describe('askBackground: the reply of the background, as a page receives it', () => {
  it.each(NAMES)('%s: a checked value or a problem, never a throw', async (name) => {
    const counts = counter(`askBackground ${name}`);
    await fc.assert(
      fc.asyncProperty(rawReplies(name), async (raw) => {
        counts.inputs += 1;
        runtimeReply.next = () =>
          raw === 'reject' ? Promise.reject(new Error('gone')) : Promise.resolve(raw);
        const reply = await askBackground(name, {} as never);
        if (reply.ok) {
          counts.accepted += 1;
          expect(backgroundMessages[name].response.safeParse(reply.value).success).toBe(true);
        } else {
          // The background's own words, or Linkwell's when there are none: never blank.
          expect(reply.problem.trim().length).toBeGreaterThan(0);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
    expect(counts.accepted).toBeGreaterThan(0);
  });

  it('gives words for a refusal that came without any (found by this fuzz at 10,000 runs)', async () => {
    runtimeReply.next = () => Promise.resolve({ ok: false, problem: ' ' });
    const reply = await askBackground('ext-to-bg:list-referrals', { limit: 5 });
    expect(reply).toEqual({
      ok: false,
      problem: 'Linkwell’s background service could not do that. Try again in a moment.',
    });
  });
});

describe('the panel’s receivers', () => {
  const connector = createExtensionConnector('?tabId=3');

  it('reads a stored referral to edit as a checked referral or a problem', async () => {
    const counts = counter('panel: referral to edit');
    await fc.assert(
      fc.asyncProperty(rawReplies('panel-to-bg:get-referral-to-edit'), async (raw) => {
        counts.inputs += 1;
        runtimeReply.next = () =>
          raw === 'reject' ? Promise.reject(new Error('gone')) : Promise.resolve(raw);
        const reply = await connector.referralToEdit(fullReferral.id);
        if (reply.ok && reply.value !== null) {
          counts.accepted += 1;
          expect(parseReferral(reply.value).ok).toBe(true);
        } else if (!reply.ok) {
          expect(reply.problem.trim().length).toBeGreaterThan(0);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
    expect(counts.accepted).toBeGreaterThan(0);
  });

  it('reads the record page’s answer as a checked patient, or as no page', async () => {
    const counts = counter('panel: tab patient');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(validThenMutated(fc.constant(reading)), fc.constant<'reject'>('reject')),
        async (raw) => {
          counts.inputs += 1;
          fakeBrowser.tabs.sendMessage = () =>
            raw === 'reject' ? Promise.reject(new Error('No receiver')) : Promise.resolve(raw);
          const seen = await connector.tabPatient();
          if (seen.state === 'no-page') return;
          counts.accepted += 1;
          expect(recordPatientSchema.safeParse(seen).success).toBe(true);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    expect(counts.accepted).toBeGreaterThan(0);
  });

  it('takes outbox changes and patient changes only when checked, from this extension, for its own tab', async () => {
    const counts = counter('panel: runtime.onMessage');
    const items: unknown[] = [];
    const patients: unknown[] = [];
    const added = listenersAddedBy(() => {
      connector.onOutboxChanged((changed) => items.push(changed));
      connector.onTabPatientChanged((changed) => patients.push(changed));
    });
    expect(added).toHaveLength(2);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          validThenMutated(fc.constant({ name: 'bg-to-ext:outbox-changed', item })),
          validThenMutated(fc.constant({ name: 'content-to-ext:patient-changed', reading })),
        ),
        senders,
        async (message, sender) => {
          counts.inputs += 1;
          items.length = 0;
          patients.length = 0;
          for (const listener of added) {
            // A listener that returned a value would answer the sender in the browser's place.
            expect(listener(message as never, sender as never)).toBe(undefined);
          }
          await new Promise((resolve) => setTimeout(resolve, 0));
          if (items.length + patients.length > 0) counts.accepted += 1;
          for (const changed of items) {
            expect(sender.id).toBe(EXTENSION_ID);
            expect(outboxItemSchema.safeParse(changed).success).toBe(true);
          }
          for (const changed of patients) {
            expect(sender.id).toBe(EXTENSION_ID);
            expect(sender.tab?.id).toBe(3);
            expect(recordPatientSchema.safeParse(changed).success).toBe(true);
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    expect(counts.accepted).toBeGreaterThan(0);
  });
});

/**
 * happy-dom has no XPath. detect.ts asks one question of it, `.//text()[contains(., 'NHS')]`: this
 * answers that question (the text nodes under a root that contain a string) and no other.
 */
function installTextXPath(): void {
  const query = /^\.\/\/text\(\)\[contains\(\., '([^']+)'\)\]$/;
  (globalThis as unknown as { XPathResult: unknown }).XPathResult = { ORDERED_NODE_SNAPSHOT_TYPE: 7 };
  document.evaluate = ((expression: string, root: Node) => {
    const wanted = query.exec(expression)?.[1];
    if (wanted === undefined) throw new Error(`no stand-in for the XPath ${expression}`);
    const found: Node[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if ((node as Text).data.includes(wanted)) found.push(node);
    }
    return { snapshotLength: found.length, snapshotItem: (index: number) => found[index] ?? null };
  }) as unknown as Document['evaluate'];
}

describe('the record-page script’s answer to the panel', () => {
  let answerPanel: (message: unknown, sender: Runtime.MessageSender) => unknown;
  const stop = new AbortController();

  beforeAll(() => {
    installTextXPath();
    document.body.innerHTML =
      '<header id="banner"><span>OKAFOR, Grace (Ms)</span> <span>Born 02-Nov-1948</span> <span>NHS No. 943 476 5919</span></header>';
    const added = listenersAddedBy(() => startRecordPage(document, undefined, stop.signal));
    expect(added).toHaveLength(1);
    answerPanel = added[0] as typeof answerPanel;
  });
  afterAll(() => stop.abort());

  it('answers only this extension’s pages, only their question, with a checked patient', async () => {
    const counts = counter('record page: answerPanel');
    await fc.assert(
      fc.asyncProperty(
        validThenMutated(fc.constant({ name: 'panel-to-content:get-patient' })),
        senders,
        async (message, sender) => {
          counts.inputs += 1;
          let answer: unknown;
          expect(() => {
            answer = answerPanel(message, sender);
          }).not.toThrow();
          if (answer === undefined) return;
          counts.accepted += 1;
          expect(sender.id).toBe(EXTENSION_ID);
          expect(sender.url?.startsWith(EXTENSION_ORIGIN)).toBe(true);
          const value = await answer;
          expect(recordReadingSchema.safeParse(value).success).toBe(true);
          expect(value).toMatchObject({
            patient: { state: 'patient', patient: { nhsNumber: '9434765919' } },
          });
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    expect(counts.accepted).toBeGreaterThan(0);
  });
});

afterAll(() => {
  for (const [boundary, { inputs, accepted }] of tried)
    process.stdout.write(`fuzz: ${boundary}: ${inputs} inputs, ${accepted} taken as valid\n`);
});
