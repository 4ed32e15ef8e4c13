import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Runtime } from 'webextension-polyfill';
import { mayAsk } from '../../src/background/sender-policy';
import {
  answerMessage,
  type BackgroundMessageName,
  backgroundMessages,
  type Handlers,
} from '../../src/shared/messages';
import { count, FUZZ_RUNS, tried } from './runs';

// The polyfill refuses to load outside an extension; the boundary under test does not use it.
vi.mock('webextension-polyfill', () => ({ default: {} }));

const EXTENSION_ID = 'lmfkmlimgkpalpbmipadgohcipbcnnmh';
const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}/`;
const NAMES = Object.keys(backgroundMessages) as BackgroundMessageName[];

/**
 * Handlers that only record what reached them: each call must carry a payload its schema accepts. This
 * file tests the boundary itself; background-handlers.test.ts fuzzes the real handlers behind it.
 */
const reached: { name: BackgroundMessageName; payload: unknown }[] = [];
const handlers = Object.fromEntries(
  NAMES.map((name) => [
    name,
    (payload: unknown) => {
      reached.push({ name, payload });
      return null;
    },
  ]),
) as unknown as Handlers;

const policy = (name: BackgroundMessageName, sender: Runtime.MessageSender) =>
  mayAsk(name, sender, EXTENSION_ID, EXTENSION_ORIGIN);

const senders = fc.oneof(
  fc.constant<Runtime.MessageSender>({ id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}src/panel/index.html` }),
  fc.constant<Runtime.MessageSender>({
    id: EXTENSION_ID,
    url: 'https://gp.example.nhs.uk/record',
    tab: { id: 3, index: 0, highlighted: true, active: true, pinned: false, incognito: false },
  }),
  fc.record({ id: fc.string(), url: fc.webUrl() }) as fc.Arbitrary<Runtime.MessageSender>,
);
const names = fc.oneof(
  fc.constantFrom(...NAMES),
  fc.constantFrom('toString', '__proto__', 'constructor', 'hasOwnProperty', 'bg-to-ext:outbox-changed'),
  fc.string(),
);
const envelopes = fc.oneof(
  fc.record({ name: names, payload: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({ name: names, payload: fc.anything({ maxDepth: 2 }) }),
  fc.anything({ maxDepth: 2 }),
);

describe('the background’s message boundary', () => {
  it('answers anything at all with a reply, or ignores it, and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(envelopes, senders, async (raw, sender) => {
        count('messages');
        reached.length = 0;
        const answer = answerMessage(raw, sender, handlers, policy);
        if (answer === undefined) return;
        const reply = await answer;
        expect(typeof reply.ok).toBe('boolean');
        if (!reply.ok) expect(reply.problem.length).toBeGreaterThan(0);
        for (const call of reached) {
          expect(backgroundMessages[call.name].request.safeParse(call.payload).success).toBe(true);
          expect(policy(call.name, sender)).toBe(true);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('answers a handler that throws an error without a message with words, not a blank', async () => {
    const throwing = {
      ...handlers,
      'ext-to-bg:list-referrals': () => Promise.reject(new Error('')),
    } as Handlers;
    const reply = await answerMessage(
      { name: 'ext-to-bg:list-referrals', payload: {} },
      { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}src/panel/index.html` },
      throwing,
      policy,
    );
    expect(reply).toEqual({ ok: false, problem: 'Something went wrong.' });
  });

  it('ignores names inherited from Object', () => {
    for (const name of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      expect(
        answerMessage({ name, payload: {} }, { id: EXTENSION_ID, url: EXTENSION_ORIGIN }, handlers, policy),
      ).toBe(undefined);
    }
  });

  it('lets a content script ask only content-to-bg messages, and only from a tab', () => {
    const tab = { id: 3, index: 0, highlighted: true, active: true, pinned: false, incognito: false };
    const contentScript = { id: EXTENSION_ID, url: 'https://gp.example.nhs.uk/', tab };
    const page = { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}src/panel/index.html` };
    for (const name of NAMES) {
      expect(policy(name, contentScript), name).toBe(name.startsWith('content-to-bg:'));
      expect(policy(name, page), name).toBe(!name.startsWith('content-to-bg:'));
      expect(policy(name, { ...page, id: 'another-extension' }), name).toBe(false);
    }
    expect(
      policy('content-to-bg:get-record-site', { id: EXTENSION_ID, url: 'https://gp.example.nhs.uk/' }),
    ).toBe(false);
  });

  it('has a handler for every message in the map', () => {
    // The background registers one handler per name; a name without one would fail to compile there.
    expect(NAMES.length).toBeGreaterThan(10);
    for (const name of NAMES) expect(name).toMatch(/^(panel|ext|content|options)-to-bg:[a-z-]+$/);
  });
});

afterAll(() => {
  if (process.env.FUZZ_RUNS) {
    for (const [boundary, inputs] of tried)
      process.stdout.write(`fuzz: ${boundary}: ${inputs} inputs tried\n`);
  }
});
