import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import hostile from '../../tests/fixtures/feeds/hostile.json';
import hsds3Array from '../../tests/fixtures/feeds/hsds3-array.json';
import hsds3Locations from '../../tests/fixtures/feeds/hsds3-locations.json';
import hsds3Page from '../../tests/fixtures/feeds/hsds3-page.json';
import hsds3Single from '../../tests/fixtures/feeds/hsds3-single.json';
import oruk1Page from '../../tests/fixtures/feeds/oruk1-page.json';
import wrongShape from '../../tests/fixtures/feeds/wrong-shape.json';
import { offerSchema, safeLinkUrl } from './offer';
import { cleanText, HOW_TO_JOIN_TAXONOMY, pageAfter, pagesFrom, parseOfferFeed } from './open-referral';

const service = (fields: Record<string, unknown> = {}) => ({
  id: 's1',
  name: 'Walking group',
  status: 'active',
  ...fields,
});
const only = (fields: Record<string, unknown>) => parseOfferFeed([service(fields)]).offers[0];

describe('parseOfferFeed: HSDS 3.0 page fixture', () => {
  const feed = parseOfferFeed(hsds3Page);

  it('reads the format and the active, valid services', () => {
    expect(feed.format).toBe('hsds3');
    expect(feed.offers.map((offer) => offer.name)).toEqual([
      'Arts on Prescription: Creative Wellbeing Course',
      'Museum Wellbeing Programme: Objects and Memories',
      'Shared Reading Group',
      'Walking for Health: Riverside Walks',
      'Telephone Befriending',
      'Debt and Money Advice',
    ]);
  });

  it('counts the inactive service apart from problems', () => {
    expect(feed.inactive).toBe(1);
  });

  it('skips the nameless service with one problem', () => {
    expect(feed.skipped).toBe(1);
    expect(feed.problems).toEqual(['Service 8: has no name.']);
  });

  it('reads the paging fields', () => {
    expect(feed.page).toEqual({ number: 1, totalPages: 3, size: 8 });
  });

  it('maps the arts course in full', () => {
    expect(feed.offers[0]).toEqual({
      id: '8f14e45f-ceea-4e7a-9b1d-2a6c3f0e1a01',
      name: 'Arts on Prescription: Creative Wellbeing Course',
      organisation: { name: 'Five Valleys Arts', url: 'https://fivevalleysarts.example.org/' },
      description:
        'A ten-week course of painting, printmaking and collage in a small, friendly group led by professional artists. No experience needed; all materials provided.',
      categories: ['Arts and creativity', 'Mental wellbeing'],
      place: {
        name: 'Lansdown Hall',
        address: ['Lansdown', 'Stroud', 'Gloucestershire'],
        postcode: 'GL5 1BB',
        accessibility: ['Step-free entrance and lift', 'Hearing loop in the main hall'],
      },
      schedules: [
        {
          byDay: ['TH'],
          opensAt: '10:30',
          closesAt: '12:30',
          validFrom: '2025-09-04',
          validTo: '2025-11-06',
          freq: 'WEEKLY',
          interval: 1,
          description: 'Thursday mornings for ten weeks, autumn term.',
        },
      ],
      cost: { text: 'With a referral: Free; Self-funded place: £45 for the ten-week course' },
      eligibility: {
        text: 'Adults living in the Stroud district who would like to improve their wellbeing.',
        minAge: 18,
      },
      howToJoin: ['link-worker'],
      applicationProcess: "Ask your GP practice's social prescribing link worker to refer you.",
      contact: { email: 'hello@fivevalleysarts.example.org', phone: '01453 000101' },
      url: 'https://fivevalleysarts.example.org/arts-on-prescription',
      qualityAssured: { assuredDate: '2025-06-12', assurer: 'directory@stroud-vcs.example.org' },
      status: 'active',
    });
  });

  it('reads a fortnightly schedule with seconds in its times', () => {
    expect(feed.offers[1]?.schedules).toEqual([
      {
        byDay: ['TU'],
        opensAt: '14:00',
        closesAt: '15:30',
        freq: 'WEEKLY',
        interval: 2,
        description: 'Every other Tuesday afternoon.',
      },
    ]);
  });

  it('takes the contact email and phone from contacts when the service has none', () => {
    expect(feed.offers[1]?.contact).toEqual({
      email: 'learning@exevalleymuseum.example.org',
      phone: '01392 000202',
    });
  });

  it('keeps four address lines in order', () => {
    expect(feed.offers[2]?.place?.address).toEqual(['The Box', 'Tavistock Place', 'Plymouth', 'Devon']);
  });

  it('infers drop-in from the application process', () => {
    expect(feed.offers[3]?.howToJoin).toEqual(['drop-in']);
  });

  it('infers both self-referral and link worker', () => {
    expect(feed.offers[4]?.howToJoin).toEqual(['self-referral', 'link-worker']);
  });

  it('keeps a schedule that is only a description', () => {
    expect(feed.offers[4]?.schedules).toEqual([
      { freq: 'WEEKLY', description: 'One call a week at a time that suits you.' },
    ]);
  });

  it('reads a weekday schedule', () => {
    expect(feed.offers[5]?.schedules[0]?.byDay).toEqual(['MO', 'TU', 'WE', 'TH', 'FR']);
  });

  it('produces only offers that fit the offer schema', () => {
    for (const offer of feed.offers) expect(z.safeParse(offerSchema, offer).success).toBe(true);
  });
});

