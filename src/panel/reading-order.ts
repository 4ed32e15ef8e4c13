import type { RecordPatient, RecordReading } from '../shared/messages';

// Readings of a tab's record page arrive by two roads (the reply to the panel's question, and the
// broadcast of a change) and either may overtake the other. Each reading is stamped by the script that
// made it; the panel keeps, per tab, the newest one it has seen and ignores anything older.

/** Whether `next` was read no earlier than `last` (per tab: the stamps of two pages are never compared). */
export function isNewerReading(next: RecordReading, last: RecordReading | undefined): boolean {
  if (!last) return true;
  // The same reading again (asked twice) is not older: showing it again does no harm.
  if (next.instance === last.instance) return next.seq >= last.seq;
  // Another script: from a later page load it is newer; from an earlier one it is a late message
  // from a page that has gone. A second script on the same page load (the extension was reloaded)
  // cannot be ordered by its stamp, and is the one now running.
  return next.page >= last.page;
}

export function createReadingOrder() {
  const newest = new Map<number, RecordReading>();
  return {
    /**
     * Takes a reading from `tabId`'s page; returns the patient to show for that tab now: this reading's
     * when it is the newest so far, otherwise the newest one already seen.
     */
    take(tabId: number, reading: RecordReading): { patient: RecordPatient; newer: boolean } {
      const last = newest.get(tabId);
      if (!last || isNewerReading(reading, last)) {
        newest.set(tabId, reading);
        return { patient: reading.patient, newer: true };
      }
      return { patient: last.patient, newer: false };
    },
    /** Forgets a tab that has closed. */
    forget(tabId: number) {
      newest.delete(tabId);
    },
  };
}
