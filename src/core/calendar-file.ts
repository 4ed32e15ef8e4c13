import type { HowToJoin, Offer, Schedule } from './offer';
import { splitDayCode } from './schedule-text';

// An iCalendar file (RFC 5545, https://www.rfc-editor.org/rfc/rfc5545) with one recurring event per schedule.
// Feed times are local times of the place, so events use "floating" local times (RFC 5545 3.3.5, form #1):
// 10:00 stays 10:00 in the person's calendar. A VTIMEZONE for Europe/London would say the same for UK
// calendars at twice the size, and the widget has a 15 kB budget.

/** How to join, in words for people (also the offer card's). */
export const JOIN_WORDS: Record<HowToJoin, string> = {
  'self-referral': 'Refer yourself',
  'link-worker': 'Through a social prescribing link worker',
  'drop-in': 'Drop in',
};

/** RFC 5545 3.3.11: backslash, semicolon and comma are escaped, line breaks written as `\n`. */
export function escapeText(text: string): string {
  return text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n|\r/g, '\\n');
}

/**
 * RFC 5545 3.1: lines longer than 75 octets are folded with CRLF and one space; a character's UTF-8
 * bytes are never split.
 */
export function foldLine(line: string): string {
  let out = '';
  let octets = 0;
  for (const char of line) {
    // The UTF-8 length of one code point: 4 octets beyond U+FFFF (two UTF-16 units), 3 from U+0800, 2 from U+0080.
    const size = char.length > 1 ? 4 : char > '\u07ff' ? 3 : char > '\x7f' ? 2 : 1;
    octets += size;
    if (octets > 75) {
      out += '\r\n ';
      octets = size + 1; // the leading space counts
    }
    out += char;
  }
  return out;
}

/** The day of `date` as `YYYY-MM-DD` (UTC, as the calendar file's stamp). */
export const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const compactDate = (isoDate: string) => isoDate.replaceAll('-', '');
const compactTime = (clock: string) => `T${clock.replace(':', '')}00`;

/** Whether `date` is a day the schedule runs on, apart from the interval's phase. */
function runsOn(schedule: Schedule, date: Date): boolean {
  const codes = schedule.byDay;
  if (!codes?.length) return true; // daily, or repeating from its start date
  const weekday = (date.getUTCDay() + 6) % 7; // ISO: Monday 0
  return codes.some((code) => {
    const { nth, day: codeDay } = splitDayCode(code);
    if (codeDay !== weekday) return false;
    if (!nth) return true;
    const dayOfMonth = date.getUTCDate();
    if (nth > 0) return Math.ceil(dayOfMonth / 7) === nth;
    const daysInMonth = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    return Math.ceil((daysInMonth - dayOfMonth + 1) / 7) === -nth;
  });
}

/** The first day on or after `from` that the schedule runs, within a year and a bit. */
function firstDay(schedule: Schedule, from: string): string | undefined {
  const date = new Date(`${from}T00:00:00Z`);
  for (let i = 0; i < 400; i++, date.setUTCDate(date.getUTCDate() + 1)) {
    const iso = isoDay(date);
    if (schedule.validTo && iso > schedule.validTo) return undefined;
    if (runsOn(schedule, date)) return iso;
  }
  return undefined;
}

/** The RRULE for a schedule, or `undefined` for a one-off (a start date with no days and no frequency). */
function ruleOf(schedule: Schedule): string | undefined {
  const codes = schedule.byDay ?? [];
  if (!codes.length && !schedule.freq) return undefined;
  // Positions such as `2MO` are only meaningful monthly (RFC 5545 3.3.10, BYDAY).
  const positioned = codes.some((code) => splitDayCode(code).nth);
  const freq = positioned ? 'MONTHLY' : (schedule.freq ?? 'WEEKLY');
  const parts = [`FREQ=${freq}`];
  if ((schedule.interval ?? 1) > 1) parts.push(`INTERVAL=${schedule.interval}`);
  if (codes.length) parts.push(`BYDAY=${codes.join(',')}`);
  // With a floating DTSTART, UNTIL is floating too (RFC 5545 3.3.10); a date-only start takes a date.
  if (schedule.validTo)
    parts.push(`UNTIL=${compactDate(schedule.validTo)}${schedule.opensAt ? 'T235959' : ''}`);
  return `RRULE:${parts.join(';')}`;
}

/**
 * Whether a schedule can become a calendar event: it names days (or daily), or a start date, and has not
 * ended before `today` (`YYYY-MM-DD`; leave it out to ignore the end date).
 * @example isCalendarSchedule({ byDay: ['TU'], validTo: '2025-06-30' }, '2026-01-20') // false
 */
export function isCalendarSchedule(schedule: Schedule, today = ''): boolean {
  return (
    Boolean(schedule.byDay?.length || schedule.freq === 'DAILY' || schedule.validFrom) &&
    !(schedule.validTo && schedule.validTo < today)
  );
}

/** A file name for the offer's calendar file: `walking-for-health.ics`. */
export function calendarFileName(offer: Offer): string {
  const slug = offer.name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'offer'}.ics`;
}

function eventOf(offer: Offer, schedule: Schedule, index: number, stamp: string, today: string): string[] {
  const start = firstDay(schedule, schedule.validFrom ?? today);
  if (!start) return [];
  const { opensAt, closesAt } = schedule;
  const { place, contact } = offer;
  const at = (clock: string) => `${compactDate(start)}${compactTime(clock)}`;
  const join = offer.howToJoin.map((way) => JOIN_WORDS[way]).join(', ');
  const details = [
    offer.organisation?.name,
    offer.description,
    schedule.description,
    join && `How to join: ${join}.`,
    offer.applicationProcess,
    contact?.phone && `Phone: ${contact.phone}`,
    contact?.email && `Email: ${contact.email}`,
  ]
    .filter(Boolean)
    .join('\n');
  const location = place && [place.name, ...place.address, place.postcode].filter(Boolean).join(', ');
  return [
    'BEGIN:VEVENT',
    // RFC 5545 3.8.4.7: globally unique; the offer id and schedule number under this product's name.
    `UID:${escapeText(`${offer.id}-${index}@linkwell-offers`)}`,
    `DTSTAMP:${stamp}`,
    opensAt ? `DTSTART:${at(opensAt)}` : `DTSTART;VALUE=DATE:${compactDate(start)}`,
    opensAt && closesAt && closesAt > opensAt && `DTEND:${at(closesAt)}`,
    ruleOf(schedule),
    `SUMMARY:${escapeText(offer.name)}`,
    details && `DESCRIPTION:${escapeText(details)}`,
    location && `LOCATION:${escapeText(location)}`,
    offer.url && `URL:${offer.url}`,
    'END:VEVENT',
  ].filter((line): line is string => Boolean(line));
}

/**
 * The offer's schedules as an iCalendar file (RFC 5545): one event per schedule that names days or a start
 * date and has not ended, repeating by its rule; `undefined` when no schedule can be placed in a calendar.
 * `now` stamps the file (DTSTAMP) and sets where schedules without a start date begin.
 * @example offerToCalendar(walkingGroup, { now: new Date() })?.startsWith('BEGIN:VCALENDAR\r\n') // true
 */
export function offerToCalendar(offer: Offer, options: { now: Date }): string | undefined {
  const stamp = `${options.now.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
  const today = isoDay(options.now);
  const events = offer.schedules
    .filter((schedule) => isCalendarSchedule(schedule, today))
    .flatMap((schedule, index) => eventOf(offer, schedule, index, stamp, today));
  if (!events.length) return undefined;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Linkwell//Offers widget//EN',
    'METHOD:PUBLISH',
    ...events,
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
