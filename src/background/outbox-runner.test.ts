import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fullReferral } from '../../tests/fixtures/referrals';
import { FHIR_ENDPOINT as ENDPOINT, pcnLinkWorker, practiceSettings } from '../../tests/fixtures/settings';
import { fhirProblems } from '../../tests/support/fhir-validation';
import type { Settings } from '../core/settings';
import { closeLinkwellDb, DB_NAME, type OutboxEntry, openLinkwellDb } from '../shared/outbox-db';
import { addToOutbox, claimForAttempt, LEASE_MS, nextDueTime, purgeExpired, updateEntry } from './outbox';
import { createOutboxRunner, type RunnerDeps } from './outbox-runner';

const settings = practiceSettings({ linkWorkers: [pcnLinkWorker('secret')] });

function queuedEntry(overrides: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id: fullReferral.id,
    referral: fullReferral,
    status: 'queued',
    destination: {
      method: 'fhir',
      endpoint: ENDPOINT,
      linkWorkerId: 'pcn-lw',
      linkWorkerName: 'Severnside PCN link worker',
    },
    correlationId: '11111111-2222-4333-8444-555555555555',
    attempts: 0,
    createdAt: 1_000,
    nextAttemptAt: 1_000,
    ...overrides,
  };
}

interface Call {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

// What was wrong with each body the runner posted, as FHIR R4; checked after every test.
let invalidBodies: string[][] = [];

/** A receiver that answers each request with the next scripted response. */
function scriptedReceiver(answers: (() => Response | Promise<Response>)[]) {
  const calls: Call[] = [];
  const fetchStub = (async (url: string, init: RequestInit) => {
    const body: unknown = JSON.parse(String(init.body));
    const problems = fhirProblems(body);
    if (problems.length > 0) invalidBodies.push(problems);
    calls.push({ url, headers: init.headers as Record<string, string>, body });
    const answer = answers.shift();
    if (!answer) throw new Error('unexpected request');
    return answer();
  }) as unknown as typeof fetch;
  return { calls, fetchStub };
}

let clock = 1_000;
let wakes: (number | undefined)[] = [];
function deps(fetchStub: typeof fetch, currentSettings: Settings | undefined = settings): RunnerDeps {
  return {
    db: openLinkwellDb,
    settings: async () => currentSettings,
    fetch: fetchStub,
    now: () => clock,
    software: { name: 'Linkwell', version: '0.1.0' },
    sourceEndpoint: 'chrome-extension://test/',
    wakeAt: async (at) => {
      wakes.push(at);
    },
    announce: () => {},
  };
}

beforeEach(() => {
  clock = 1_000;
  wakes = [];
  invalidBodies = [];
});
afterEach(async () => {
  expect(invalidBodies, 'bodies posted that are not valid FHIR R4').toEqual([]);
  await closeLinkwellDb();
  await new Promise((resolve) => {
    indexedDB.deleteDatabase(DB_NAME).onsuccess = resolve;
  });
});

describe('the outbox', () => {
  it('refuses to add the same referral twice', async () => {
    const db = await openLinkwellDb();
    expect(await addToOutbox(db, queuedEntry())).toBe('added');
    expect(await addToOutbox(db, queuedEntry())).toBe('exists');
    expect(await db.count('outbox')).toBe(1);
  });

  it('lets only one attempt claim a referral at a time', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(db, queuedEntry());
    const [first, second] = await Promise.all([
      claimForAttempt(db, fullReferral.id, clock),
      claimForAttempt(db, fullReferral.id, clock),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
  });

  it('takes up an attempt that never finished once its lease runs out', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(db, queuedEntry());
    await claimForAttempt(db, fullReferral.id, clock);
    expect(await claimForAttempt(db, fullReferral.id, clock + LEASE_MS - 1)).toBeUndefined();
    expect((await claimForAttempt(db, fullReferral.id, clock + LEASE_MS))?.attempts).toBe(2);
  });

  it('removes personal data and the receiver’s words when retention runs out', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(
      db,
      queuedEntry({ status: 'sent', purgeAt: 5_000, lastProblem: 'quoted 943 476 5919' }),
    );
    expect(await purgeExpired(db, 4_999)).toBe(0);
    expect(await purgeExpired(db, 5_000)).toBe(1);
    const entry = await db.get('outbox', fullReferral.id);
    expect(entry?.referral).toBeNull();
    expect(entry?.lastProblem).toBeUndefined();
    expect(entry?.status).toBe('sent');
  });
});

describe('when the outbox next needs the service worker', () => {
  it('is the earliest of a retry, a lease running out and a retention ending', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(db, queuedEntry({ nextAttemptAt: 9_000 }));
    const second = { ...fullReferral, id: '0d6f3a52-1c1e-4e55-9a43-7d0e5c2b9f10' };
    await addToOutbox(db, queuedEntry({ id: second.id, referral: second, status: 'sent', purgeAt: 7_000 }));
    expect(await nextDueTime(db)).toBe(7_000);
    expect(await nextDueTime(db, { after: 7_000 })).toBe(9_000);
  });

  it('ignores the retention of an entry whose personal data is already gone', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(db, queuedEntry({ status: 'sent', purgeAt: 7_000, referral: null }));
    expect(await nextDueTime(db)).toBeUndefined();
  });
});

