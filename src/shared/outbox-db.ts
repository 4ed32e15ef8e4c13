import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { Referral } from '../core/referral';

// The extension's one IndexedDB database. It is the only place patient data is kept (the outbox and
// drafts); the activity store holds anonymous counts for the practice report.

/** Where a referral is in its life. `declined` entries never hold a referral. */
export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled' | 'needs-attention';

export interface OutboxEntry {
  /** The referral id: also the Bundle identifier and the X-Request-Id on every attempt. */
  id: string;
  /** The referral as sent; `null` once retention has removed the personal data. */
  referral: Referral | null;
  status: OutboxStatus;
  /** Where it goes, fixed when the GP pressed Send, so a settings change cannot redirect it. */
  destination: { linkWorkerId: string; linkWorkerName: string } & (
    | { method: 'fhir'; endpoint: string }
    | { method: 'email'; to: string }
  );
  /** One per referral, sent as X-Correlation-Id on each attempt. */
  correlationId: string;
  attempts: number;
  createdAt: number;
  /** When the next delivery attempt is due (queued entries only). */
  nextAttemptAt?: number;
  /** While an attempt is under way: no other attempt may start before this time. */
  leaseUntil?: number;
  lastAttemptAt?: number;
  /** The receiver's reason (failed), or why it waits (queued, needs-attention); plain text. */
  lastProblem?: string;
  deliveredAt?: number;
  /** When the personal data is removed (delivered, failed or cancelled entries). */
  purgeAt?: number;
  /** Set when a failed referral was edited and sent again as a new one. */
  replacedBy?: string;
  /**
   * The practice that sent it (not patient data), kept after retention removes the referral, so each
   * practice's list shows only its own referrals. Absent on entries stored before it was recorded.
   */
  practice?: { name: string; odsCode?: string };
}

/** An anonymous record for the practice report: no patient data, ever. */
export interface ActivityRecord {
  id: string;
  /** `YYYY-MM`, the month of the referral or decline. */
  month: string;
  at: number;
  outcome: 'sent' | 'queued' | 'failed' | 'declined' | 'cancelled';
  reasons: string[];
  linkWorkerId?: string;
}

export interface LinkwellDB extends DBSchema {
  outbox: { key: string; value: OutboxEntry; indexes: { status: OutboxStatus; createdAt: number } };
  activity: { key: string; value: ActivityRecord; indexes: { month: string } };
}

export const DB_NAME = 'linkwell';
const DB_VERSION = 1;

let opening: Promise<IDBPDatabase<LinkwellDB>> | undefined;

/** Opens (once per context) the database, creating its stores on first use. */
export function openLinkwellDb(): Promise<IDBPDatabase<LinkwellDB>> {
  opening ??= openDB<LinkwellDB>(DB_NAME, DB_VERSION, {
    upgrade(db) {
      const outbox = db.createObjectStore('outbox', { keyPath: 'id' });
      outbox.createIndex('status', 'status');
      outbox.createIndex('createdAt', 'createdAt');
      const activity = db.createObjectStore('activity', { keyPath: 'id' });
      activity.createIndex('month', 'month');
    },
    terminated() {
      opening = undefined;
    },
  }).catch((error: unknown) => {
    opening = undefined;
    throw error;
  });
  return opening;
}

/** Closes this context's connection (tests, and before deleting the database). */
export async function closeLinkwellDb(): Promise<void> {
  const pending = opening;
  opening = undefined;
  if (pending) (await pending.catch(() => undefined))?.close();
}
