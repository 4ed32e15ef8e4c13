import { describe, expect, it } from 'vitest';
import demo from '../../demo/museum/offers.json';
import { serviceIdOf } from '../../src/core/hsds-export';
import { parseOfferFeed } from '../../src/core/open-referral';
import hsds3Locations from '../../tests/fixtures/feeds/hsds3-locations.json';
import hsds3Page from '../../tests/fixtures/feeds/hsds3-page.json';
import oruk1Page from '../../tests/fixtures/feeds/oruk1-page.json';
import {
  draftToFeed,
  draftToOffers,
  embedSnippet,
  emptyDraft,
  emptyOffer,
  feedToDraft,
  hasWork,
  offerToDraft,
} from './draft';

// The builder opens an offers.json, the volunteer changes what they need, and downloads it again: nothing
// they did not change may be lost on the way.

let keys = 0;
const nextKey = () => `offer-${++keys}`;
const reopen = (json: unknown) => {
  const opened = feedToDraft(parseOfferFeed(json), emptyDraft(), nextKey);
  return { ...opened, downloaded: parseOfferFeed(JSON.parse(draftToFeed(opened.draft).json)) };
};

describe('opening an offers.json and downloading it again', () => {
  it('gives back every offer of the demo museum as it was, each under its own organisation', () => {
    const before = parseOfferFeed(demo).offers;
    const { draft, downloaded } = reopen(demo);
    expect(draft.organisation).toBe('Severn Vale Museum');
    expect(new Set(downloaded.offers.map((offer) => offer.organisation?.name)).size).toBe(10);
    expect(downloaded.problems).toEqual([]);
    expect(downloaded.offers).toEqual(before);
  });

  it.each([
    ['HSDS 3.0 page', hsds3Page],
    ['HSDS 3.0 schedules by location', hsds3Locations],
    ['ORUK 1.0 page', oruk1Page],
  ])('gives back every offer of the %s fixture, ids made UUIDs', (_name, fixture) => {
    const before = parseOfferFeed(fixture).offers.map((offer) => ({ ...offer, id: serviceIdOf(offer) }));
    expect(reopen(fixture).downloaded.offers).toEqual(before);
  });

  it('keeps times the form cannot show, and shows the first it can', () => {
    const offer = parseOfferFeed(demo).offers.find((o) => o.name === 'Veterans’ Art Group');
    if (!offer) throw new Error('no Veterans’ Art Group in the demo feed');
    const draft = offerToDraft(offer, 'k');
    // Second and fourth Monday: one "Monthly, second/fourth" choice cannot say both.
    expect(draft.days).toEqual([]);
    expect(draft.keptSchedules).toEqual(offer.schedules);
    const reading = parseOfferFeed(demo).offers.find((o) => o.name === 'Reading Friends');
    if (!reading) throw new Error('no Reading Friends in the demo feed');
    const second = offerToDraft(reading, 'k');
    expect(second.days).toEqual(['TU']);
    expect(second.keptSchedules).toEqual(reading.schedules.slice(1));
  });

  it('writes a changed time from the form, followed by the kept ones', () => {
    const reading = parseOfferFeed(demo).offers.find((o) => o.name === 'Reading Friends');
    if (!reading) throw new Error('no Reading Friends in the demo feed');
    const draft = { ...offerToDraft(reading, 'k'), opensAt: '14:30' };
    const [offer] = draftToOffers({ ...emptyDraft(), offers: [draft] }).offers;
    expect(offer?.schedules).toEqual([
      { byDay: ['TU'], opensAt: '14:30', closesAt: '15:30', freq: 'WEEKLY' },
      ...reading.schedules.slice(1),
    ]);
  });

  it('says what in the file it could not keep', () => {
    const { notes } = reopen([
      { id: 'a', name: 'Choir', status: 'active' },
      { id: 'b', status: 'active' },
      { id: 'c', name: 'Old club', status: 'inactive' },
    ]);
    expect(notes).toEqual([
      '1 offer in the file could not be read, so it is not in the form and will not be in the file you download:',
      'Service 2: has no name.',
      '1 offer is marked as not active, so it is not in the form and will not be in the file you download.',
    ]);
  });
});

describe('draftToOffers', () => {
  const offer = (fields: Partial<ReturnType<typeof emptyOffer>>) =>
    draftToOffers({ ...emptyDraft(), offers: [{ ...emptyOffer('k'), name: 'Choir', ...fields }] });

  it('says what is wrong with an email that would fill in more than an address', () => {
    expect(offer({ email: 'a@b.org?subject=Hi' }).problems).toEqual([
      { offer: 0, field: 'email', message: 'Enter an email address like name@example.org.' },
    ]);
  });

  it('says what is wrong with a contact page and a website that are not web addresses', () => {
    expect(offer({ contactUrl: 'javascript:alert(1)' }).problems.map((p) => p.field)).toEqual(['contactUrl']);
    expect(offer({ organisation: 'Ramblers', website: 'ftp://x' }).problems.map((p) => p.field)).toEqual([
      'website',
    ]);
  });

  it('gives an offer its own organisation, else the list’s', () => {
    const own = offer({ organisation: 'Stroud Ramblers', website: 'ramblers.example.org' }).offers[0];
    expect(own?.organisation).toEqual({ name: 'Stroud Ramblers', url: 'https://ramblers.example.org/' });
    const draft = {
      ...emptyDraft(),
      organisation: 'Severn Vale Museum',
      offers: [{ ...emptyOffer('k'), name: 'A' }],
    };
    expect(draftToOffers(draft).offers[0]?.organisation).toEqual({ name: 'Severn Vale Museum' });
  });

  it('keeps the contact page and who assured it', () => {
    const [read] = offer({
      contactUrl: 'https://museum.example.org/contact',
      assuredDate: '2025-10-14',
      assurer: 'quality@example.org',
    }).offers;
    expect(read?.contact).toEqual({ url: 'https://museum.example.org/contact' });
    expect(read?.qualityAssured).toEqual({ assuredDate: '2025-10-14', assurer: 'quality@example.org' });
  });
});

describe('embedSnippet', () => {
  it('writes an empty heading, so the site has no heading as the preview has none', () => {
    expect(embedSnippet({ ...emptyDraft(), heading: ' ' })).toBe(
      '<script src="/linkwell-offers.js" defer></script>\n<linkwell-offers src="/offers.json" heading=""></linkwell-offers>',
    );
  });
});

describe('hasWork', () => {
  it('is false for a fresh draft, true once anything is typed', () => {
    expect(hasWork(emptyDraft())).toBe(false);
    expect(hasWork({ ...emptyDraft(), organisation: 'Museum' })).toBe(true);
    expect(hasWork({ ...emptyDraft(), offers: [{ ...emptyOffer('k'), postcode: 'GL1' }] })).toBe(true);
  });
});
