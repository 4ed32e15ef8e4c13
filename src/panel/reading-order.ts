import type { RecordPatient, RecordReading } from '../shared/messages';

// Readings of a tab's record page arrive by two roads (the reply to the panel's question, and the
// broadcast of a change) and either may overtake the other. Each reading is stamped by the script that
// made it; the panel keeps, per tab, the newest one it has seen and ignores anything older.

/** Whether `next` was read no earlier than `last` (per tab: the stamps of two tabs are never compared). */
export function isNewerReading(next: RecordReading, last: RecordReading | undefined): boolean {
  if (!last) return true;
  // The same reading again (asked twice) is not older: showing it again does no harm.
  if (next.instance === last.instance) return next.seq >= last.seq;
  // Another script: from a later page load it is newer; from an earlier one it is a late message
  // from a page that has gone. A second script on the same page load (the extension was reloaded)
  // cannot be ordered by its stamp, and is the one now running.
  return next.page >= last.page;
}

interface TabReadings {
  last?: RecordReading;
  /** Scripts whose page has been replaced: anything more from them is late. */
  retired: Set<string>;
  /** The tab started loading a page since `last`: the next script is newer whatever its clock says. */
  navigated: boolean;
}

export function createReadingOrder() {
  const tabs = new Map<number, TabReadings>();
  const of = (tabId: number) => {
    let readings = tabs.get(tabId);
    if (!readings) {
      readings = { retired: new Set(), navigated: false };
      tabs.set(tabId, readings);
    }
    return readings;
  };
  return {
    /**
     * Takes a reading from `tabId`'s page; returns the patient to show for that tab now: this reading's
     * when it is the newest so far, otherwise the newest one already seen.
     */
    take(tabId: number, reading: RecordReading): { patient: RecordPatient; newer: boolean } {
      const readings = of(tabId);
      const { last } = readings;
      const fromAnother = last !== undefined && reading.instance !== last.instance;
      const newer =
        !readings.retired.has(reading.instance) &&
        // After a navigation a new script is the new page's, even if the clock was put back meanwhile.
        (isNewerReading(reading, last) || (fromAnother && readings.navigated));
      if (!newer) return { patient: (last ?? reading).patient, newer: false };
      if (fromAnother && last) {
        readings.retired.add(last.instance);
        readings.navigated = false;
      }
      readings.last = reading;
      return { patient: reading.patient, newer: true };
    },
    /** The tab started loading a page (`tabs.onUpdated` status `loading`). */
    navigated(tabId: number) {
      of(tabId).navigated = true;
    },
    /** Forgets a tab that has closed. */
    forget(tabId: number) {
      tabs.delete(tabId);
    },
  };
}