describe('parseOfferFeed: other fixtures', () => {
  it('reads one service object', () => {
    const feed = parseOfferFeed(hsds3Single);
    expect(feed.format).toBe('hsds3');
    expect(feed.offers.map((offer) => offer.name)).toEqual(['Gardening Together']);
    expect(feed.page).toBeUndefined();
  });

  it('reads a bare array of services', () => {
    const feed = parseOfferFeed(hsds3Array);
    expect(feed.offers.map((offer) => offer.name)).toEqual(["Men's Shed", 'Community Choir']);
    expect(feed.problems).toEqual([]);
  });

  it('reads a stated price as not free', () => {
    expect(parseOfferFeed(hsds3Array).offers[0]?.cost).toEqual({
      free: false,
      text: '£2 per session towards materials',
    });
  });

  it('reads wrong-shaped JSON as unknown with one problem', () => {
    const feed = parseOfferFeed(wrongShape);
    expect(feed.format).toBe('unknown');
    expect(feed.offers).toEqual([]);
    expect(feed.problems).toHaveLength(1);
    expect(feed.problems[0]).toBe(
      'This is not an Open Referral UK offers feed: it holds no list of services.',
    );
  });
});

describe('parseOfferFeed: Open Referral UK 1.0 fixture', () => {
  const feed = parseOfferFeed(oruk1Page);
  const [creative, football, carers] = feed.offers;

  it('reads the format, offers, inactive count and page', () => {
    expect(feed.format).toBe('oruk1');
    expect(feed.offers.map((offer) => offer.name)).toEqual([
      'Torbay Creative Minds',
      'Newton Abbot Walking Football',
      "Carers' Coffee Morning",
    ]);
    expect(feed.inactive).toBe(1);
    expect(feed.skipped).toBe(0);
    expect(feed.page).toEqual({ number: 1, totalPages: 1, size: 50 });
  });

  it('reads categories from service_taxonomys', () => {
    expect(creative?.categories).toEqual(['Arts and creativity']);
  });

  it('reads the place from physical_addresses and accessibility_for_disabilities', () => {
    expect(creative?.place).toEqual({
      name: 'Paignton Library Hub',
      address: ['Great Western Road', 'Paignton', 'Devon'],
      postcode: 'TQ4 5AG',
      accessibility: ['Lift to all floors'],
    });
  });

  it('reads eligibilitys, fees, attending_access and the assured date-time', () => {
    expect(creative?.eligibility).toEqual({ text: 'Adults with low mood or anxiety', minAge: 18 });
    expect(creative?.cost).toEqual({ free: true, text: 'Free' });
    expect(creative?.howToJoin).toEqual(['link-worker']);
    expect(creative?.qualityAssured).toEqual({ assuredDate: '2024-11-03' });
  });

  it('reads regular_schedules with a string interval', () => {
    expect(creative?.schedules).toEqual([
      { byDay: ['WE'], opensAt: '13:00', closesAt: '15:00', freq: 'WEEKLY', interval: 1 },
    ]);
  });

  it('reads a numbered weekday and date-time opening hours', () => {
    expect(football?.schedules).toEqual([{ byDay: ['TU'], opensAt: '18:30', closesAt: '19:30' }]);
  });

  it('formats a cost option amount in pounds', () => {
    expect(football?.cost).toEqual({ free: false, text: '£3 per session' });
  });

  it('reads a monthly ordinal day', () => {
    expect(carers?.schedules[0]?.byDay).toEqual(['1FR']);
    expect(carers?.schedules[0]?.freq).toBe('MONTHLY');
  });

  it('takes the phone from contacts', () => {
    expect(creative?.contact).toEqual({ email: 'info@torbaycreative.example.org', phone: '01803 000111' });
  });
});

