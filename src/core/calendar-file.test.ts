import { describe, expect, it } from 'vitest';
import { calendarFileName, escapeText, foldLine, isCalendarSchedule, offerToCalendar } from './calendar-file';
import type { Offer } from './offer';

const now = new Date('2026-01-20T09:30:00Z'); // a Tuesday
const walk: Offer = {
  id: 'walk-1',
  name: 'Riverside walk; gentle, flat',
  organisation: { name: 'Frome Ramblers' },
  description: 'Meet at the café.\nBring water.',
  categories: [],
  place: {
    name: 'Cheese and Grain',
    address: ['Market Yard', 'Frome'],
    postcode: 'BA11 1BE',
    accessibility: [],
  },
  schedules: [
    { byDay: ['TU'], opensAt: '10:00', closesAt: '12:00', validFrom: '2026-02-03', validTo: '2026-06-30' },
  ],
  howToJoin: ['drop-in'],
  url: 'https://ramblers.example.org/walk',
  status: 'active',
};
const lines = (calendar: string | undefined) => calendar?.replace(/\r\n /g, '').split('\r\n') ?? [];

describe('offerToCalendar', () => {
  const calendar = offerToCalendar(walk, { now }) ?? '';

  it('is a VCALENDAR with CRLF line ends throughout', () => {
    expect(calendar.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
    expect(calendar.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(calendar.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('starts on the first session on or after the start date and repeats weekly until the end date', () => {
    expect(lines(calendar)).toEqual(
      expect.arrayContaining([
        'DTSTART:20260203T100000',
        'DTEND:20260203T120000',
        'RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20260630T235959',
      ]),
    );
  });

  it('has a UID, a UTC DTSTAMP, and escaped text', () => {
    expect(lines(calendar)).toEqual(
      expect.arrayContaining([
        'UID:walk-1-0@linkwell-offers',
        'DTSTAMP:20260120T093000Z',
        'SUMMARY:Riverside walk\\; gentle\\, flat',
        'LOCATION:Cheese and Grain\\, Market Yard\\, Frome\\, BA11 1BE',
        'URL:https://ramblers.example.org/walk',
      ]),
    );
    expect(lines(calendar).find((line) => line.startsWith('DESCRIPTION:'))).toBe(
      'DESCRIPTION:Frome Ramblers\\nMeet at the café.\\nBring water.\\nHow to join: Drop in.',
    );
  });

  it('starts from today when the schedule has no start date', () => {
    const calendar = offerToCalendar({ ...walk, schedules: [{ byDay: ['TH'], opensAt: '14:00' }] }, { now });
    expect(lines(calendar)).toContain('DTSTART:20260122T140000');
  });

  it('places monthly positions on the right day', () => {
    const secondMonday = {
      byDay: ['2MO'],
      freq: 'MONTHLY' as const,
      opensAt: '18:30',
      validFrom: '2026-03-01',
    };
    expect(lines(offerToCalendar({ ...walk, schedules: [secondMonday] }, { now }))).toEqual(
      expect.arrayContaining(['DTSTART:20260309T183000', 'RRULE:FREQ=MONTHLY;BYDAY=2MO']),
    );
    const lastFriday = { byDay: ['-1FR'], freq: 'MONTHLY' as const, validFrom: '2026-01-01' };
    expect(lines(offerToCalendar({ ...walk, schedules: [lastFriday] }, { now }))).toEqual(
      expect.arrayContaining(['DTSTART;VALUE=DATE:20260130', 'RRULE:FREQ=MONTHLY;BYDAY=-1FR']),
    );
  });

  it('writes one event per schedule and a one-off date without a rule', () => {
    const calendar = offerToCalendar(
      {
        ...walk,
        schedules: [
          { byDay: ['MO'], interval: 2 },
          { validFrom: '2026-05-02', opensAt: '11:00' },
        ],
      },
      { now },
    );
    expect(calendar?.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(lines(calendar)).toEqual(
      expect.arrayContaining([
        'RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO',
        'DTSTART:20260502T110000',
        'UID:walk-1-1@linkwell-offers',
      ]),
    );
    expect(lines(calendar).filter((line) => line.startsWith('RRULE'))).toHaveLength(1);
  });

  it('gives nothing when no schedule can be placed', () => {
    expect(
      offerToCalendar({ ...walk, schedules: [{ description: 'Ring to book' }] }, { now }),
    ).toBeUndefined();
    expect(offerToCalendar({ ...walk, schedules: [] }, { now })).toBeUndefined();
  });

  it('leaves out a schedule that has ended, and gives nothing when all have', () => {
    const ended = { byDay: ['MO'], validTo: '2025-12-31' };
    const both = offerToCalendar({ ...walk, schedules: [ended, { byDay: ['FR'] }] }, { now });
    expect(both?.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(lines(both)).toContain('RRULE:FREQ=WEEKLY;BYDAY=FR');
    expect(offerToCalendar({ ...walk, schedules: [ended] }, { now })).toBeUndefined();
  });

  it('folds long lines at 75 octets', () => {
    const long = offerToCalendar({ ...walk, description: 'é'.repeat(200) }, { now }) ?? '';
    for (const line of long.split('\r\n'))
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(lines(long).find((line) => line.startsWith('DESCRIPTION:'))).toContain('é'.repeat(200));
  });
});

describe('pieces', () => {
  it('escapes backslash, semicolon, comma and newlines', () => {
    expect(escapeText('a\\b;c,d\r\ne')).toBe('a\\\\b\\;c\\,d\\ne');
  });

  it('never splits a character when folding', () => {
    const folded = foldLine(`SUMMARY:${'😀'.repeat(30)}`);
    expect(folded.split('\r\n ').join('')).toBe(`SUMMARY:${'😀'.repeat(30)}`);
  });

  it('says a schedule that ended before today cannot go in a calendar', () => {
    const schedule = { byDay: ['TU'], validTo: '2026-01-19' };
    expect(isCalendarSchedule(schedule, '2026-01-20')).toBe(false);
    expect(isCalendarSchedule(schedule, '2026-01-19')).toBe(true);
    expect(isCalendarSchedule(schedule)).toBe(true);
    expect(isCalendarSchedule({ description: 'Ring to book' }, '2026-01-20')).toBe(false);
  });

  it('names the file after the offer', () => {
    expect(calendarFileName(walk)).toBe('riverside-walk-gentle-flat.ics');
    expect(calendarFileName({ ...walk, name: '★★★' })).toBe('offer.ics');
  });
});
