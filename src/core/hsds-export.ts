import { HOW_TO_JOIN_TAXONOMY } from './feed-reader';
import type { HowToJoin, Offer, Schedule } from './offer';
import { DAY_CODES } from './schedule-text';

// HSDS 3.0's schema (https://github.com/openreferral/specification/tree/3.0/schema) declares every `id` and
// every `*_id` as `format: uuid`, and lists required fields per object (service: id, name, status;
// organization and taxonomy_term: id, name, description; location: id, location_type; address: id, address_1,
// city, state_province, postal_code, country, address_type; phone: id, number; url: id, url). All are written.

type HsdsRecord = Record<string, unknown>;

/** One page of an HSDS 3.0 `/services` list (https://docs.openreferral.org/en/latest/hsds/api_reference.html). */
export interface HsdsServicePage {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: HsdsRecord[];
}

const HOW_TO_JOIN_LABELS: Record<HowToJoin, string> = {
  'self-referral': 'Self-referral',
  'link-worker': 'Through a social prescribing link worker',
  'drop-in': 'Drop-in',
};

/**
 * A UUID that is the same for the same seed, so exports are repeatable. Version 8 (vendor-specific, RFC 9562
 * section 5.8: https://www.rfc-editor.org/rfc/rfc9562#section-5.8), from four FNV-1a hashes; identifiers, not
 * secrets.
 * @example stableUuid('offer:walk-1') === stableUuid('offer:walk-1') // true
 */