describe('changing an outbox entry', () => {
  it('returns nothing when the change left the entry as it was', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(db, queuedEntry({ status: 'sending' }));
    expect(await updateEntry(db, fullReferral.id, () => undefined)).toBeUndefined();
    expect(await updateEntry(db, 'no-such-id', (entry) => entry)).toBeUndefined();
    const changed = await updateEntry(db, fullReferral.id, (entry) => ({ ...entry, attempts: 5 }));
    expect(changed?.attempts).toBe(5);
  });
});

describe('the outbox runner', () => {
  it('asks to be woken when the lease runs out as soon as it claims, before the request ends', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(db, queuedEntry());
    let release: (response: Response) => void = () => {};
    const receiver = scriptedReceiver([
      () =>
        new Promise<Response>((resolve) => {
          release = resolve;
        }),
    ]);
    const running = createOutboxRunner(deps(receiver.fetchStub))();
    await expect.poll(() => receiver.calls.length).toBe(1);
    // The service worker could stop now, mid-request: the alarm must already be set to take it up again.
    expect(wakes).toEqual([1_000 + LEASE_MS]);
    release(new Response(null, { status: 202 }));
    await running;
  });

  it('keeps an earlier retry as the wake-up when it falls before the lease runs out', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(db, queuedEntry());
    const second = { ...fullReferral, id: '0d6f3a52-1c1e-4e55-9a43-7d0e5c2b9f10' };
    await addToOutbox(db, queuedEntry({ id: second.id, referral: second, nextAttemptAt: 5_000 }));
    let release: (response: Response) => void = () => {};
    const receiver = scriptedReceiver([
      () =>
        new Promise<Response>((resolve) => {
          release = resolve;
        }),
    ]);
    const running = createOutboxRunner(deps(receiver.fetchStub))();
    await expect.poll(() => receiver.calls.length).toBe(1);
    expect(wakes).toEqual([5_000]);
    release(new Response(null, { status: 202 }));
    await running;
  });

  it('keeps an alarm for the end of retention when nothing else waits', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(db, queuedEntry());
    await createOutboxRunner(deps(scriptedReceiver([() => new Response(null, { status: 202 })]).fetchStub))();
    const entry = await db.get('outbox', fullReferral.id);
    expect(entry?.status).toBe('sent');
    // Personal data must go at purgeAt even if nothing else starts the service worker before then.
    expect(wakes.at(-1)).toBe(entry?.purgeAt);
    expect(wakes.at(-1)).toBe(1_000 + 30 * 24 * 60 * 60_000);
  });

  it('sends the FHIR message with the contract’s headers and marks it sent', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(db, queuedEntry());
    const receiver = scriptedReceiver([() => new Response(null, { status: 202 })]);
    expect(await createOutboxRunner(deps(receiver.fetchStub))()).toBe(1);
    expect(receiver.calls).toHaveLength(1);
    const [call] = receiver.calls;
    expect(call?.url).toBe(ENDPOINT);
    expect(call?.headers).toMatchObject({
      'Content-Type': 'application/fhir+json',
      Accept: 'application/fhir+json',
      'X-Request-Id': fullReferral.id,
      'X-Correlation-Id': '11111111-2222-4333-8444-555555555555',
      Authorization: 'Bearer secret',
    });
    expect(call?.body).toMatchObject({ resourceType: 'Bundle', type: 'message' });
    const entry = await db.get('outbox', fullReferral.id);
    expect(entry?.status).toBe('sent');
    expect(entry?.purgeAt).toBe(1_000 + 30 * 24 * 60 * 60_000);
    expect((await db.get('activity', fullReferral.id))?.outcome).toBe('sent');
  });

  it('queues after a 503, honouring Retry-After, and sends the same request id next time', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(db, queuedEntry());
    const receiver = scriptedReceiver([
      () =>
        new Response('busy', {
          status: 503,
          statusText: 'Service Unavailable',
          headers: { 'Retry-After': '120' },
        }),
      () => new Response(null, { status: 200 }),
    ]);
    const run = createOutboxRunner(deps(receiver.fetchStub));
    await run();
    const queued = await db.get('outbox', fullReferral.id);
    expect(queued?.status).toBe('queued');
    expect(queued?.lastProblem).toBe('HTTP 503 Service Unavailable');
    expect(queued?.nextAttemptAt).toBeGreaterThanOrEqual(1_000 + 120_000);
    expect(wakes.at(-1)).toBe(queued?.nextAttemptAt);

    clock = queued?.nextAttemptAt ?? 0;
    await run();
    expect(receiver.calls.map((call) => call.headers['X-Request-Id'])).toEqual([
      fullReferral.id,
      fullReferral.id,
    ]);
    const identifiers = receiver.calls.map(
      (call) => (call.body as { identifier: { value: string } }).identifier.value,
    );
    expect(new Set(identifiers).size).toBe(1);
    expect((await db.get('outbox', fullReferral.id))?.status).toBe('sent');
  });

  it('retries after a network failure', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(db, queuedEntry());
    const receiver = scriptedReceiver([
      () => {
        throw new TypeError('Failed to fetch');
      },
    ]);
    await createOutboxRunner(deps(receiver.fetchStub))();
    const entry = await db.get('outbox', fullReferral.id);
    expect(entry?.status).toBe('queued');
    expect(entry?.lastProblem).toBe('The link worker’s system could not be reached.');
  });

  it('marks a referral refused by the receiver as failed with its reason, and does not retry', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(db, queuedEntry());
    const outcome = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'invalid', diagnostics: 'Unknown practice' }],
    };
    const receiver = scriptedReceiver([() => new Response(JSON.stringify(outcome), { status: 422 })]);
    const run = createOutboxRunner(deps(receiver.fetchStub));
    await run();
    clock += 10 * 60_000;
    await run();
    expect(receiver.calls).toHaveLength(1);
    const entry = await db.get('outbox', fullReferral.id);
    expect(entry?.status).toBe('failed');
    expect(entry?.lastProblem).toBe('Unknown practice');
  });

  it('asks the GP instead of sending when the link worker has been removed from settings', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(db, queuedEntry());
    const receiver = scriptedReceiver([]);
    await createOutboxRunner(deps(receiver.fetchStub, { ...settings, linkWorkers: [] }))();
    expect(receiver.calls).toHaveLength(0);
    const entry = await db.get('outbox', fullReferral.id);
    expect(entry?.status).toBe('needs-attention');
    expect(entry?.lastProblem).toMatch(/no longer in the practice's settings/);
  });

  it('asks the GP instead of sending when the link worker’s address changed', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(db, queuedEntry());
    const moved: Settings = {
      ...settings,
      linkWorkers: [
        {
          id: 'pcn-lw',
          name: 'Severnside PCN link worker',
          delivery: { method: 'fhir', endpoint: 'https://elsewhere.example.org/fhir' },
        },
      ],
    };
    const receiver = scriptedReceiver([]);
    await createOutboxRunner(deps(receiver.fetchStub, moved))();
    expect(receiver.calls).toHaveLength(0);
    expect((await db.get('outbox', fullReferral.id))?.status).toBe('needs-attention');
  });

  it('runs once more, not twice at once, when asked during a run', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(db, queuedEntry());
    const receiver = scriptedReceiver([() => new Response(null, { status: 202 })]);
    const run = createOutboxRunner(deps(receiver.fetchStub));
    await Promise.all([run(), run(), run()]);
    expect(receiver.calls).toHaveLength(1);
  });

  it('keeps personal data for retentionDays after delivery, then keeps only the anonymous record', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(db, queuedEntry());
    const run = createOutboxRunner(
      deps(scriptedReceiver([() => new Response(null, { status: 202 })]).fetchStub),
    );
    await run();
    clock += 30 * 24 * 60 * 60_000 - 1;
    await run();
    expect((await db.get('outbox', fullReferral.id))?.referral).not.toBeNull();
    clock += 1;
    await run();
    const entry = await db.get('outbox', fullReferral.id);
    expect(entry?.referral).toBeNull();
    expect(JSON.stringify(entry)).not.toContain(fullReferral.patient.nhsNumber);
    const activity = await db.get('activity', fullReferral.id);
    expect(activity).toMatchObject({
      outcome: 'sent',
      reasons: fullReferral.reasons,
      linkWorkerId: 'pcn-lw',
    });
    expect(JSON.stringify(activity)).not.toMatch(/OKAFOR|9434765919|1948-11-02/);
  });

  it('does not let one slow receiver hold up the next referral', async () => {
    const db = await openLinkwellDb();
    await addToOutbox(db, queuedEntry());
    const second = { ...fullReferral, id: '0d6f3a52-1c1e-4e55-9a43-7d0e5c2b9f10' };
    await addToOutbox(db, queuedEntry({ id: second.id, referral: second, createdAt: 2_000 }));
    let release: (response: Response) => void = () => {};
    const receiver = scriptedReceiver([
      () =>
        new Promise<Response>((resolve) => {
          release = resolve;
        }),
      () => new Response(null, { status: 202 }),
    ]);
    const running = createOutboxRunner(deps(receiver.fetchStub))();
    await expect.poll(async () => (await db.get('outbox', second.id))?.status).toBe('sent');
    expect((await db.get('outbox', fullReferral.id))?.status).toBe('sending');
    release(new Response(null, { status: 202 }));
    await running;
    expect((await db.get('outbox', fullReferral.id))?.status).toBe('sent');
  });
});
