import type { IDBPDatabase } from 'idb';
import { displayPatientName } from '../core/patient-name';
import { parseReferral } from '../core/referral';
import type { Settings } from '../core/settings';
import type { OutboxItem } from '../shared/messages';
import type { LinkwellDB, OutboxEntry } from '../shared/outbox-db';
import { addReplacement, addToOutbox, purgeExpired, type ReplaceRefusal, updateEntry } from './outbox';
import { activityMonth, recordActivity } from './outbox-runner';

type Db = IDBPDatabase<LinkwellDB>;
type Problems = { path: string; message: string }[];

/** Said when the browser would not store a referral: it was not sent, and the GP needs another route. */
export const STORAGE_FAILED =
  'This browser could not save the referral (its storage may be full or switched off), so it has not been sent. Copy or print it and send it another way, or try again.';

/** Said when an edited copy is not sent because the referral it replaces went (or is going) after all. */
const REPLACE_REFUSED: Record<ReplaceRefusal, string> = {
  sending:
    'The earlier referral is being sent right now, so this edited copy was not sent (it would make two referrals). Check Recent referrals in a moment.',
  sent: 'The earlier referral has been sent after all, so this edited copy was not sent (it would make two referrals).',
  replaced:
    'The earlier referral was already sent again after editing, so this copy was not sent (it would make two referrals).',
};

export interface ReferralDeps {
  db: () => Promise<Db>;
  settings: () => Promise<Settings | undefined>;
  now: () => number;
  newId: () => string;
  runOutbox: () => Promise<number>;
  announce: (entry: OutboxEntry) => void;
}

/** What the panel may see of an outbox entry. */
export function toOutboxItem(entry: OutboxEntry): OutboxItem {
  const { referral } = entry;
  return {
    id: entry.id,
    status: entry.status,
    method: entry.destination.method,
    linkWorkerName: entry.destination.linkWorkerName,
    createdAt: entry.createdAt,
    attempts: entry.attempts,
    reasons: referral?.reasons ?? [],
    ...(entry.lastProblem === undefined ? {} : { problem: entry.lastProblem }),
    ...(entry.nextAttemptAt === undefined ? {} : { nextAttemptAt: entry.nextAttemptAt }),
    ...(entry.deliveredAt === undefined ? {} : { deliveredAt: entry.deliveredAt }),
    ...(entry.replacedBy === undefined ? {} : { replacedBy: entry.replacedBy }),
    ...(referral
      ? {
          patient: {
            name: displayPatientName(referral.patient.name),
            nhsNumber: referral.patient.nhsNumber,
            birthDate: referral.patient.birthDate,
          },
        }
      : {}),
  };
}

