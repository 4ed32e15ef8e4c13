import { describe, expect, it } from 'vitest';
import hsds3Array from '../../tests/fixtures/feeds/hsds3-array.json';
import hsds3Page from '../../tests/fixtures/feeds/hsds3-page.json';
import hsds3Single from '../../tests/fixtures/feeds/hsds3-single.json';
import oruk1Page from '../../tests/fixtures/feeds/oruk1-page.json';
import { offersToHsds } from './hsds-export';
import type { Offer } from './offer';
import { parseOfferFeed } from './open-referral';

const walkingGroup: Offer = {
  id: 'walk-1',
  name: 'Stroud walking group',
  organisation: { name: 'Stroud Ramblers', url: 'https://ramblers.example.org/' },
  description: 'Gentle walks on the commons.',
  categories: ['Physical activity', 'Green and outdoors'],
  place: {
    name: 'Rodborough Common car park',
    address: ['Rodborough Hill', 'Stroud', 'Gloucestershire'],
    postcode: 'GL5 3SS',
    accessibility: ['Uneven ground'],
  },
  schedules: [
    { byDay: ['TU'], opensAt: '10:00', closesAt: '11:30', freq: 'WEEKLY', interval: 1 },
    { byDay: ['1SA'], opensAt: '14:00', freq: 'MONTHLY', validFrom: '2025-01-01', validTo: '2025-12-31' },
    { description: 'Extra walks in the summer holidays' },
  ],
  cost: { free: true, text: 'Free' },
  eligibility: { text: 'Adults', minAge: 18, maxAge: 99 },
  howToJoin: ['self-referral', 'drop-in'],
  applicationProcess: 'Turn up at the car park.',
  contact: {
    email: 'walks@ramblers.example.org',
    phone: '01453 000303',
    url: 'https://ramblers.example.org/contact',
  },
  url: 'https://ramblers.example.org/stroud',
  qualityAssured: { assuredDate: '2025-04-01', assurer: 'check@example.org' },
  status: 'active',
};

const roundTrip = (offers: Offer[]) => parseOfferFeed(offersToHsds(offers)).offers;

describe('offersToHsds', () => {
  it('writes one HSDS 3.0 /services page', () => {
    const page = offersToHsds([walkingGroup]);
    expect(page).toMatchObject({
      total_items: 1,
      total_pages: 1,
      page_number: 1,
      size: 1,
      first_page: true,
      last_page: true,
      empty: false,
    });
    expect(page.contents).toHaveLength(1);
  });

  it('writes an empty page for no offers', () => {
    expect(offersToHsds([])).toMatchObject({ total_items: 0, empty: true, contents: [] });
  });

  it('writes the HSDS 3.0 service fields', () => {
    const [service] = offersToHsds([walkingGroup]).contents;
    expect(service).toMatchObject({
      id: 'walk-1',
      name: 'Stroud walking group',
      status: 'active',
      url: 'https://ramblers.example.org/stroud',
      email: 'walks@ramblers.example.org',
      minimum_age: 18,
      maximum_age: 99,
      assured_date: '2025-04-01',
      organization: { name: 'Stroud Ramblers', website: 'https://ramblers.example.org/' },
      phones: [{ number: '01453 000303' }],
      cost_options: [{ amount: 0, currency: 'GBP' }],
    });
  });

  it('writes schedules with iCalendar fields', () => {
    const [service] = offersToHsds([walkingGroup]).contents;
    expect(service?.schedules).toMatchObject([
      { byday: 'TU', opens_at: '10:00', closes_at: '11:30', freq: 'WEEKLY', interval: 1 },
      { byday: '1SA', freq: 'MONTHLY', valid_from: '2025-01-01', valid_to: '2025-12-31' },
      { description: 'Extra walks in the summer holidays' },
    ]);
  });

  it('writes categories as attributes with taxonomy terms', () => {
    const [service] = offersToHsds([walkingGroup]).contents;
    expect(service?.attributes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ taxonomy_term: expect.objectContaining({ name: 'Physical activity' }) }),
        expect.objectContaining({ taxonomy_term: expect.objectContaining({ name: 'Green and outdoors' }) }),
      ]),
    );
  });

  it('writes the place as a location with an address', () => {
    const [service] = offersToHsds([walkingGroup]).contents;
    expect(service?.service_at_locations).toMatchObject([
      {
        location: {
          name: 'Rodborough Common car park',
          addresses: [
            {
              address_1: 'Rodborough Hill',
              city: 'Stroud',
              state_province: 'Gloucestershire',
              postal_code: 'GL5 3SS',
              country: 'GB',
            },
          ],
          accessibility: [{ description: 'Uneven ground' }],
        },
      },
    ]);
  });

  it('gives UUID-shaped ids that are the same each time', () => {
    const first = JSON.stringify(offersToHsds([walkingGroup]));
    expect(JSON.stringify(offersToHsds([walkingGroup]))).toBe(first);
    const [service] = offersToHsds([walkingGroup]).contents;
    const schedules = service?.schedules as { id: string }[];
    expect(schedules[0]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(schedules.map((s) => s.id)).size).toBe(3);
  });

  it('names the organisation of offers that have none', () => {
    const { organisation: _, ...withoutOrganisation } = walkingGroup;
    const [service] = offersToHsds([withoutOrganisation], { organisationName: 'Stroud Museum' }).contents;
    expect(service?.organization).toMatchObject({ name: 'Stroud Museum' });
  });

  it('keeps an offer’s own organisation over the default', () => {
    const [service] = offersToHsds([walkingGroup], { organisationName: 'Stroud Museum' }).contents;
    expect(service?.organization).toMatchObject({ name: 'Stroud Ramblers' });
  });

  it('survives JSON', () => {
    const page = offersToHsds([walkingGroup]);
    expect(parseOfferFeed(JSON.parse(JSON.stringify(page))).offers).toEqual([walkingGroup]);
  });
});

