import { calendarFileName, offerToCalendar } from '../core/calendar-file';
import type { Offer } from '../core/offer';

/**
 * Saves the offer's schedule as an `.ics` file, built in the page: nothing is sent anywhere. The link is
 * put in `parent` for the click because a detached link's download is not honoured by every browser.
 */
export function downloadCalendar(offer: Offer, parent: Node): void {
  const calendar = offerToCalendar(offer, { now: new Date() });
  if (!calendar) return;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([calendar], { type: 'text/calendar;charset=utf-8' }));
  link.download = calendarFileName(offer);
  link.hidden = true;
  parent.appendChild(link);
  link.click();
  link.remove();
  // Revoked later: some browsers read the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
