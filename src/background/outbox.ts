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

/**
 * When the outbox next needs the service worker: the earliest retry that falls due, lease that runs out
 * (an attempt that died with the worker) or retention that ends (personal data to remove on time).
 * With `after`, only times later than it count (what is due already is being handled).
 */
export async function nextDueTime(db: Db, options: { after?: number } = {}): Promise<number | undefined> {
  const entries = await db.getAll('outbox');
  let earliest: number | undefined;
  const consider = (at: number | undefined) => {
    if (at === undefined || (options.after !== undefined && at <= options.after)) return;
    if (earliest === undefined || at < earliest) earliest = at;
  };
  for (const entry of entries) {
    if (entry.status === 'queued') consider(entry.nextAttemptAt);
    if (entry.status === 'sending') consider(entry.leaseUntil);
    if (entry.referral) consider(entry.purgeAt);
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
 * returns the new one (or undefined to leave it). Returns the entry as changed, or undefined when
 * nothing changed (no such entry, or `change` left it): a caller must not report a change that did
 * not happen.
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
  return next;
}

/** Why an edited referral was not stored in place of the one it replaces. */
export type ReplaceRefusal = 'sending' | 'sent' | 'replaced';

/**
 * Stores an edited referral and retires the one it replaces, in one transaction, so the two are never
 * both on their way: a failed one is marked replaced; one still waiting (needs attention, or queued again)
 * is cancelled. If the old one is being sent or was sent meanwhile, or was already replaced by another
 * copy, nothing is stored: sending the copy too would make two referrals.
 */
export async function addReplacement(
  db: Db,
  entry: OutboxEntry,
  replaces: string,
  purgeAt: number,
): Promise<
  { kind: 'added'; retired?: OutboxEntry } | { kind: 'exists' } | { kind: 'refused'; because: ReplaceRefusal }
> {
  const tx = db.transaction('outbox', 'readwrite');
  if (await tx.store.get(entry.id)) {
    await tx.done;
    return { kind: 'exists' };
  }
  const old = await tx.store.get(replaces);
  const refuse = (because: ReplaceRefusal) => tx.done.then(() => ({ kind: 'refused', because }) as const);
  let retired: OutboxEntry | undefined;
  if (old) {
    if (old.replacedBy !== undefined && old.replacedBy !== entry.id) return refuse('replaced');
    if (old.status === 'sending') return refuse('sending');
    if (old.status === 'sent') return refuse('sent');
    if (old.status === 'failed' || old.status === 'cancelled') {
      retired = { ...old, replacedBy: entry.id };
    } else {
      const { nextAttemptAt: _next, leaseUntil: _lease, ...rest } = old;
      retired = { ...rest, status: 'cancelled', replacedBy: entry.id, purgeAt };
    }
    await tx.store.put(retired);
  }
  await tx.store.add(entry);
  await tx.done;
  return retired ? { kind: 'added', retired } : { kind: 'added' };
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