describe('offersToHsds round trip', () => {
  it('reads back a full offer exactly', () => {
    expect(roundTrip([walkingGroup])).toEqual([walkingGroup]);
  });

  it('reads back a minimal offer exactly', () => {
    const minimal: Offer = {
      id: 'm',
      name: 'Choir',
      categories: [],
      schedules: [],
      howToJoin: [],
      status: 'active',
    };
    expect(roundTrip([minimal])).toEqual([minimal]);
  });

  it('reads back how to join even without application text', () => {
    const offer: Offer = { ...walkingGroup, applicationProcess: undefined, howToJoin: ['link-worker'] };
    delete offer.applicationProcess;
    expect(roundTrip([offer])[0]?.howToJoin).toEqual(['link-worker']);
  });

  it('does not read how to join as a category', () => {
    expect(roundTrip([walkingGroup])[0]?.categories).toEqual(['Physical activity', 'Green and outdoors']);
  });

  it.each([
    [['Unit 4'], ['Unit 4']],
    [
      ['Unit 4', 'Bristol'],
      ['Unit 4', 'Bristol'],
    ],
    [
      ['Unit 4', 'Mill Lane', 'Bristol', 'Avon'],
      ['Unit 4', 'Mill Lane', 'Bristol', 'Avon'],
    ],
    [
      ['Unit 4', 'Mill', 'Lane', 'Bristol', 'Avon'],
      ['Unit 4', 'Mill, Lane', 'Bristol', 'Avon'],
    ],
  ])('reads back the address %j as %j', (address, expected) => {
    const offer: Offer = { ...walkingGroup, place: { address, accessibility: [] } };
    expect(roundTrip([offer])[0]?.place).toEqual({ address: expected, accessibility: [] });
  });

  it.each([
    ['free with other words', { free: true, text: 'Donations welcome' }],
    ['a price', { free: false, text: '£3 per session' }],
    ['unknown', { text: 'Ask at the desk' }],
  ])('reads back a cost that is %s', (_why, cost) => {
    expect(roundTrip([{ ...walkingGroup, cost }])[0]?.cost).toEqual(cost);
  });

  it.each([
    ['HSDS 3.0 page', hsds3Page],
    ['HSDS 3.0 single service', hsds3Single],
    ['HSDS 3.0 array', hsds3Array],
    ['ORUK 1.0 page', oruk1Page],
  ])('reads back every offer of the %s fixture', (_name, fixture) => {
    const offers = parseOfferFeed(fixture).offers;
    expect(roundTrip(offers)).toEqual(offers);
  });
});