describe('parseOfferFeed: hostile fixture', () => {
  const feed = parseOfferFeed(hostile);
  const [first, bidi, tricks, safe] = feed.offers;

  it('keeps every service that has a name', () => {
    expect(feed.offers).toHaveLength(4);
  });

  it('keeps markup in names and descriptions as literal text', () => {
    expect(first?.name).toBe("<script>alert('name')</script>Art Club");
    expect(first?.description).toBe(
      '<img src=x onerror=alert(1)> Great fun! <a href="javascript:alert(2)">click</a>',
    );
    expect(first?.categories).toEqual(['<img src=x onerror=alert(13)>']);
    expect(first?.place?.name).toBe('</div><script>alert(14)</script>');
    expect(first?.applicationProcess).toBe('<style>body{display:none}</style> Self-referral welcome');
  });

  it('drops every unsafe link', () => {
    expect(first?.url).toBeUndefined();
    expect(first?.organisation).toEqual({ name: '<iframe src=javascript:alert(7)>' });
    expect(first?.contact).toBeUndefined();
    expect(bidi?.url).toBeUndefined();
    expect(bidi?.organisation).toEqual({ name: 'Org reversed' });
    expect(bidi?.contact).toEqual({ email: 'a@b.org' });
    expect(tricks?.url).toBeUndefined();
    expect(tricks?.organisation).toEqual({ name: 'Vbscript Org' });
    expect(tricks?.contact).toBeUndefined();
  });

  it('still keeps safe links', () => {
    expect(safe?.url).toBe('https://example.org/offer');
    expect(safe?.contact).toEqual({ url: 'mailto:hello@example.org' });
  });

  it('drops control and bidi override characters and collapses whitespace', () => {
    expect(bidi?.name).toBe('Bidi txet.exe tricks');
    expect(bidi?.description).toBe('Line one line two line three [31m');
    expect(first?.place?.address).toEqual(['1 High St', 'x" style="position:fixed;top:0']);
    expect(first?.place?.accessibility).toEqual(['NO ACCESS <marquee>ramp</marquee>']);
  });

  it('drops schedule parts that are not valid', () => {
    expect(first?.schedules).toEqual([
      { byDay: ['MO'], description: 'evil {}*{background:url(javascript:alert(11))}' },
    ]);
  });

  it('drops a phone number that is not one, and an assurer left as text', () => {
    expect(first?.contact?.phone).toBeUndefined();
    expect(first?.qualityAssured).toEqual({ assuredDate: '2025-01-01', assurer: '<svg onload=alert(6)>' });
  });

  it('leaves no hidden characters anywhere', () => {
    expect(JSON.stringify(feed.offers)).not.toMatch(/[\u202a-\u202e\u2066-\u2069]|\\u00/);
  });
});

describe('parseOfferFeed: shapes', () => {
  it.each([[null], [42], ['services'], [true], [{}], [{ contents: 'none' }], [{ content: 7 }]])(
    'reads %j as unknown',
    (json) => {
      const feed = parseOfferFeed(json);
      expect(feed.format).toBe('unknown');
      expect(feed.offers).toEqual([]);
      expect(feed.problems).toHaveLength(1);
    },
  );

  it('reads an empty array as an empty HSDS 3.0 feed', () => {
    expect(parseOfferFeed([])).toEqual({
      offers: [],
      services: 0,
      skipped: 0,
      inactive: 0,
      problems: [],
      format: 'hsds3',
    });
  });

  it('reads an empty page with its paging', () => {
    const feed = parseOfferFeed({ contents: [], total_pages: 0, page_number: 1, empty: true });
    expect(feed.offers).toEqual([]);
    expect(feed.page).toEqual({ number: 1, totalPages: 0 });
  });
});

