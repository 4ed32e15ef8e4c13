import { calendarFileName, offerToCalendar } from '../core/calendar-file';
import type { Offer } from '../core/offer';

/**
 * Saves the offer's schedule as an `.ics` file, built in the page: nothing is sent anywhere. The link is
 * put in `parent` for the click because a detached link's download is not honoured by every browser.
 * Never throws (it runs in a click on someone else's page): `false` means no file could be made.
 */
export function downloadCalendar(offer: Offer, parent: Node): boolean {
  try {
    const calendar = offerToCalendar(offer, { now: new Date() });
    if (!calendar) return false;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([calendar], { type: 'text/calendar;charset=utf-8' }));
    link.download = calendarFileName(offer);
    link.hidden = true;
    parent.appendChild(link);
    link.click();
    link.remove();
    // Revoked later: some browsers read the blob after click() returns.
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    return true;
  } catch {
    return false;
  }
}
