import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fullReferral } from '../../tests/fixtures/referrals';
import { practiceSettings } from '../../tests/fixtures/settings';
import type { Referral } from '../core/referral';
import type { Settings } from '../core/settings';
import { closeLinkwellDb, DB_NAME, type OutboxEntry, openLinkwellDb } from '../shared/outbox-db';
import { claimForAttempt, updateEntry } from './outbox';
import { createOutboxRunner } from './outbox-runner';
import { createReferralService } from './referrals';

const DAY_MS = 24 * 60 * 60_000;
const settings = practiceSettings();

let clock = 1_000;
let ids = 0;
let announced: OutboxEntry[] = [];
let currentSettings: Settings | undefined = settings;

function service() {
  return createReferralService({
    db: openLinkwellDb,
    settings: async () => currentSettings,
    now: () => clock,
    newId: () => {
      ids += 1;
      return `11111111-2222-4333-8444-${String(ids).padStart(12, '0')}`;
    },
    // The tests move referrals on themselves; nothing is delivered behind their back.
    runOutbox: async () => 0,
    announce: (entry) => announced.push(entry),
  });
}

const referral = (id: string, overrides: Partial<Referral> = {}): Referral => ({
  ...fullReferral,
  id,
  ...overrides,
});
const FIRST = '0d6f3a52-1c1e-4e55-9a43-7d0e5c2b9f10';
const SECOND = '0d6f3a52-1c1e-4e55-9a43-7d0e5c2b9f11';

async function setStatus(id: string, change: Partial<OutboxEntry>) {
  await updateEntry(await openLinkwellDb(), id, (entry) => ({ ...entry, ...change }));
}

beforeEach(() => {
  clock = 1_000;
  announced = [];
  currentSettings = settings;
});
afterEach(async () => {
  await closeLinkwellDb();
  await new Promise((resolve) => {
    indexedDB.deleteDatabase(DB_NAME).onsuccess = resolve;
  });
});

describe('cancelling a referral', () => {
  it('cancels one that is queued, and a second press changes nothing more', async () => {
    const referrals = service();
    await referrals.send(referral(FIRST), undefined);
    announced = [];
    expect(await referrals.cancel(FIRST)).toMatchObject({ cancelled: true, item: { status: 'cancelled' } });
    expect(await referrals.cancel(FIRST)).toMatchObject({ cancelled: true, item: { status: 'cancelled' } });
    expect(announced).toHaveLength(1);
    expect((await (await openLinkwellDb()).get('activity', FIRST))?.outcome).toBe('cancelled');
  });

  it('says it did not cancel one that is being sent, and records and announces nothing', async () => {
    const referrals = service();
    await referrals.send(referral(FIRST), undefined);
    await claimForAttempt(await openLinkwellDb(), FIRST, clock);
    announced = [];
    expect(await referrals.cancel(FIRST)).toMatchObject({ cancelled: false, item: { status: 'sending' } });
    expect(announced).toEqual([]);
    expect((await (await openLinkwellDb()).get('activity', FIRST))?.outcome).toBe('queued');
  });

  it('says it did not cancel one already sent, or one it does not hold', async () => {
    const referrals = service();
    await referrals.send(referral(FIRST), undefined);
    await setStatus(FIRST, { status: 'sent', deliveredAt: clock });
    expect(await referrals.cancel(FIRST)).toMatchObject({ cancelled: false, item: { status: 'sent' } });
    expect(await referrals.cancel('no-such-referral')).toEqual({ cancelled: false, item: null });
  });
});

describe('recording a decline', () => {
  it('records one decline however often the same draft asks', async () => {
    const referrals = service();
    const draftId = '00000000-0000-4000-8000-000000000007';
    await Promise.all([
      referrals.recordDecline(draftId, ['low-mood'], 'pcn-lw'),
      referrals.recordDecline(draftId, ['low-mood'], 'pcn-lw'),
    ]);
    await referrals.recordDecline(draftId, ['low-mood'], 'pcn-lw');
    const records = await (await openLinkwellDb()).getAll('activity');
    expect(records).toEqual([
      expect.objectContaining({ id: draftId, outcome: 'declined', reasons: ['low-mood'] }),
    ]);
  });
});