describe('parseOfferFeed: validation', () => {
  it('skips a service whose name is not text', () => {
    const feed = parseOfferFeed([service({ name: 42 })]);
    expect(feed.skipped).toBe(1);
    expect(feed.problems).toEqual(['Service 1: `name` has the wrong type.']);
  });

  it('skips a service whose description is an object', () => {
    const feed = parseOfferFeed([service({ description: { html: '<p>x</p>' } })]);
    expect(feed.problems).toEqual(['Service 1: `description` has the wrong type.']);
  });

  it('skips a service whose schedules are not a list', () => {
    expect(parseOfferFeed([service({ schedules: 'Mondays' })]).skipped).toBe(1);
  });

  it('skips an entry that is not an object', () => {
    expect(parseOfferFeed(['Walking group']).problems).toEqual(['Service 1: is not an object.']);
  });

  it('skips a name made only of whitespace and control characters', () => {
    expect(parseOfferFeed([service({ name: ' \u0000\n ' })]).problems).toEqual(['Service 1: has no name.']);
  });

  it('keeps the other services when one is skipped', () => {
    const feed = parseOfferFeed([service({ name: null }), service({ id: 's2', name: 'Choir' })]);
    expect(feed.offers.map((offer) => offer.name)).toEqual(['Choir']);
    expect(feed.problems).toEqual(['Service 1: has no name.']);
  });

  it('treats null fields as missing', () => {
    const offer = only({ description: null, url: null, schedules: null, organization: null });
    expect(offer).toEqual({
      id: 's1',
      name: 'Walking group',
      categories: [],
      schedules: [],
      howToJoin: [],
      status: 'active',
    });
  });

  it('ignores fields it does not know', () => {
    expect(only({ languages: [{ name: 'Cornish' }], funding: 'x' })?.name).toBe('Walking group');
  });

  it('turns a numeric id into text', () => {
    expect(only({ id: 7 })?.id).toBe('7');
  });

  it('names a service without an id by its position', () => {
    expect(parseOfferFeed([{ name: 'A' }, { name: 'B' }]).offers.map((offer) => offer.id)).toEqual([
      'service-1',
      'service-2',
    ]);
  });

  it('numbers services read in parts on from where the last part ended, so ids stay unique', () => {
    const feed = parseOfferFeed([{ name: 'A' }, { id: 7, name: 'B' }], { firstIndex: 100 });
    expect(feed.offers.map((offer) => offer.id)).toEqual(['service-101', '7']);
    expect(parseOfferFeed([{ id: 'x' }], { firstIndex: 100 }).problems).toEqual([
      'Service 101: has no name.',
    ]);
  });

  it('reads a part of the services, numbering them by their place in the feed', () => {
    const services = ['A', 'B', 'C', 'D'].map((name) => ({ name }));
    const feed = parseOfferFeed(services, { from: 1, to: 3, firstIndex: 10 });
    expect(feed.offers.map((offer) => [offer.name, offer.id])).toEqual([
      ['B', 'service-12'],
      ['C', 'service-13'],
    ]);
    expect(feed.services).toBe(4);
    expect(parseOfferFeed(services, { from: 3 }).offers.map((offer) => offer.name)).toEqual(['D']);
  });

  it('says it stopped short only when services were left unread', () => {
    const services = ['A', 'B'].map((name) => ({ name }));
    expect(parseOfferFeed(services, { maxOffers: 1 }).stopped).toBe(true);
    expect(parseOfferFeed(services, { maxOffers: 2 }).stopped).toBeUndefined();
  });

  it('lists at most 50 problems and counts the rest', () => {
    const feed = parseOfferFeed(Array.from({ length: 60 }, () => ({ id: 'x' })));
    expect(feed.skipped).toBe(60);
    expect(feed.problems).toHaveLength(51);
    expect(feed.problems[50]).toBe('10 more services were skipped.');
  });
});

describe('parseOfferFeed: status', () => {
  it.each([['inactive'], ['defunct'], ['temporarily closed'], ['closed']])(
    'leaves out status %j',
    (status) => {
      const feed = parseOfferFeed([service({ status })]);
      expect(feed.offers).toEqual([]);
      expect(feed.problems).toEqual([]);
    },
  );

  it('counts inactive services', () => {
    expect(parseOfferFeed([service({ status: 'inactive' }), service({ status: 'defunct' })]).inactive).toBe(
      2,
    );
  });

  it('reads the status without regard to case', () => {
    expect(parseOfferFeed([service({ status: ' Active ' })]).offers).toHaveLength(1);
  });

  it('takes a service without a status as active', () => {
    expect(parseOfferFeed({ name: 'Hand-written offer' }).offers).toHaveLength(1);
  });

  it('takes an empty status as no status', () => {
    expect(parseOfferFeed([service({ status: ' ' })]).offers).toHaveLength(1);
  });
});

