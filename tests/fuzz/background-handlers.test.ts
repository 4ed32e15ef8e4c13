import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Runtime } from 'webextension-polyfill';
import { mayAsk } from '../../src/background/sender-policy';
import { REASON_IDS } from '../../src/core/reasons';
import { parseReferral } from '../../src/core/referral';
import { parseSettings, type Settings } from '../../src/core/settings';
import { type BackgroundMessageName, backgroundMessages, type Reply } from '../../src/shared/messages';
import { type ActivityRecord, type OutboxEntry, openLinkwellDb } from '../../src/shared/outbox-db';
import { fullReferral, minimalReferral } from '../fixtures/referrals';
import { EXTENSION_ID, EXTENSION_ORIGIN, fakeBrowser, installFakeChrome } from './fake-extension';
import { validThenMutated } from './mutate';
import { FUZZ_RUNS } from './runs';

// The background's real message handlers (src/background/index.ts as the service worker runs it) on
// fake-indexeddb, with a fake link-worker system behind `fetch` and fake extension APIs: every message
// name gets valid requests, mutated ones and junk, from the right senders and the wrong ones. Every
// answer must be a Reply (a value the contract allows, or a problem in words), never a throw; nothing
// invalid may be stored, and nothing may be sent anywhere but a configured address.

vi.mock('webextension-polyfill', async () => ({ default: (await import('./fake-extension')).fakeBrowser }));

const SETTINGS = {
  version: 1,
  practice: { name: 'Severnside Surgery', odsCode: 'L84001' },
  linkWorkers: [
    {
      id: 'pcn-lw',
      name: 'Severnside PCN link worker',
      delivery: { method: 'fhir', endpoint: 'https://sp.example.org/fhir/$process-message', token: 't' },
    },
    { id: 'vcs', name: 'Community Connections', delivery: { method: 'email', to: 'connections@nhs.net' } },
  ],
  recordSites: [
    {
      origin: 'https://gp.example.nhs.uk',
      label: 'Clinical system',
      selectors: { nhsNumber: '#banner .nhs' },
    },
  ],
  offerFeeds: [],
  retentionDays: 30,
};
const settings = (() => {
  const parsed = parseSettings(SETTINGS);
  if (!parsed.ok) throw new Error('the fuzz settings must be valid');
  return parsed.settings as Settings;
})();

/** How the fake link-worker system answers, chosen by each run. */
type Mood = 'accept' | 'refuse' | 'unavailable' | 'unreachable' | 'redirect' | 'slow-body';
let mood: Mood = 'accept';
interface SentRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}
let sent: SentRequest[] = [];

async function fakeFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const headers = Object.fromEntries(new Headers(init.headers).entries());
  sent.push({ url: String(input), headers, body: typeof init.body === 'string' ? init.body : '' });
  switch (mood) {
    case 'accept':
      return new Response('{"resourceType":"Bundle","type":"message"}', { status: 200 });
    case 'refuse':
      return new Response(
        JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ diagnostics: 'Unknown NHS number' }] }),
        { status: 422 },
      );
    case 'unavailable':
      return new Response('busy', { status: 503, headers: { 'Retry-After': '120' } });
    case 'unreachable':
      throw new TypeError('Failed to fetch');
    case 'redirect':
      // What a `redirect: 'manual'` fetch gives for a 3xx: an opaque answer with nothing readable.
      return Object.defineProperty(new Response(null, { status: 200 }), 'type', { value: 'opaqueredirect' });
    case 'slow-body':
      return new Response(
        new ReadableStream({
          start(controller) {
            controller.error(new TypeError('network error'));
          },
        }),
        { status: 502 },
      );
  }
}

