import { describe, expect, it } from 'vitest';
import hsds3Array from '../../tests/fixtures/feeds/hsds3-array.json';
import hsds3Locations from '../../tests/fixtures/feeds/hsds3-locations.json';
import hsds3Page from '../../tests/fixtures/feeds/hsds3-page.json';
import hsds3Single from '../../tests/fixtures/feeds/hsds3-single.json';
import oruk1Page from '../../tests/fixtures/feeds/oruk1-page.json';
import { isUuid, offersToHsds, serviceIdOf } from './hsds-export';
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
/** The offers as they read back: the same, with HSDS 3.0's UUIDs for ids that were not. */
const asExported = (offers: Offer[]) => offers.map((offer) => ({ ...offer, id: serviceIdOf(offer) }));

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
      id: serviceIdOf(walkingGroup),
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
    expect(parseOfferFeed(JSON.parse(JSON.stringify(page))).offers).toEqual(asExported([walkingGroup]));
  });
});

describe('offersToHsds round trip', () => {
  it('reads back a full offer exactly', () => {
    expect(roundTrip([walkingGroup])).toEqual(asExported([walkingGroup]));
  });

  it('keeps an id that is a UUID already, so a file read and written again keeps its ids', () => {
    const offer = { ...walkingGroup, id: '8F14E45F-CEEA-4E7A-9B1D-2A6C3F0E1A01' };
    expect(roundTrip([offer])).toEqual([offer]);
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
    expect(roundTrip([minimal])).toEqual(asExported([minimal]));
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
    ['HSDS 3.0 schedules by location', hsds3Locations],
    ['ORUK 1.0 page', oruk1Page],
  ])('reads back every offer of the %s fixture', (_name, fixture) => {
    const offers = parseOfferFeed(fixture).offers;
    expect(roundTrip(offers)).toEqual(asExported(offers));
  });
});

// What HSDS 3.0's schema requires (https://github.com/openreferral/specification/tree/3.0/schema): ids that
// are UUIDs, the required fields of each object, and `freq` only WEEKLY or MONTHLY.
describe('offersToHsds against the HSDS 3.0 schema', () => {
  const REQUIRED: Record<string, string[]> = {
    service: ['id', 'name', 'status'],
    organization: ['id', 'name', 'description'],
    schedule: ['id'],
    attribute: ['id'],
    taxonomy_term: ['id', 'name', 'description'],
    service_at_location: ['id'],
    location: ['id', 'location_type'],
    address: ['id', 'address_1', 'city', 'state_province', 'postal_code', 'country', 'address_type'],
    accessibility: ['id'],
    phone: ['id', 'number'],
    url: ['id', 'url'],
    cost_option: ['id'],
  };
  /** Each object of the page with the HSDS table it belongs to, found by the field that holds it. */
  const HOLDERS: Record<string, string> = {
    organization: 'organization',
    schedules: 'schedule',
    attributes: 'attribute',
    taxonomy_term: 'taxonomy_term',
    service_at_locations: 'service_at_location',
    location: 'location',
    addresses: 'address',
    accessibility: 'accessibility',
    phones: 'phone',
    additional_urls: 'url',
    cost_options: 'cost_option',
  };
  type Found = { table: string; object: Record<string, unknown> };
  const objectsOf = (service: Record<string, unknown>): Found[] => {
    const found: Found[] = [{ table: 'service', object: service }];
    const visit = (value: unknown, table: string | undefined) => {
      if (Array.isArray(value)) for (const item of value) visit(item, table);
      else if (value && typeof value === 'object') {
        const object = value as Record<string, unknown>;
        if (table) found.push({ table, object });
        for (const [key, child] of Object.entries(object)) visit(child, HOLDERS[key]);
      }
    };
    for (const [key, child] of Object.entries(service)) visit(child, HOLDERS[key]);
    return found;
  };
  const daily: Offer = {
    ...walkingGroup,
    id: 'daily',
    schedules: [
      { freq: 'DAILY', opensAt: '09:00' },
      { freq: 'DAILY', interval: 3, description: 'Mornings' },
      { freq: 'YEARLY', validFrom: '2026-06-21' },
    ],
  };
  const offers = [
    walkingGroup,
    daily,
    ...parseOfferFeed(hsds3Page).offers,
    ...parseOfferFeed(oruk1Page).offers,
  ];
  const page = JSON.parse(JSON.stringify(offersToHsds(offers))) as { contents: Record<string, unknown>[] };

  it('writes every id, and every reference to one, as a UUID', () => {
    const ids: string[] = [];
    const visit = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object')
        for (const [key, child] of Object.entries(value)) {
          if (key === 'id' || key.endsWith('_id')) ids.push(String(child));
          visit(child);
        }
    };
    visit(page);
    expect(ids.length).toBeGreaterThan(100);
    expect(ids.filter((id) => !isUuid(id))).toEqual([]);
  });

  it('gives each service a different id, and points its parts at it', () => {
    const ids = page.contents.map((service) => service.id);
    expect(new Set(ids).size).toBe(offers.length);
    for (const service of page.contents) {
      for (const { table, object } of objectsOf(service)) {
        if ('service_id' in object) expect(object.service_id, table).toBe(service.id);
        if (table === 'attribute') expect(object.link_id).toBe(service.id);
      }
    }
  });

  it('writes the required fields of every object', () => {
    const missing: string[] = [];
    for (const service of page.contents)
      for (const { table, object } of objectsOf(service))
        for (const field of REQUIRED[table] ?? [])
          if (object[field] === undefined || object[field] === null) missing.push(`${table}.${field}`);
    expect(missing).toEqual([]);
    expect(objectsOf(page.contents[0] ?? {}).map((found) => found.table)).toEqual(
      expect.arrayContaining(Object.keys(REQUIRED)),
    );
  });

  it('writes freq only as WEEKLY or MONTHLY', () => {
    const freqs = page.contents.flatMap((service) =>
      objectsOf(service)
        .filter((found) => found.table === 'schedule')
        .map((found) => found.object.freq),
    );
    expect(freqs.filter((freq) => freq !== undefined && freq !== 'WEEKLY' && freq !== 'MONTHLY')).toEqual([]);
  });

  it('writes every day as all seven days of the week, and keeps in words what weeks cannot say', () => {
    const [service] = offersToHsds([daily]).contents;
    expect(service?.schedules).toMatchObject([
      { byday: 'MO,TU,WE,TH,FR,SA,SU', freq: 'WEEKLY', opens_at: '09:00' },
      { description: 'Every 3 days. Mornings' },
      { description: 'Every year', valid_from: '2026-06-21' },
    ]);
    const [read] = roundTrip([daily]);
    expect(read?.schedules).toEqual([
      { byDay: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], freq: 'WEEKLY', opensAt: '09:00' },
      { description: 'Every 3 days. Mornings' },
      { validFrom: '2026-06-21', description: 'Every year' },
    ]);
  });
});