describe('cleanText', () => {
  it('trims and collapses whitespace', () => {
    expect(cleanText('  Art \n\n\t club  ')).toBe('Art club');
  });

  it('removes control characters', () => {
    expect(cleanText('Art\u0000\u0007\u001b club\u007f\u0085')).toBe('Art club');
  });

  it('removes bidi embedding, override and isolate characters', () => {
    expect(cleanText('a\u202ab\u202bc\u202cd\u202de\u202ef\u2066g\u2067h\u2068i\u2069')).toBe('abcdefghi');
  });

  it('keeps right-to-left text itself', () => {
    expect(cleanText('مرحبا')).toBe('مرحبا');
  });

  it('keeps markup as written', () => {
    expect(cleanText('<script>alert(1)</script>')).toBe('<script>alert(1)</script>');
  });

  it('gives undefined for nothing but whitespace', () => {
    expect(cleanText(' \n ')).toBeUndefined();
  });

  it('caps the length with an ellipsis', () => {
    expect(cleanText('abcdefghij', 5)).toBe('abcd…');
  });

  it('does not split a surrogate pair when capping', () => {
    expect(cleanText('abc😀def', 5)).toBe('abc…');
  });
});

describe('parseOfferFeed: cost', () => {
  it('reads an amount of 0 as free', () => {
    expect(only({ cost_options: [{ amount: 0 }] })?.cost).toEqual({ free: true, text: 'Free' });
  });

  it('reads an amount written as text', () => {
    expect(only({ cost_options: [{ amount: '0' }] })?.cost?.free).toBe(true);
  });

  it('reads only positive amounts as not free', () => {
    expect(only({ cost_options: [{ amount: 2.5 }] })?.cost).toEqual({ free: false, text: '£2.50' });
  });

  it('leaves a mix of free and paid options unknown', () => {
    expect(only({ cost_options: [{ amount: 0 }, { amount: 5 }] })?.cost?.free).toBeUndefined();
  });

  it('names a currency other than pounds', () => {
    expect(only({ cost_options: [{ amount: 4, currency: 'eur' }] })?.cost?.text).toBe('4 EUR');
  });

  it.each([
    ['Free', true],
    ['Free of charge', true],
    ['No charge', true],
    ['£3 per session', false],
    ['3 pounds a week', false],
    ['Free for carers, £3 for others', undefined],
    ['Donations welcome', undefined],
  ])('reads the fees text %j as free: %s', (fees, free) => {
    expect(only({ fees_description: fees })?.cost).toEqual(
      free === undefined ? { text: fees } : { free, text: fees },
    );
  });

  it('reads the ORUK 1.0 fees field', () => {
    expect(only({ fees: 'Free' })?.cost).toEqual({ free: true, text: 'Free' });
  });

  it('prefers the fees description to the option text', () => {
    expect(only({ fees_description: 'Free', cost_options: [{ amount: 0, option: 'All' }] })?.cost).toEqual({
      free: true,
      text: 'Free',
    });
  });

  it('has no cost when nothing is said', () => {
    expect(only({})?.cost).toBeUndefined();
  });
});

describe('parseOfferFeed: how to join', () => {
  it.each([
    ['Self-referral welcome', ['self-referral']],
    ['Refer yourself online', ['self-referral']],
    ['No referral needed', ['self-referral']],
    ['Ask your link worker', ['link-worker']],
    ['Referral through social prescribing', ['link-worker']],
    ['Drop in any Tuesday', ['drop-in']],
    ['Just turn up on the day', ['drop-in']],
    ['Call us to book a place', []],
    ['Referral from a professional', []],
  ])('infers %j as %j', (process, expected) => {
    expect(only({ application_process: process })?.howToJoin).toEqual(expected);
  });

  it.each([
    ['referral', ['link-worker']],
    ['drop-in', ['drop-in']],
    ['appointment', []],
  ])('reads ORUK 1.0 attending_access %j', (access, expected) => {
    expect(only({ attending_access: access })?.howToJoin).toEqual(expected);
  });

  it('takes Linkwell how-to-join terms over the text, and not as categories', () => {
    const offer = only({
      application_process: 'Drop in',
      attributes: [
        { taxonomy_term: { name: 'Walking' } },
        { taxonomy_term: { name: 'Self-referral', code: 'self-referral', taxonomy: HOW_TO_JOIN_TAXONOMY } },
      ],
    });
    expect(offer?.howToJoin).toEqual(['self-referral']);
    expect(offer?.categories).toEqual(['Walking']);
  });
});