const TAB = { id: 7, index: 0, highlighted: true, active: true, pinned: false, incognito: false };
const PANEL = { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}src/panel/index.html?tabId=7` };
const OPTIONS = { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}src/options/index.html` };
const CONTENT = { id: EXTENSION_ID, url: 'https://gp.example.nhs.uk/record/42', tab: TAB };
/** Senders that must be refused for some names: another extension, a page without a tab, odd URLs. */
const wrongSenders = fc.oneof(
  fc.constant<Runtime.MessageSender>({ ...PANEL, id: 'another-extension' }),
  fc.constant<Runtime.MessageSender>({ id: EXTENSION_ID, url: 'https://gp.example.nhs.uk/' }),
  fc.constant<Runtime.MessageSender>({ id: EXTENSION_ID, url: 'https://evil.example/', tab: TAB }),
  fc.constant<Runtime.MessageSender>({ id: EXTENSION_ID }),
  fc.record({
    id: fc.constantFrom(EXTENSION_ID, ''),
    url: fc.webUrl(),
  }) as fc.Arbitrary<Runtime.MessageSender>,
);
const extensionPages = fc.constantFrom<Runtime.MessageSender>(PANEL, OPTIONS);
const contentScripts = fc.oneof(
  fc.constant<Runtime.MessageSender>(CONTENT),
  fc
    .record({ url: fc.oneof(fc.webUrl(), fc.constant('https://gp.example.nhs.uk/x')), tabId: fc.nat(50) })
    .map(({ url, tabId }) => ({ id: EXTENSION_ID, url, tab: { ...TAB, id: tabId } })),
);

/** Entries in every state, put back before each run so cancel, retry and edit meet each of them. */
const SEEDED: Record<OutboxEntry['status'], string> = {
  queued: '11111111-1111-4111-8111-111111111111',
  sending: '22222222-2222-4222-8222-222222222222',
  sent: '33333333-3333-4333-8333-333333333333',
  failed: '44444444-4444-4444-8444-444444444444',
  cancelled: '55555555-5555-4555-8555-555555555555',
  'needs-attention': '66666666-6666-4666-8666-666666666666',
};
const seededIds = Object.values(SEEDED);
const ids = fc.oneof(fc.constantFrom(...seededIds), fc.uuid({ version: 4 }), fc.string({ maxLength: 40 }));

function seededEntry(status: OutboxEntry['status'], id: string, now: number): OutboxEntry {
  return {
    id,
    referral: { ...fullReferral, id },
    status,
    destination: {
      method: 'fhir',
      endpoint: 'https://sp.example.org/fhir/$process-message',
      linkWorkerId: 'pcn-lw',
      linkWorkerName: 'Severnside PCN link worker',
    },
    correlationId: crypto.randomUUID(),
    attempts: 1,
    createdAt: now - 60_000,
    ...(status === 'queued' ? { nextAttemptAt: now + 3_600_000 } : {}),
    ...(status === 'sending' ? { leaseUntil: now + 3_600_000 } : {}),
    ...(status === 'failed' ? { lastProblem: 'Unknown NHS number', purgeAt: now + 86_400_000 } : {}),
    ...(status === 'sent' ? { deliveredAt: now - 1000, purgeAt: now + 86_400_000 } : {}),
  };
}

