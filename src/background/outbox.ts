import type { IDBPDatabase } from 'idb';
import type { LinkwellDB, OutboxEntry } from '../shared/outbox-db';

// The outbox's state changes, each one IndexedDB transaction. IndexedDB runs read-write transactions
// on one store one at a time, so two wake-ups of the service worker (an alarm and a timer, say)
// cannot both claim the same referral: that is what keeps a referral from being sent twice at once.

type Db = IDBPDatabase<LinkwellDB>;

/**
 * How long one attempt may hold a referral before another may take it over: longer than an attempt
 * can last (the 30 s request timeout), short enough that a referral whose attempt died with the
 * service worker is soon taken up again.
 */
export const LEASE_MS = 45_000;

/**
 * Stores a new referral durably. Resolves only once the transaction has committed, so nothing is
 * sent before it is safe on disk. A second add with the same id is refused: one referral, one entry.
 */
export async function addToOutbox(db: Db, entry: OutboxEntry): Promise<'added' | 'exists'> {
  const tx = db.transaction('outbox', 'readwrite');
  const existing = await tx.store.get(entry.id);
  if (existing) {
    await tx.done;
    return 'exists';
  }
  await tx.store.add(entry);
  await tx.done;
  return 'added';
}

/** Ids of referrals whose next attempt is due now, oldest first. */
export async function dueReferralIds(db: Db, now: number): Promise<string[]> {
  const entries = await db.getAll('outbox');
  return entries
    .filter((entry) => isDue(entry, now))
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((entry) => entry.id);
}

/** When the earliest waiting referral falls due, if any waits. */
export async function nextDueTime(db: Db): Promise<number | undefined> {
  const entries = await db.getAll('outbox');
  let earliest: number | undefined;
  for (const entry of entries) {
    const due =
      entry.status === 'queued'
        ? entry.nextAttemptAt
        : entry.status === 'sending'
          ? entry.leaseUntil
          : undefined;
    if (due !== undefined && (earliest === undefined || due < earliest)) earliest = due;
  }
  return earliest;
}

function isDue(entry: OutboxEntry, now: number): boolean {
  if (entry.status === 'queued') return (entry.nextAttemptAt ?? 0) <= now;
  // An attempt that never finished (the service worker or browser stopped mid-request) is taken up again.
  if (entry.status === 'sending') return (entry.leaseUntil ?? 0) <= now;
  return false;
}

/** Takes a due referral for one attempt, or returns undefined when it is not (or no longer) due. */
export async function claimForAttempt(db: Db, id: string, now: number): Promise<OutboxEntry | undefined> {
  const tx = db.transaction('outbox', 'readwrite');
  const entry = await tx.store.get(id);
  if (!entry || !isDue(entry, now) || !entry.referral) {
    await tx.done;
    return undefined;
  }
  const claimed: OutboxEntry = {
    ...entry,
    status: 'sending',
    attempts: entry.attempts + 1,
    lastAttemptAt: now,
    leaseUntil: now + LEASE_MS,
  };
  await tx.store.put(claimed);
  await tx.done;
  return claimed;
}

/**
 * Applies a change to one entry inside a transaction; `change` sees the current stored entry and
 * returns the new one (or undefined to leave it). Returns what was stored.
 */
export async function updateEntry(
  db: Db,
  id: string,
  change: (entry: OutboxEntry) => OutboxEntry | undefined,
): Promise<OutboxEntry | undefined> {
  const tx = db.transaction('outbox', 'readwrite');
  const entry = await tx.store.get(id);
  const next = entry ? change(entry) : undefined;
  if (next) await tx.store.put(next);
  await tx.done;
  return next ?? entry;
}

/**
 * Removes the personal data of entries whose retention has run out. The entry itself stays (with
 * `referral: null`) so the list can still say a referral was sent; the activity store keeps the counts.
 */
export async function purgeExpired(db: Db, now: number): Promise<number> {
  const tx = db.transaction('outbox', 'readwrite');
  let purged = 0;
  for await (const cursor of tx.store) {
    const entry = cursor.value;
    if (entry.referral && entry.purgeAt !== undefined && entry.purgeAt <= now) {
      // A receiver's reason may quote the patient back ("NHS number ... not known"): it goes too.
      const { lastProblem: _reason, ...rest } = entry;
      await cursor.update({ ...rest, referral: null });
      purged += 1;
    }
  }
  await tx.done;
  return purged;
}
