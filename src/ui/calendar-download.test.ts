// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Offer } from '../core/offer';
import { downloadCalendar } from './calendar-download';

// "Add to calendar" runs in a click on a partner's page: whatever the offer holds, it must not throw there.

const offer: Offer = {
  id: 'walk-1',
  name: 'Riverside walk',
  categories: [],
  schedules: [{ byDay: ['TU'], opensAt: '10:00' }],
  howToJoin: [],
  status: 'active',
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('downloadCalendar', () => {
  it('saves a calendar file through a link it clicks and removes', () => {
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    expect(downloadCalendar(offer, document.body)).toBe(true);
    expect(clicked).toEqual(['riverside-walk.ics']);
    expect(document.body.querySelector('a')).toBeNull();
  });

  it('says false, without throwing, for a date no calendar has', () => {
    // Past the schema, as a feed read some other way might be: `2025-13-40` is an invalid Date.
    const broken = { ...offer, schedules: [{ byDay: ['TU'], validFrom: '2025-13-40' }] };
    expect(() => downloadCalendar(broken, document.body)).not.toThrow();
    expect(downloadCalendar(broken, document.body)).toBe(false);
  });

  it('says false when no schedule can go in a calendar', () => {
    expect(downloadCalendar({ ...offer, schedules: [{ description: 'Ring to book' }] }, document.body)).toBe(
      false,
    );
  });
});
