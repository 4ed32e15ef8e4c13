import { describe, expect, it } from 'vitest';
import feed from '../demo/museum/offers.json';
import { readOfferFeed } from '../src/core/feed-reader';
import { parseOfferFeed } from '../src/core/open-referral';

// The demo museum's sample feed: realistic, valid HSDS 3.0, and exercising what the widget shows.
describe('demo/museum/offers.json', () => {
  const parsed = parseOfferFeed(feed);

  it('has at least 25 offers, all valid', () => {
    expect(parsed.format).toBe('hsds3');
    expect(parsed.offers.length).toBeGreaterThanOrEqual(25);
    expect(parsed.skipped).toBe(0);
    expect(parsed.problems).toEqual([]);
  });

  it('uses fictional contacts only: example.org addresses and Ofcom drama phone numbers', () => {
    for (const offer of parsed.offers) {
      if (offer.contact?.email) expect(offer.contact.email).toMatch(/[.@]example\.org$/);
      if (offer.contact?.phone) expect(offer.contact.phone).toMatch(/^(0117 496 0\d{3}|01632 96\d{4})$/);
      if (offer.url) expect(new URL(offer.url).hostname).toMatch(/(^|\.)example\.org$/);
    }
  });

  it('covers what the widget shows: ages, free and paid, assured, monthly and fortnightly schedules', () => {
    const offers = parsed.offers;
    expect(offers.some((offer) => offer.eligibility?.minAge !== undefined)).toBe(true);
    expect(offers.some((offer) => offer.cost?.free === true)).toBe(true);
    expect(offers.some((offer) => offer.cost?.free !== true)).toBe(true);
    expect(offers.some((offer) => offer.qualityAssured)).toBe(true);
    expect(offers.some((offer) => offer.schedules.some((s) => s.byDay?.some((d) => /\d/.test(d))))).toBe(
      true,
    );
    expect(offers.some((offer) => offer.schedules.some((s) => s.interval === 2))).toBe(true);
    expect(offers.every((offer) => offer.howToJoin.length > 0)).toBe(true);
  });

  it('reads the same without the zod check, as the widget reads it', () => {
    expect(readOfferFeed(feed)).toEqual(parsed);
  });
});