/** Valid requests for each message name, and who rightly sends them. */
const EXAMPLES: {
  [N in BackgroundMessageName]: {
    payload: fc.Arbitrary<unknown>;
    sender: fc.Arbitrary<Runtime.MessageSender>;
  };
} = {
  'panel-to-bg:send-referral': {
    payload: fc.record(
      {
        referral: fc
          .tuple(fc.constantFrom(fullReferral, minimalReferral), fc.uuid({ version: 4 }))
          .map(([referral, id]) => ({ ...referral, id })),
        replaces: fc.constantFrom(...seededIds),
      },
      { requiredKeys: ['referral'] },
    ),
    sender: extensionPages,
  },
  'panel-to-bg:cancel-referral': { payload: fc.record({ id: ids }), sender: extensionPages },
  'panel-to-bg:retry-referral': { payload: fc.record({ id: ids }), sender: extensionPages },
  'panel-to-bg:record-decline': {
    payload: fc.record(
      {
        id: fc.oneof(fc.uuid({ version: 4 }), fc.constantFrom(...seededIds)),
        reasons: fc.subarray([...REASON_IDS]),
        linkWorkerId: fc.constantFrom('pcn-lw', 'vcs'),
      },
      { requiredKeys: ['id', 'reasons'] },
    ),
    sender: extensionPages,
  },
  'ext-to-bg:list-referrals': {
    payload: fc.oneof(fc.record({ limit: fc.integer({ min: 1, max: 500 }) }), fc.constant({})),
    sender: extensionPages,
  },
  'ext-to-bg:get-referral': { payload: fc.record({ id: ids }), sender: extensionPages },
  'ext-to-bg:process-outbox': { payload: fc.constant({}), sender: extensionPages },
  'panel-to-bg:get-referral-to-edit': { payload: fc.record({ id: ids }), sender: extensionPages },
  'content-to-bg:open-panel': { payload: fc.constant({}), sender: contentScripts },
  'content-to-bg:get-record-site': { payload: fc.constant({}), sender: contentScripts },
  'options-to-bg:send-test-message': {
    payload: fc.record(
      {
        endpoint: fc.constantFrom(
          'https://sp.example.org/fhir/$process-message',
          'http://127.0.0.1:8080/fhir/$process-message',
          'https://other.example.nhs.uk/fhir',
        ),
        token: fc.string({ maxLength: 40 }),
        practiceName: fc.constantFrom('Severnside Surgery', ''),
      },
      { requiredKeys: ['endpoint'] },
    ),
    sender: fc.constant(OPTIONS),
  },
  'options-to-bg:activity': { payload: fc.constant({}), sender: fc.constant(OPTIONS) },
};

const NAMES = Object.keys(backgroundMessages) as BackgroundMessageName[];
const REFUSALS = ['Not allowed.', 'The request was not understood.'];
const tried = new Map<BackgroundMessageName, { inputs: number; reached: number }>();

/** A problem a GP or practice manager can read: words, not a JavaScript error. */
function isClearProblem(problem: unknown): boolean {
  return (
    typeof problem === 'string' &&
    problem.trim().length >= 10 &&
    !/undefined|\bnull\b|NaN|\[object|TypeError|ReferenceError|is not a function|Cannot read|Unexpected token/.test(
      problem,
    )
  );
}

const isLoopback = (host: string) => ['localhost', '127.0.0.1', '[::1]'].includes(host);

/** Everything in the database is what the product means to store: checked referrals, anonymous activity. */
async function checkStored(): Promise<void> {
  const db = await openLinkwellDb();
  for (const entry of await db.getAll('outbox')) {
    expect(Object.keys(SEEDED)).toContain(entry.status);
    if (entry.referral) {
      const again = parseReferral(entry.referral);
      expect(again.ok, `stored referral ${entry.id}`).toBe(true);
      expect(entry.referral.id).toBe(entry.id);
      const worker = settings.linkWorkers.find(
        (candidate) => candidate.id === entry.destination.linkWorkerId,
      );
      expect(worker, `link worker of ${entry.id}`).toBeDefined();
    }
  }
  const allowed = new Set(['id', 'at', 'month', 'outcome', 'reasons', 'linkWorkerId']);
  for (const record of (await db.getAll('activity')) as ActivityRecord[]) {
    for (const key of Object.keys(record)) expect(allowed.has(key), `activity key ${key}`).toBe(true);
    expect(record.month).toMatch(/^\d{4}-\d{2}$/);
    expect(JSON.stringify(record)).not.toMatch(/9434765919|9995260182|OKAFOR|SMITH/);
  }
}

/** Every request went to a configured (or, for a connection test, an allowed) address, as the contract says. */
async function checkSent(): Promise<void> {
  const requests = sent;
  sent = [];
  const db = await openLinkwellDb();
  for (const request of requests) {
    const url = new URL(request.url);
    expect(
      url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.host.replace(/:\d+$/, ''))),
    ).toBe(true);
    expect(request.headers['content-type']).toBe('application/fhir+json');
    const requestId = request.headers['x-request-id'] ?? '';
    const bundle = JSON.parse(request.body) as {
      resourceType?: string;
      identifier?: { value?: string };
      meta?: { security?: { code?: string }[] };
      entry?: { resource?: { resourceType?: string; identifier?: { value?: string }[] } }[];
    };
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.identifier?.value).toBe(`urn:uuid:${requestId}`);
    if (bundle.meta?.security?.some((label) => label.code === 'HTEST')) continue;
    // A referral: only to the endpoint fixed when it was queued, which is still the link worker's.
    expect(request.url).toBe('https://sp.example.org/fhir/$process-message');
    const entry = await db.get('outbox', requestId);
    if (!entry) continue; // cleared by a reset since it was sent
    expect(entry.destination.method === 'fhir' && entry.destination.endpoint).toBe(request.url);
    const patient = bundle.entry?.find((item) => item.resource?.resourceType === 'Patient')?.resource;
    if (entry.referral) expect(patient?.identifier?.[0]?.value).toBe(entry.referral.patient.nhsNumber);
  }
}