export function stableUuid(seed: string): string {
  let hex = '';
  for (let lane = 0; lane < 4; lane++) {
    let hash = 0x811c9dc5 ^ Math.imul(lane, 0x9e3779b9);
    for (let i = 0; i < seed.length; i++) hash = Math.imul(hash ^ seed.charCodeAt(i), 0x01000193);
    hex += (hash >>> 0).toString(16).padStart(8, '0');
  }
  const variant = '89ab'[Number.parseInt(hex.charAt(16), 16) & 3];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` is written as a UUID, as HSDS 3.0 ids must be (`format: uuid`). */
export const isUuid = (id: string) => UUID.test(id);

/**
 * The HSDS 3.0 id of an offer: its own when that is a UUID already, so a file read and written again keeps its
 * ids; otherwise a stable UUID made from it.
 * @example serviceIdOf({ id: 'walk-1' }) === serviceIdOf({ id: 'walk-1' }) // true, and a UUID
 */
export function serviceIdOf(offer: Pick<Offer, 'id'>): string {
  return isUuid(offer.id) ? offer.id : stableUuid(`service:${offer.id}`);
}

const EVERY_DAY = DAY_CODES.join(',');

/**
 * A schedule's recurrence as HSDS 3.0 allows it: `freq` is only WEEKLY or MONTHLY there. Every day is the same
 * as every day of the week; what weeks and months cannot say (every 3 days, yearly) is kept in the words.
 */
function recurrenceOf(schedule: Schedule): HsdsRecord {
  const { freq, byDay, interval = 1 } = schedule;
  if (freq !== 'DAILY' && freq !== 'YEARLY')
    return { byday: byDay?.join(','), freq, interval: schedule.interval };
  if (freq === 'DAILY' && interval === 1)
    return { byday: byDay?.length ? byDay.join(',') : EVERY_DAY, freq: 'WEEKLY' };
  const every =
    freq === 'DAILY' ? `Every ${interval} days` : interval > 1 ? `Every ${interval} years` : 'Every year';
  return {
    byday: byDay?.join(','),
    description: schedule.description ? `${every}. ${schedule.description}` : every,
  };
}

/** Address lines as HSDS fields: first line, middle lines, town, county (the parser reads them back in order). */
function addressOf(lines: string[], postcode: string | undefined, id: string): HsdsRecord {
  const [first = '', ...rest] = lines;
  const county = rest.length >= 2 ? rest.pop() : undefined;
  const city = rest.pop() ?? '';
  return {
    id,
    address_1: first,
    address_2: rest.length ? rest.join(', ') : undefined,
    city,
    state_province: county ?? '',
    postal_code: postcode ?? '',
    country: 'GB',
    address_type: 'physical',
  };
}

function serviceOf(offer: Offer, organisationName: string | undefined): HsdsRecord {
  const id = serviceIdOf(offer);
  const idFor = (part: string) => stableUuid(`${offer.id}:${part}`);
  const term = (name: string, extra: HsdsRecord = {}) => {
    const termId = stableUuid(`term:${name}`);
    return {
      id: idFor(`attribute:${name}`),
      link_id: id,
      link_entity: 'service',
      taxonomy_term_id: termId,
      taxonomy_term: { id: termId, name, description: name, ...extra },
    };
  };
  const organisation = offer.organisation ?? (organisationName ? { name: organisationName } : undefined);
  const organisationId = organisation && stableUuid(`organisation:${organisation.name}`);
  const { place, contact } = offer;
  return {
    id,
    organization_id: organisationId,
    name: offer.name,
    description: offer.description,
    url: offer.url,
    email: contact?.email,
    status: 'active',
    application_process: offer.applicationProcess,
    fees_description: offer.cost?.text,
    eligibility_description: offer.eligibility?.text,
    minimum_age: offer.eligibility?.minAge,
    maximum_age: offer.eligibility?.maxAge,
    assured_date: offer.qualityAssured?.assuredDate,
    assurer_email: offer.qualityAssured?.assurer,
    organization: organisation && {
      id: organisationId,
      name: organisation.name,
      description: organisation.name, // required by HSDS 3.0; the offer has no organisation description
      website: organisation.url,
    },
    phones: contact?.phone ? [{ id: idFor('phone'), number: contact.phone }] : [],
    additional_urls: contact?.url ? [{ id: idFor('contact-url'), label: 'Contact', url: contact.url }] : [],
    // A structured amount of 0 keeps `free: true` exact; a charge is carried by the cost text.
    cost_options: offer.cost?.free ? [{ id: idFor('cost'), service_id: id, amount: 0, currency: 'GBP' }] : [],
    schedules: offer.schedules.map((schedule, index) => ({
      id: idFor(`schedule:${index}`),
      service_id: id,
      opens_at: schedule.opensAt,
      closes_at: schedule.closesAt,
      valid_from: schedule.validFrom,
      valid_to: schedule.validTo,
      description: schedule.description,
      ...recurrenceOf(schedule),
    })),
    attributes: [
      ...offer.categories.map((name) => term(name)),
      ...offer.howToJoin.map((way) =>
        term(HOW_TO_JOIN_LABELS[way], { code: way, taxonomy: HOW_TO_JOIN_TAXONOMY }),
      ),
    ],
    service_at_locations: place
      ? [
          {
            id: idFor('service-at-location'),
            service_id: id,
            location_id: idFor('location'),
            location: {
              id: idFor('location'),
              location_type: 'physical',
              name: place.name,
              addresses: [
                {
                  ...addressOf(place.address, place.postcode, idFor('address')),
                  location_id: idFor('location'),
                },
              ],
              accessibility: place.accessibility.map((description, index) => ({
                id: idFor(`accessibility:${index}`),
                description,
              })),
            },
          },
        ]
      : [],
  };
}

/**
 * Offers as one HSDS 3.0 / Open Referral UK `/services` page, which `parseOfferFeed` reads back to the same
 * offers, but for ids that were not UUIDs (see `serviceIdOf`) and recurrences HSDS 3.0 cannot state (see
 * `recurrenceOf`). `organisationName` names the organisation of offers that have none.
 * @example offersToHsds([walkingGroup], { organisationName: 'Stroud Ramblers' }).contents[0]?.name
 * // 'Stroud walking group'
 */
export function offersToHsds(offers: Offer[], options: { organisationName?: string } = {}): HsdsServicePage {
  return {
    total_items: offers.length,
    total_pages: 1,
    page_number: 1,
    size: offers.length,
    first_page: true,
    last_page: true,
    empty: offers.length === 0,
    contents: offers.map((offer) => serviceOf(offer, options.organisationName)),
  };
}