describe('parseOfferFeed: categories', () => {
  it('removes duplicates without regard to case, keeping the first spelling', () => {
    const attributes = ['Walking', 'walking', 'Outdoors'].map((name) => ({ taxonomy_term: { name } }));
    expect(only({ attributes })?.categories).toEqual(['Walking', 'Outdoors']);
  });

  it('ignores attributes without a term name', () => {
    expect(only({ attributes: [{ value: 'x' }, { taxonomy_term: { name: 3 } }, 'x'] })?.categories).toEqual([
      '3',
    ]);
  });
});

describe('parseOfferFeed: schedules', () => {
  const schedule = (fields: Record<string, unknown>) => only({ schedules: [fields] })?.schedules;

  it('reads lower-case, spaced day codes', () => {
    expect(schedule({ byday: 'mo, we' })).toEqual([{ byDay: ['MO', 'WE'] }]);
  });

  it('drops day codes that are not iCalendar codes', () => {
    expect(schedule({ byday: 'MO,Funday,XX' })).toEqual([{ byDay: ['MO'] }]);
  });

  it.each([
    [1, 'MO'],
    [7, 'SU'],
    ['Thursday', 'TH'],
  ])('reads the weekday %j as %s', (weekday, code) => {
    expect(schedule({ weekday })).toEqual([{ byDay: [code] }]);
  });

  it('reads a time with a zone as the clock time', () => {
    expect(schedule({ opens_at: '09:30Z', closes_at: '9:45+01:00' })).toEqual([
      { opensAt: '09:30', closesAt: '09:45' },
    ]);
  });

  it('drops an impossible time', () => {
    expect(schedule({ byday: 'MO', opens_at: '25:00' })).toEqual([{ byDay: ['MO'] }]);
  });

  it('drops a schedule with nothing to say', () => {
    expect(schedule({ freq: 'WEEKLY' })).toEqual([]);
  });

  it('drops an unknown frequency and a bad interval', () => {
    expect(schedule({ byday: 'MO', freq: 'HOURLY', interval: -2 })).toEqual([{ byDay: ['MO'] }]);
  });

  it('reads schedules given for a service at a location', () => {
    const offer = only({
      service_at_locations: [{ schedules: [{ byday: 'SA' }], location: { name: 'Hall' } }],
    });
    expect(offer?.schedules).toEqual([{ byDay: ['SA'] }]);
  });

  it("takes the location's opening hours only when nothing says when the service runs", () => {
    const location = { name: 'Library', schedules: [{ byday: 'MO,TU', opens_at: '09:00' }] };
    expect(only({ service_at_locations: [{ location }] })?.schedules).toEqual([
      { byDay: ['MO', 'TU'], opensAt: '09:00' },
    ]);
    expect(only({ schedules: [{ byday: 'FR' }], service_at_locations: [{ location }] })?.schedules).toEqual([
      { byDay: ['FR'] },
    ]);
  });

  it.each(['2025-13-40', '2026-02-30', '2025-02-29', '2026-00-10', '26-01-01'])(
    'drops the impossible date %s',
    (date) => {
      expect(schedule({ byday: 'MO', valid_from: date, valid_to: date })).toEqual([{ byDay: ['MO'] }]);
    },
  );

  it('keeps a real date, and the date of a date-time', () => {
    expect(schedule({ byday: 'MO', valid_from: '2024-02-29', valid_to: '2026-03-01T00:00:00Z' })).toEqual([
      { byDay: ['MO'], validFrom: '2024-02-29', validTo: '2026-03-01' },
    ]);
  });
});