let listener: (message: unknown, sender: Runtime.MessageSender) => unknown;
let runs = 0;

beforeAll(async () => {
  installFakeChrome();
  vi.stubGlobal('fetch', fakeFetch);
  await fakeBrowser.storage.local.set({ settings: SETTINGS });
  await import('../../src/background/index');
  const listeners = [...fakeBrowser.runtime.onMessage.listeners];
  expect(listeners).toHaveLength(1);
  listener = listeners[0] as typeof listener;
});

beforeEach(() => {
  sent = [];
});

/** Puts the seeded entries back, and now and then empties the stores so they stay small. */
async function reset(): Promise<void> {
  const db = await openLinkwellDb();
  runs += 1;
  if (runs % 200 === 0) {
    await db.clear('outbox');
    await db.clear('activity');
  }
  const now = Date.now();
  for (const [status, id] of Object.entries(SEEDED)) {
    await db.put('outbox', seededEntry(status as OutboxEntry['status'], id, now));
  }
}

describe('the background’s real message handlers', () => {
  it.each(NAMES)('%s: answers every request with a Reply, stores and sends nothing invalid', async (name) => {
    const counts = { inputs: 0, reached: 0 };
    tried.set(name, counts);
    const example = EXAMPLES[name];
    const rightSender = example.sender;
    await fc.assert(
      fc.asyncProperty(
        validThenMutated(example.payload),
        fc.oneof({ weight: 6, arbitrary: rightSender }, { weight: 1, arbitrary: wrongSenders }),
        fc.constantFrom<Mood>(
          'accept',
          'accept',
          'refuse',
          'unavailable',
          'unreachable',
          'redirect',
          'slow-body',
        ),
        async (payload, sender, answerWith) => {
          await reset();
          mood = answerWith;
          counts.inputs += 1;
          const reaches =
            backgroundMessages[name].request.safeParse(payload).success &&
            mayAsk(name, sender, EXTENSION_ID, EXTENSION_ORIGIN);
          if (reaches) counts.reached += 1;

          let answer: unknown;
          expect(() => {
            answer = listener({ name, payload }, sender);
          }).not.toThrow();
          expect(answer).toBeInstanceOf(Promise);
          const reply = (await answer) as Reply<unknown>;
          expect(typeof reply.ok).toBe('boolean');
          if (!reaches) {
            expect(reply.ok).toBe(false);
            expect(REFUSALS).toContain(reply.ok ? '' : reply.problem);
          } else if (reply.ok) {
            const value = backgroundMessages[name].response.safeParse(reply.value);
            expect(value.success, `${name} answered ${JSON.stringify(reply.value)?.slice(0, 300)}`).toBe(
              true,
            );
            if (name === 'panel-to-bg:send-referral') {
              const answer = reply.value as { ok: boolean; problems?: { message: string }[] };
              if (!answer.ok)
                for (const problem of answer.problems ?? [])
                  expect(isClearProblem(problem.message)).toBe(true);
            }
          } else {
            expect(isClearProblem(reply.problem), `${name}: "${reply.problem}"`).toBe(true);
          }
          await checkStored();
          await checkSent();
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    // The property means nothing if almost nothing reached the handler.
    expect(counts.reached).toBeGreaterThan(counts.inputs / 5);
  });
});

afterAll(() => {
  for (const [name, { inputs, reached }] of tried)
    process.stdout.write(`fuzz: handler ${name}: ${inputs} inputs, ${reached} reached the handler\n`);
});
