import { describe, expect, it } from 'vitest';
import { dateText, scheduleText } from './schedule-text';

describe('scheduleText', () => {
  it('writes a weekly session with its start date', () => {
    expect(
      scheduleText(
        { byDay: ['TU'], opensAt: '10:00', closesAt: '12:00', validFrom: '2026-02-03' },
        { year: 2026 },
      ),
    ).toBe('Tuesdays 10:00 to 12:00, from 3 February');
  });

  it('names the year of a date in another year', () => {
    expect(scheduleText({ byDay: ['TU'], validFrom: '2027-02-03' }, { year: 2026 })).toBe(
      'Tuesdays, from 3 February 2027',
    );
  });

  it('writes a range within one other year with the year once', () => {
    expect(
      scheduleText({ byDay: ['MO'], validFrom: '2027-01-04', validTo: '2027-03-29' }, { year: 2026 }),
    ).toBe('Mondays, 4 January to 29 March 2027');
  });

  it('writes an end date alone as "until"', () => {
    expect(scheduleText({ byDay: ['FR'], opensAt: '14:00', validTo: '2026-06-30' }, { year: 2026 })).toBe(
      'Fridays from 14:00, until 30 June',
    );
  });

  it('joins several days', () => {
    expect(scheduleText({ byDay: ['MO', 'WE', 'FR'] })).toBe('Mondays, Wednesdays and Fridays');
  });

  it('says weekdays and every day', () => {
    expect(scheduleText({ byDay: ['MO', 'TU', 'WE', 'TH', 'FR'] })).toBe('Weekdays');
    expect(scheduleText({ freq: 'DAILY', opensAt: '09:00', closesAt: '17:00' })).toBe(
      'Every day 09:00 to 17:00',
    );
  });

  it('writes fortnightly and longer intervals', () => {
    expect(scheduleText({ byDay: ['TH'], interval: 2 })).toBe('Every other Thursday');
    expect(scheduleText({ byDay: ['TH'], interval: 3 })).toBe('Every 3 weeks on Thursday');
  });

  it('writes monthly positions', () => {
    expect(scheduleText({ byDay: ['2MO'], freq: 'MONTHLY', opensAt: '18:00' })).toBe(
      'Second Monday of the month from 18:00',
    );
    expect(scheduleText({ byDay: ['1SA', '3SA'], freq: 'MONTHLY' })).toBe(
      'First Saturday and third Saturday of the month',
    );
    expect(scheduleText({ byDay: ['-1FR'], freq: 'MONTHLY' })).toBe('Last Friday of the month');
  });

  it('adds the feed note after the structured part, or uses it alone', () => {
    expect(scheduleText({ byDay: ['WE'], description: 'Term time only' })).toBe('Wednesdays. Term time only');
    expect(scheduleText({ description: 'Ring to book a time' })).toBe('Ring to book a time');
  });
});

describe('dateText', () => {
  it('leaves out the given year', () => {
    expect(dateText('2026-12-01', 2026)).toBe('1 December');
    expect(dateText('2026-12-01')).toBe('1 December 2026');
  });
});
