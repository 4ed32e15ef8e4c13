import { HOW_TO_JOIN_TAXONOMY } from './feed-reader';
import type { HowToJoin, Offer } from './offer';

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
 * A UUID-shaped identifier that is the same for the same seed, so exports are repeatable. Version 8
 * (vendor-specific, RFC 9562 section 5.8: https://www.rfc-editor.org/rfc/rfc9562#section-5.8), from four FNV-1a
 * hashes; identifiers, not secrets.
 */
function stableUuid(seed: string): string {
  let hex = '';
  for (let lane = 0; lane < 4; lane++) {
    let hash = 0x811c9dc5 ^ Math.imul(lane, 0x9e3779b9);
    for (let i = 0; i < seed.length; i++) hash = Math.imul(hash ^ seed.charCodeAt(i), 0x01000193);
    hex += (hash >>> 0).toString(16).padStart(8, '0');
  }
  const variant = '89ab'[Number.parseInt(hex.charAt(16), 16) & 3];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
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
  const idFor = (part: string) => stableUuid(`${offer.id}:${part}`);
  const term = (name: string, extra: HsdsRecord = {}) => ({
    id: idFor(`attribute:${name}`),
    link_id: offer.id,
    link_entity: 'service',
    taxonomy_term: { id: stableUuid(`term:${name}`), name, description: name, ...extra },
  });
  const organisation = offer.organisation ?? (organisationName ? { name: organisationName } : undefined);
  const { place, contact } = offer;
  return {
    id: offer.id,
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
      id: stableUuid(`organisation:${organisation.name}`),
      name: organisation.name,
      description: organisation.name, // required by HSDS 3.0; the offer has no organisation description
      website: organisation.url,
    },
    phones: contact?.phone ? [{ id: idFor('phone'), number: contact.phone }] : [],
    additional_urls: contact?.url ? [{ id: idFor('contact-url'), label: 'Contact', url: contact.url }] : [],
    // A structured amount of 0 keeps `free: true` exact; a charge is carried by the cost text.
    cost_options: offer.cost?.free
      ? [{ id: idFor('cost'), service_id: offer.id, amount: 0, currency: 'GBP' }]
      : [],
    schedules: offer.schedules.map((schedule, index) => ({
      id: idFor(`schedule:${index}`),
      service_id: offer.id,
      byday: schedule.byDay?.join(','),
      opens_at: schedule.opensAt,
      closes_at: schedule.closesAt,
      valid_from: schedule.validFrom,
      valid_to: schedule.validTo,
      freq: schedule.freq,
      interval: schedule.interval,
      description: schedule.description,
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
            service_id: offer.id,
            location: {
              id: idFor('location'),
              location_type: 'physical',
              name: place.name,
              addresses: [addressOf(place.address, place.postcode, idFor('address'))],
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
 * offers. `organisationName` names the organisation of offers that have none.
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
