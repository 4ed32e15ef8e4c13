import type { IDBPDatabase } from 'idb';
import { retryDelay } from '../core/delivery-policy';
import type { Settings } from '../core/settings';
import type { ActivityRecord, LinkwellDB, OutboxEntry } from '../shared/outbox-db';
import { type AttemptResult, attemptFhirDelivery } from './delivery';
import { claimForAttempt, dueReferralIds, nextDueTime, purgeExpired, updateEntry } from './outbox';

type Db = IDBPDatabase<LinkwellDB>;
const DAY_MS = 24 * 60 * 60_000;
/** Attempts under way at once. */
const PARALLEL_ATTEMPTS = 4;

export interface RunnerDeps {
  db: () => Promise<Db>;
  settings: () => Promise<Settings | undefined>;
  fetch: typeof fetch;
  now: () => number;
  software: { name: string; version: string };
  sourceEndpoint: string;
  /** Asks to be woken at `at` (an alarm that survives the service worker and the browser stopping). */
  wakeAt: (at: number | undefined) => Promise<void>;
  /** Tells open panels that a referral's state changed. */
  announce: (entry: OutboxEntry) => void;
  /** Whether the browser lets Linkwell contact an origin (see DeliveryContext). */
  mayContact?: (origin: string) => Promise<boolean>;
}

/**
 * Delivers every referral that is due, one attempt each, then asks to be woken for the next.
 * Called on start-up, by the alarm, and after each send. Safe to call at any time and any number of
 * times: each attempt first claims its referral in a transaction.
 */
export function createOutboxRunner(deps: RunnerDeps) {
  let running: Promise<number> | undefined;
  let again = false;

  /** One attempt at one referral: claim, send, settle. Returns whether an attempt was made. */
  async function attempt(db: Db, id: string, settings: Settings | undefined): Promise<boolean> {
    const claimedAt = deps.now();
    const claimed = await claimForAttempt(db, id, claimedAt);
    if (!claimed) return false;
    // Woken again when the lease runs out at the latest: if the service worker stops during the
    // request, the alarm takes the referral up again rather than leaving it `sending` until some
    // other event happens to start the worker.
    await deps.wakeAt(await nextDueTime(db, { after: claimedAt }));
    deps.announce(claimed);
    const result = await attemptFhirDelivery(claimed, {
      settings,
      now: new Date(deps.now()),
      software: deps.software,
      fetch: deps.fetch,
      sourceEndpoint: deps.sourceEndpoint,
      ...(deps.mayContact ? { mayContact: deps.mayContact } : {}),
    });
    const settled = await updateEntry(db, id, (current) =>
      // Only the attempt that holds the claim may settle it (a cancel may have come in meanwhile).
      current.status === 'sending' && current.attempts === claimed.attempts
        ? settle(current, result, deps.now(), settings?.retentionDays ?? 30)
        : undefined,
    );
    if (settled) {
      // The outcome is stored; a refused activity write (disk full) must not stop the rest of the run.
      await recordActivity(db, settled).catch(() => {});
      deps.announce(settled);
    }
    return true;
  }

  async function runOnce(): Promise<number> {
    const db = await deps.db();
    const settings = await deps.settings();
    await purgeExpired(db, deps.now());
    const due = await dueReferralIds(db, deps.now());
    let processed = 0;
    // A few attempts at once, so one link worker's slow system does not hold up everyone else's referrals.
    const workers = Array.from({ length: Math.min(PARALLEL_ATTEMPTS, due.length) }, async () => {
      for (let id = due.shift(); id !== undefined; id = due.shift()) {
        if (await attempt(db, id, settings)) processed += 1;
      }
    });
    await Promise.all(workers);
    await deps.wakeAt(await nextDueTime(db));
    return processed;
  }

  /** Runs the outbox; a call while a run is under way makes that run go round once more. */
  return function runOutbox(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        total += await runOnce();
      } while (again);
      return total;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
}

/** The entry after an attempt, from what the receiver said. */
export function settle(
  entry: OutboxEntry,
  result: AttemptResult,
  now: number,
  retentionDays: number,
): OutboxEntry {
  const { leaseUntil: _lease, nextAttemptAt: _next, lastProblem: _problem, ...rest } = entry;
  switch (result.outcome) {
    case 'delivered':
      return { ...rest, status: 'sent', deliveredAt: now, purgeAt: now + retentionDays * DAY_MS };
    case 'refused':
      return {
        ...rest,
        status: 'failed',
        lastProblem: result.problem,
        purgeAt: now + retentionDays * DAY_MS,
      };
    case 'needs-attention':
      return { ...rest, status: 'needs-attention', lastProblem: result.problem };
    case 'retry':
      return {
        ...rest,
        status: 'queued',
        lastProblem: result.problem,
        nextAttemptAt: now + retryDelay(entry.attempts, result.retryAfterMs),
      };
  }
}

/** Keeps the anonymous activity record of a referral in step with its outcome. */
export async function recordActivity(db: Db, entry: OutboxEntry): Promise<void> {
  const outcome: ActivityRecord['outcome'] | undefined =
    entry.status === 'sent' || entry.status === 'failed' || entry.status === 'cancelled'
      ? entry.status
      : entry.status === 'queued' || entry.status === 'needs-attention'
        ? 'queued'
        : undefined;
  if (!outcome) return;
  const existing = await db.get('activity', entry.id);
  const at = existing?.at ?? entry.createdAt;
  await db.put('activity', {
    id: entry.id,
    at,
    month: activityMonth(at),
    outcome,
    reasons: existing?.reasons ?? [...(entry.referral?.reasons ?? [])],
    linkWorkerId: entry.destination.linkWorkerId,
  });
}

/**
 * The local calendar month (`YYYY-MM`) of a moment, as the practice dates its coding: a referral made
 * at 00:30 on 1 April in British Summer Time belongs to April, though it is still 31 March in UTC.
 */
export function activityMonth(at: number): string {
  const date = new Date(at);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}