describe('the list of recent referrals', () => {
  it('removes personal data whose retention has ended before listing, without waiting for an alarm', async () => {
    const referrals = service();
    await referrals.send(referral(FIRST), undefined);
    await setStatus(FIRST, { status: 'sent', deliveredAt: clock, purgeAt: clock + 30 * DAY_MS });
    clock += 30 * DAY_MS - 1;
    expect((await referrals.list(10))[0]?.patient?.nhsNumber).toBe(fullReferral.patient.nhsNumber);
    clock += 1;
    const [item] = await referrals.list(10);
    expect(item?.status).toBe('sent');
    expect(item?.patient).toBeUndefined();
    expect(JSON.stringify(await (await openLinkwellDb()).get('outbox', FIRST))).not.toContain(
      fullReferral.patient.nhsNumber,
    );
  });

  it('shows only this practice’s referrals (by ODS code, else by name), even after retention', async () => {
    const referrals = service();
    await referrals.send(referral(FIRST), undefined);
    await referrals.send(
      referral(SECOND, { practice: { name: 'Valley Practice', odsCode: 'L84999' } }),
      undefined,
    );
    expect((await referrals.list(10)).map((item) => item.id)).toEqual([FIRST]);
    // The practice is kept on the entry, so a purged referral still belongs to its practice.
    await setStatus(FIRST, { status: 'sent', purgeAt: clock });
    await setStatus(SECOND, { status: 'sent', purgeAt: clock });
    expect((await referrals.list(10)).map((item) => item.id)).toEqual([FIRST]);
    currentSettings = { ...settings, practice: { name: 'valley practice' } };
    expect((await referrals.list(10)).map((item) => item.id)).toEqual([SECOND]);
  });
});

describe('sending an edited copy of a referral', () => {
  const moved: Settings = {
    ...settings,
    linkWorkers: [
      {
        id: 'pcn-lw',
        name: 'Severnside PCN link worker',
        delivery: { method: 'fhir', endpoint: 'https://new.example.org/fhir' },
      },
    ],
  };

  it('cancels the one that needs attention, so only the copy is ever sent', async () => {
    const referrals = service();
    await referrals.send(referral(FIRST), undefined);
    await setStatus(FIRST, { status: 'needs-attention', lastProblem: 'How referrals reach them changed' });
    currentSettings = moved;
    const reply = await referrals.send(referral(SECOND), FIRST);
    expect(reply).toMatchObject({ ok: true, item: { id: SECOND, status: 'queued' } });
    const db = await openLinkwellDb();
    expect(await db.get('outbox', FIRST)).toMatchObject({ status: 'cancelled', replacedBy: SECOND });
    expect((await db.get('activity', FIRST))?.outcome).toBe('cancelled');
    // The GP pressing "Try again now" on the old one later changes nothing: it stays cancelled.
    expect(await referrals.retry(FIRST)).toBeNull();

    const posted: string[] = [];
    const run = createOutboxRunner({
      db: openLinkwellDb,
      settings: async () => currentSettings,
      fetch: (async (_url: string, init: RequestInit) => {
        posted.push(String((init.headers as Record<string, string>)['X-Request-Id']));
        return new Response(null, { status: 202 });
      }) as unknown as typeof fetch,
      now: () => clock,
      software: { name: 'Linkwell', version: '0.1.0' },
      sourceEndpoint: 'chrome-extension://test/',
      wakeAt: async () => {},
      announce: () => {},
    });
    await run();
    expect(posted).toEqual([SECOND]);
  });

  it('marks a failed one replaced, and keeps it failed', async () => {
    const referrals = service();
    await referrals.send(referral(FIRST), undefined);
    await setStatus(FIRST, { status: 'failed', lastProblem: 'Unknown practice' });
    await referrals.send(referral(SECOND), FIRST);
    expect(await (await openLinkwellDb()).get('outbox', FIRST)).toMatchObject({
      status: 'failed',
      replacedBy: SECOND,
    });
  });

  it('stores nothing when the one it replaces was sent, is being sent, or was already replaced', async () => {
    const referrals = service();
    const db = await openLinkwellDb();
    for (const [status, words] of [
      ['sent', /has been sent after all/],
      ['sending', /being sent right now/],
    ] as const) {
      await referrals.send(referral(FIRST), undefined);
      await setStatus(FIRST, { status });
      const reply = await referrals.send(referral(SECOND), FIRST);
      expect(reply.ok).toBe(false);
      expect(reply.ok ? '' : reply.problems[0]?.message).toMatch(words);
      expect(await db.get('outbox', SECOND)).toBeUndefined();
      expect((await db.get('outbox', FIRST))?.status).toBe(status);
      await db.delete('outbox', FIRST);
    }
    await referrals.send(referral(FIRST), undefined);
    await setStatus(FIRST, { status: 'failed' });
    await referrals.send(referral(SECOND), FIRST);
    const third = '0d6f3a52-1c1e-4e55-9a43-7d0e5c2b9f12';
    const again = await referrals.send(referral(third), FIRST);
    expect(again.ok ? '' : again.problems[0]?.message).toMatch(/already sent again after editing/);
    expect(await db.get('outbox', third)).toBeUndefined();
    // The same copy sent twice (a double click) is still one referral, and not refused.
    expect(await referrals.send(referral(SECOND), FIRST)).toMatchObject({ ok: true, item: { id: SECOND } });
  });
});