/** The background's side of the referral messages. */
export function createReferralService(deps: ReferralDeps) {
  /** How long `send` waits for the first attempt before answering `Queued`. */
  const FIRST_ATTEMPT_WAIT_MS = 8_000;

  async function send(
    input: unknown,
    replaces: string | undefined,
  ): Promise<{ ok: true; item: OutboxItem } | { ok: false; problems: Problems; unsaved?: true }> {
    const parsed = parseReferral(input);
    if (!parsed.ok) return parsed;
    const referral = parsed.referral;
    const settings = await deps.settings();
    const linkWorker = settings?.linkWorkers.find((candidate) => candidate.id === referral.linkWorker.id);
    if (!linkWorker) {
      return {
        ok: false,
        problems: [{ path: 'linkWorker', message: 'Choose a link worker from the practice’s list.' }],
      };
    }
    const now = deps.now();
    const { delivery } = linkWorker;
    const destination: OutboxEntry['destination'] =
      delivery.method === 'fhir'
        ? {
            method: 'fhir',
            endpoint: delivery.endpoint,
            linkWorkerId: linkWorker.id,
            linkWorkerName: linkWorker.name,
          }
        : { method: 'email', to: delivery.to, linkWorkerId: linkWorker.id, linkWorkerName: linkWorker.name };
    const retentionMs = (settings?.retentionDays ?? 30) * 24 * 60 * 60_000;
    const practice = referral.practice.odsCode
      ? { name: referral.practice.name, odsCode: referral.practice.odsCode }
      : { name: referral.practice.name };
    const entry: OutboxEntry =
      destination.method === 'fhir'
        ? {
            id: referral.id,
            referral,
            status: 'queued',
            destination,
            correlationId: deps.newId(),
            attempts: 0,
            createdAt: now,
            nextAttemptAt: now,
            practice,
          }
        : // An email referral is handed to the GP's mail program by the panel: there is nothing to retry.
          {
            id: referral.id,
            referral,
            status: 'sent',
            destination,
            correlationId: deps.newId(),
            attempts: 1,
            createdAt: now,
            deliveredAt: now,
            purgeAt: now + retentionMs,
            practice,
          };

    // Durable before the first attempt: the add has committed when this resolves. If the browser cannot
    // store it (disk full, storage switched off), nothing is sent and the GP is told so, in words.
    let db: Db;
    let added: Awaited<ReturnType<typeof addReplacement>>;
    try {
      db = await deps.db();
      added = replaces
        ? await addReplacement(db, entry, replaces, now + retentionMs)
        : { kind: await addToOutbox(db, entry) };
    } catch {
      return { ok: false, unsaved: true, problems: [{ path: '', message: STORAGE_FAILED }] };
    }
    if (added.kind === 'refused') {
      return { ok: false, problems: [{ path: '', message: REPLACE_REFUSED[added.because] }] };
    }
    if (added.kind === 'added') {
      // The referral is stored and will be sent: bookkeeping that fails now (a full disk refusing the
      // activity count) must not have the GP told it was not saved.
      await recordActivity(db, entry).catch(() => {});
      if (added.retired) {
        await recordActivity(db, added.retired).catch(() => {});
        deps.announce(added.retired);
      }
      deps.announce(entry);
    }
    if (destination.method === 'fhir') {
      // Give the first attempt a moment so the panel can often say `Sent` straight away.
      // What happened is read back from the store below; a run that fails is retried by the alarm.
      await Promise.race([
        deps.runOutbox().catch(() => 0),
        new Promise((resolve) => setTimeout(resolve, FIRST_ATTEMPT_WAIT_MS)),
      ]);
    }
    const stored = await db.get('outbox', referral.id);
    return stored
      ? { ok: true, item: toOutboxItem(stored) }
      : { ok: false, problems: [{ path: '', message: 'The referral could not be stored.' }] };
  }

  /**
   * Cancels a referral that is still waiting. One being sent, or already sent or refused, is not
   * cancelled, and the answer says so (with the referral as it now stands) so the GP is never told a
   * cancel happened when it did not.
   */
  async function cancel(id: string): Promise<{ cancelled: boolean; item: OutboxItem | null }> {
    const db = await deps.db();
    // Kept like any other outcome, so the GP can still see whose referral they cancelled.
    const retentionMs = ((await deps.settings())?.retentionDays ?? 30) * 24 * 60 * 60_000;
    const entry = await updateEntry(db, id, (current) =>
      current.status === 'queued' || current.status === 'needs-attention'
        ? withoutSchedule({ ...current, status: 'cancelled', purgeAt: deps.now() + retentionMs })
        : undefined,
    );
    if (entry) {
      // Cancelled whatever the count says: a refused activity write must not report the cancel as failed.
      await recordActivity(db, entry).catch(() => {});
      deps.announce(entry);
      return { cancelled: true, item: toOutboxItem(entry) };
    }
    const current = await db.get('outbox', id);
    // A second press of Cancel: it is cancelled, and nothing more is recorded.
    return { cancelled: current?.status === 'cancelled', item: current ? toOutboxItem(current) : null };
  }

  async function retry(id: string): Promise<OutboxItem | null> {
    const db = await deps.db();
    const entry = await updateEntry(db, id, (current) =>
      current.status === 'queued' || current.status === 'needs-attention'
        ? { ...current, status: 'queued', nextAttemptAt: deps.now() }
        : undefined,
    );
    if (!entry) return null;
    deps.announce(entry);
    await deps.runOutbox();
    const stored = await db.get('outbox', id);
    return stored ? toOutboxItem(stored) : null;
  }

  /**
   * Records that the patient declined. `id` is the panel's draft id, so a repeated request (a double
   * click, a message sent again) is still one decline in the report.
   */
  async function recordDecline(
    id: string,
    reasons: string[],
    linkWorkerId: string | undefined,
  ): Promise<{ recorded: true }> {
    const db = await deps.db();
    const now = deps.now();
    const tx = db.transaction('activity', 'readwrite');
    if (!(await tx.store.get(id))) {
      await tx.store.add({
        id,
        at: now,
        month: activityMonth(now),
        outcome: 'declined',
        reasons,
        ...(linkWorkerId === undefined ? {} : { linkWorkerId }),
      });
    }
    await tx.done;
    return { recorded: true };
  }

  /** This practice's referrals in this browser, newest first, with expired personal data removed first. */
  async function list(limit: number): Promise<OutboxItem[]> {
    const db = await deps.db();
    // Retention is kept on time even if no alarm has fired yet: the list never shows expired details.
    await purgeExpired(db, deps.now());
    const practice = (await deps.settings())?.practice;
    if (!practice) return [];
    const entries = await db.getAllFromIndex('outbox', 'createdAt');
    return entries
      .reverse()
      .filter((entry) => belongsTo(entry, practice))
      .slice(0, limit)
      .map(toOutboxItem);
  }

  async function get(id: string): Promise<OutboxItem | null> {
    const entry = await (await deps.db()).get('outbox', id);
    return entry ? toOutboxItem(entry) : null;
  }

  return { send, cancel, retry, recordDecline, list, get };
}

/**
 * Whether an entry was sent by this practice: by ODS code where both have one, else by name. A browser
 * can serve more than one practice (settings imported again), and each sees only its own referrals.
 * An entry that no longer says which practice sent it is left out rather than shown to the wrong one.
 */
function belongsTo(entry: OutboxEntry, practice: Settings['practice']): boolean {
  const sender = entry.practice ?? entry.referral?.practice;
  if (!sender) return false;
  const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
  return practice.odsCode && sender.odsCode
    ? same(practice.odsCode, sender.odsCode)
    : same(practice.name, sender.name);
}

function withoutSchedule(entry: OutboxEntry): OutboxEntry {
  const { nextAttemptAt: _next, leaseUntil: _lease, ...rest } = entry;
  return rest;
}
