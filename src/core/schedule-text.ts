import type { Schedule } from './offer';

/** iCalendar weekday codes in ISO order (Monday first); index + 1 is the ISO weekday number. */
export const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type DayCode = (typeof DAY_CODES)[number];
export const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

/** `2MO` → `{ nth: 2, day: 0 }`; `TU` → `{ nth: 0, day: 1 }` (`day` indexes DAY_CODES, `nth` 0 = every). */
export function splitDayCode(code: string): { nth: number; day: number } {
  return { nth: Number(code.slice(0, -2)) || 0, day: DAY_CODES.indexOf(code.slice(-2) as DayCode) };
}

/** `Monday, Tuesday and Friday`: British English, no comma before "and". */
const list = (words: string[]) => new Intl.ListFormat('en-GB').format(words);

/**
 * A date written for people: `3 February`, with the year when it is not `year`.
 * @example dateText('2026-02-03', 2026) // '3 February'
 */
export function dateText(isoDate: string, year?: number): string {
  // UTC both ways, so the day is the one written whatever the reader's time zone.
  return new Date(`${isoDate}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
    ...(isoDate.startsWith(String(year)) ? {} : { year: 'numeric' }),
  });
}

function daysText(schedule: Schedule): string {
  const codes = schedule.byDay ?? [];
  const interval = schedule.interval ?? 1;
  if (!codes.length) {
    if (schedule.freq !== 'DAILY') return '';
    return interval > 1 ? `Every ${interval} days` : 'Every day';
  }
  const parts = codes.map(splitDayCode);
  const names = parts.map(({ day }) => DAY_NAMES[day] ?? '');
  if (parts.some(({ nth }) => nth)) {
    // Monthly by position: "First and third Monday of the month", "Last Friday of the month".
    const words = parts.map(({ nth, day }) => {
      const which =
        nth < 0 ? (nth === -1 ? 'last' : `${ORDINALS[-nth - 1] ?? ''} from last`) : ORDINALS[nth - 1];
      return `${which} ${DAY_NAMES[day]}`;
    });
    const text = list(words);
    const every = interval > 1 ? `every ${interval} months` : 'of the month';
    return `${text.charAt(0).toUpperCase()}${text.slice(1)} ${every}`;
  }
  if (schedule.freq === 'MONTHLY') return `${list(names)}, monthly`;
  if (interval === 2) return `Every other ${list(names)}`;
  if (interval > 2) return `Every ${interval} weeks on ${list(names)}`;
  if (codes.length === 7) return 'Every day';
  if (codes.length === 5 && parts.every(({ day }) => day < 5)) return 'Weekdays';
  return list(names.map((name) => `${name}s`));
}

/**
 * A schedule in plain words, for people: days, times, dates, then the feed's own note.
 * Dates carry their year only when it is not `options.year` (pass the current year).
 * @example scheduleText({ byDay: ['TU'], opensAt: '10:00', closesAt: '12:00', validFrom: '2026-02-03' }, { year: 2026 })
 * // 'Tuesdays 10:00 to 12:00, from 3 February'
 */
export function scheduleText(schedule: Schedule, options: { year?: number | undefined } = {}): string {
  const { opensAt, closesAt, validFrom, validTo, description } = schedule;
  const times = opensAt && closesAt ? `${opensAt} to ${closesAt}` : opensAt ? `from ${opensAt}` : '';
  const sameYear = validFrom && validTo && validFrom.slice(0, 4) === validTo.slice(0, 4);
  // A range within one other year names it once, at the end: "3 February to 30 June 2027".
  const fromYear = sameYear ? Number(validFrom.slice(0, 4)) : options.year;
  const from = validFrom && dateText(validFrom, fromYear);
  const to = validTo && dateText(validTo, options.year);
  const dates = from && to ? `${from} to ${to}` : from ? `from ${from}` : to ? `until ${to}` : '';
  const when = [daysText(schedule), times].filter(Boolean).join(' ');
  const structured = [when, dates].filter(Boolean).join(', ');
  if (!structured) return description ?? '';
  const sentence = `${structured.charAt(0).toUpperCase()}${structured.slice(1)}`;
  return description ? `${sentence}. ${description}` : sentence;
}