describe('parseOfferFeed: place, contact, eligibility, assurance', () => {
  it('skips a virtual location', () => {
    const locations = [
      { location: { location_type: 'virtual', name: 'Zoom' } },
      { location: { name: 'Hall', addresses: [{ address_1: '1 Lane', postal_code: 'BS1 1AA' }] } },
    ];
    expect(only({ service_at_locations: locations })?.place).toEqual({
      name: 'Hall',
      address: ['1 Lane'],
      postcode: 'BS1 1AA',
      accessibility: [],
    });
  });

  it('prefers the physical address to the postal one', () => {
    const addresses = [
      { address_type: 'postal', address_1: 'PO Box 1' },
      { address_type: 'physical', address_1: 'The Hall' },
    ];
    expect(only({ service_at_locations: [{ location: { addresses } }] })?.place?.address).toEqual([
      'The Hall',
    ]);
  });

  it('drops an email address that is not one', () => {
    expect(only({ email: 'not an email' })?.contact).toBeUndefined();
  });

  it.each(['a@b.org?subject=Urgent', 'a@b.org?body=x&cc=c@d.org', 'a&b@c.org', 'a%3Fsubject@b.org'])(
    'drops %s, which would fill in more than the address of an email',
    (email) => {
      expect(only({ email })?.contact).toBeUndefined();
    },
  );

  it('drops a phone number that is not one', () => {
    expect(only({ phones: [{ number: 'call us' }] })?.contact).toBeUndefined();
  });

  it('reads ages written as text and drops impossible ones', () => {
    expect(only({ minimum_age: '18', maximum_age: -1 })?.eligibility).toEqual({ minAge: 18 });
  });

  it('joins several ORUK 1.0 eligibility texts', () => {
    const eligibilitys = [{ eligibility: 'Carers' }, { eligibility: 'Over 18' }];
    expect(only({ eligibilitys })?.eligibility).toEqual({ text: 'Carers; Over 18' });
  });

  it('has no quality assurance without a valid date', () => {
    expect(only({ assured_date: 'last year', assurer_email: 'a@b.org' })?.qualityAssured).toBeUndefined();
    expect(only({ assured_date: '2025-13-40' })?.qualityAssured).toBeUndefined();
  });
});

describe('parseOfferFeed: cap', () => {
  const services = Array.from({ length: 5 }, (_, i) => service({ id: `s${i}`, name: `Offer ${i}` }));

  it('stops at the cap and says so', () => {
    const feed = parseOfferFeed(services, { maxOffers: 3 });
    expect(feed.offers).toHaveLength(3);
    expect(feed.problems).toEqual(['Stopped at 3 offers; the feed has more services than that.']);
  });

  it('says nothing when the feed fits the cap exactly', () => {
    expect(parseOfferFeed(services, { maxOffers: 5 }).problems).toEqual([]);
  });

  it('caps at 10000 by default', () => {
    const many = Array.from({ length: 10_001 }, (_, i) => ({ id: `s${i}`, name: 'Offer' }));
    const feed = parseOfferFeed(many);
    expect(feed.offers).toHaveLength(10_000);
    expect(feed.problems).toEqual(['Stopped at 10000 offers; the feed has more services than that.']);
  });
});

describe('paging', () => {
  it('reads an HSDS 3.0 page', () => {
    const feed = parseOfferFeed({ contents: [], page_number: 2, total_pages: 5, size: 50 });
    expect(feed.page).toEqual({ number: 2, totalPages: 5, size: 50 });
  });

  it('reads an ORUK 1.0 page number as the feed counts it, from 0', () => {
    const feed = parseOfferFeed({ content: [], number: 0, totalPages: 4, first: true });
    expect(feed.page).toEqual({ number: 0, totalPages: 4 });
  });

  it('counts the pages from the first one read to the last, whichever way the API counts', () => {
    expect(pagesFrom({ number: 0, totalPages: 4 })).toBe(4);
    expect(pagesFrom({ number: 1, totalPages: 4 })).toBe(4);
    expect(pagesFrom({ number: 3, totalPages: 4 })).toBe(2);
    expect(pagesFrom({ number: 1, totalPages: 0 })).toBe(0);
  });

  it('asks for each page of an API counting from 0 once, and stops at its last', () => {
    const first = { number: 0, totalPages: 3 };
    const urls = [1, 2, 3].map((read) => pageAfter('https://example.org/services', first, read));
    expect(urls).toEqual([
      'https://example.org/services?page=1',
      'https://example.org/services?page=2',
      undefined,
    ]);
  });

  it('asks for each page of an API counting from 1 once, and stops at its last', () => {
    const first = { number: 1, totalPages: 3 };
    const urls = [1, 2, 3].map((read) =>
      pageAfter('https://example.org/services?page=1&size=50', first, read),
    );
    expect(urls).toEqual([
      'https://example.org/services?page=2&size=50',
      'https://example.org/services?page=3&size=50',
      undefined,
    ]);
  });

  it('follows no pages without paging, or from a URL that is not the web', () => {
    expect(pageAfter('https://example.org/services', undefined, 1)).toBeUndefined();
    expect(pageAfter('javascript:alert(1)', { number: 1, totalPages: 3 }, 1)).toBeUndefined();
  });

  it('from one page of an API counting from 0, neither skips nor repeats one', () => {
    const first = parseOfferFeed({ content: [], number: 0, totalPages: 3 }).page;
    expect(pageAfter('https://example.org/services', first, 1)).toBe('https://example.org/services?page=1');
  });

  it('has no page without paging fields', () => {
    expect(parseOfferFeed({ contents: [] }).page).toBeUndefined();
  });
});

