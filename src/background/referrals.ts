import type { IDBPDatabase } from 'idb';
import { displayPatientName } from '../core/patient-name';
import { parseReferral } from '../core/referral';
import type { Settings } from '../core/settings';
import type { OutboxItem } from '../shared/messages';
import type { LinkwellDB, OutboxEntry } from '../shared/outbox-db';
import { addToOutbox, updateEntry } from './outbox';
import { recordActivity } from './outbox-runner';

type Db = IDBPDatabase<LinkwellDB>;
type Problems = { path: string; message: string }[];

/** Said when the browser would not store a referral: it was not sent, and the GP needs another route. */
export const STORAGE_FAILED =
  'This browser could not save the referral (its storage may be full or switched off), so it has not been sent. Copy or print it and send it another way, or try again.';

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
          };

    // Durable before the first attempt: the add has committed when this resolves. If the browser cannot
    // store it (disk full, storage switched off), nothing is sent and the GP is told so, in words.
    let db: Db;
    let added: 'added' | 'exists';
    try {
      db = await deps.db();
      added = await addToOutbox(db, entry);
    } catch {
      return { ok: false, unsaved: true, problems: [{ path: '', message: STORAGE_FAILED }] };
    }
    if (added === 'added') {
      // The referral is stored and will be sent: bookkeeping that fails now (a full disk refusing the
      // activity count or the link to the one it replaces) must not have the GP told it was not saved.
      await recordActivity(db, entry).catch(() => {});
      if (replaces) {
        await updateEntry(db, replaces, (old) =>
          old.status === 'failed' ? { ...old, replacedBy: entry.id } : undefined,
        ).catch(() => {});
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

  async function cancel(id: string): Promise<OutboxItem | null> {
    const db = await deps.db();
    // Kept like any other outcome, so the GP can still see whose referral they cancelled.
    const retentionMs = ((await deps.settings())?.retentionDays ?? 30) * 24 * 60 * 60_000;
    const entry = await updateEntry(db, id, (current) =>
      current.status === 'queued' || current.status === 'needs-attention'
        ? withoutSchedule({ ...current, status: 'cancelled', purgeAt: deps.now() + retentionMs })
        : undefined,
    );
    if (!entry) return null;
    // Cancelled whatever the count says: a refused activity write must not report the cancel as failed.
    await recordActivity(db, entry).catch(() => {});
    deps.announce(entry);
    return toOutboxItem(entry);
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

  async function recordDecline(
    reasons: string[],
    linkWorkerId: string | undefined,
  ): Promise<{ recorded: true }> {
    const db = await deps.db();
    const now = deps.now();
    await db.put('activity', {
      id: deps.newId(),
      at: now,
      month: new Date(now).toISOString().slice(0, 7),
      outcome: 'declined',
      reasons,
      ...(linkWorkerId === undefined ? {} : { linkWorkerId }),
    });
    return { recorded: true };
  }

  async function list(limit: number): Promise<OutboxItem[]> {
    const db = await deps.db();
    const entries = await db.getAllFromIndex('outbox', 'createdAt');
    return entries.reverse().slice(0, limit).map(toOutboxItem);
  }

  async function get(id: string): Promise<OutboxItem | null> {
    const entry = await (await deps.db()).get('outbox', id);
    return entry ? toOutboxItem(entry) : null;
  }

  return { send, cancel, retry, recordDecline, list, get };
}

function withoutSchedule(entry: OutboxEntry): OutboxEntry {
  const { nextAttemptAt: _next, leaseUntil: _lease, ...rest } = entry;
  return rest;
}