describe('parseOfferFeed: properties', () => {
  const fixtures: unknown[] = [
    hsds3Page,
    hsds3Single,
    hsds3Array,
    hsds3Locations,
    oruk1Page,
    wrongShape,
    hostile,
  ];

  /** Replaces values at random places in a deep copy of a fixture. */
  const mutated = fc
    .tuple(
      fc.constantFrom(...fixtures),
      fc.array(fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 2 })), { minLength: 1, maxLength: 6 }),
    )
    .map(([fixture, edits]) => {
      const copy: unknown = structuredClone(fixture);
      for (const [where, value] of edits) {
        const slots: [Record<string, unknown>, string][] = [];
        const walk = (node: unknown) => {
          if (typeof node !== 'object' || node === null) return;
          for (const key of Object.keys(node)) {
            const holder = node as Record<string, unknown>;
            slots.push([holder, key]);
            walk(holder[key]);
          }
        };
        walk(copy);
        const slot = slots[where % Math.max(slots.length, 1)];
        if (slot) slot[0][slot[1]] = value;
      }
      return copy;
    });

  const wellFormed = (json: unknown) => {
    const feed = parseOfferFeed(json);
    for (const offer of feed.offers) {
      expect(z.safeParse(offerSchema, offer).success).toBe(true);
      for (const link of [offer.url, offer.organisation?.url, offer.contact?.url]) {
        if (link !== undefined) expect(safeLinkUrl(link)).toBe(link);
      }
    }
    expect(feed.offers.length + feed.skipped + feed.inactive).toBeLessThanOrEqual(
      Array.isArray(json) ? json.length : Number.POSITIVE_INFINITY,
    );
  };

  it('never throws for any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (json) => wellFormed(json)));
  });

  it('never throws for arrays of arbitrary services', () => {
    fc.assert(fc.property(fc.array(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }))), wellFormed));
  });

  it('never throws for mutated fixtures', () => {
    fc.assert(fc.property(mutated, wellFormed), { numRuns: 300 });
  });
});

describe('parseOfferFeed: HSDS 3.0 schedules by location fixture', () => {
  const feed = parseOfferFeed(hsds3Locations);
  const [knit, reading] = feed.offers;

  it('reads both services', () => {
    expect(feed.problems).toEqual([]);
    expect(feed.offers.map((offer) => offer.name)).toEqual(['Knit and Natter', 'Reading Friends']);
  });

  it('reads the schedules of each service_at_location, not the opening hours of the place', () => {
    expect(knit?.schedules).toEqual([
      { byDay: ['WE'], opensAt: '14:00', closesAt: '16:00', freq: 'WEEKLY' },
      {
        byDay: ['1SA'],
        opensAt: '10:00',
        closesAt: '12:00',
        freq: 'MONTHLY',
        description: 'At Shepton Mallet Library.',
      },
    ]);
    expect(knit?.place).toEqual({
      name: 'Frome Library',
      address: ['Justice Lane', 'Frome', 'Somerset'],
      postcode: 'BA11 1BE',
      accessibility: ['Step-free entrance and lift'],
    });
  });

  it('takes the opening hours of the place for a drop-in with no times of its own', () => {
    expect(reading?.schedules).toEqual([
      { byDay: ['MO', 'TU', 'WE', 'TH', 'FR'], opensAt: '09:00', closesAt: '17:30', freq: 'WEEKLY' },
    ]);
    expect(reading?.howToJoin).toEqual(['link-worker', 'drop-in']);
  });
});
