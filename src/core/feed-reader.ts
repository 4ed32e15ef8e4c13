import type { Offer, Schedule } from './offer';
import { DAY_CODE, EMAIL, HOW_TO_JOIN, type HowToJoin, isCalendarDate, safeLinkUrl } from './offer-fields';
import { DAY_CODES } from './schedule-text';

// The feed reader without zod: `parseOfferFeed` (open-referral.ts) is this plus a final check of each offer
// against `offerSchema`. The widget uses the reader alone to stay within its 15 kB budget; every value it
// builds goes through a checking function below, and feed-reader.test.ts shows by property test that what
// it returns always satisfies `offerSchema`.

// Field names follow HSDS 3.0 (https://docs.openreferral.org/en/latest/hsds/schema_reference.html) and its
// UK profile (https://github.com/OpenReferralUK/uk-profile); Open Referral UK 1.0 names
// (https://developers.openreferraluk.org/) are read where they differ, each marked "ORUK 1.0".

export type FeedFormat = 'hsds3' | 'oruk1' | 'unknown';
export interface FeedPage {
  /** As the feed reports it: HSDS APIs count from 1, Spring-style ORUK 1.0 APIs from 0. */
  number: number;
  totalPages: number;
  size?: number | undefined;
}
export interface ParsedFeed {
  offers: Offer[];
  /** How many services the feed holds, whether read or not (see `from` and `to` in ReadOptions). */
  services: number;
  /** Set when reading stopped at `maxOffers` with services still to read (a problem says so too). */
  stopped?: true;
  /** Services left out because they failed validation (each has a line in `problems`). */
  skipped: number;
  /** Services left out because their `status` is not `active` (not problems). */
  inactive: number;
  problems: string[];
  format: FeedFormat;
  page?: FeedPage | undefined;
}

/** Taxonomy under which Linkwell's own feeds record how to join, so it is not read as a category. */
export const HOW_TO_JOIN_TAXONOMY = 'Linkwell how to join';

const MAX_TEXT = 5000;
const MAX_PROBLEMS = 50;
const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;

type Json = Record<string, unknown>;

// Only the service's own fields are checked for type: a wrong one means the service is not what it claims.
// Nested entries are read leniently, and one that does not fit is simply not used. Each field lists the JSON
// types it may have besides null: s string, n number, o object, a array.
const SERVICE_FIELDS: Record<string, string> = {
  id: 'sn',
  name: 's',
  description: 's',
  status: 's',
  url: 's',
  email: 's',
  application_process: 's',
  attending_access: 's', // ORUK 1.0
  eligibility_description: 's',
  fees: 's', // ORUK 1.0; deprecated in HSDS 3.0
  fees_description: 's',
  assured_date: 's',
  assurer_email: 's',
  minimum_age: 'ns',
  maximum_age: 'ns',
  organization: 'o',
  schedules: 'a',
  regular_schedules: 'a', // ORUK 1.0
  service_at_locations: 'a',
  cost_options: 'a',
  attributes: 'a',
  service_taxonomys: 'a', // ORUK 1.0
  eligibilitys: 'a', // ORUK 1.0
  contacts: 'a',
  phones: 'a',
  additional_urls: 'a',
};

/** The first of the service's own fields whose type is wrong, if any. */
function wrongField(service: Json): string | undefined {
  return Object.keys(SERVICE_FIELDS).find((key) => {
    const value = service[key];
    if (value === null || value === undefined) return false;
    const kind = Array.isArray(value) ? 'a' : typeof value === 'object' ? 'o' : (typeof value).charAt(0);
    return !SERVICE_FIELDS[key]?.includes(kind);
  });
}

/**
 * Feed text as plain text: control and bidirectional-override characters removed, whitespace collapsed,
 * length capped. Markup is left exactly as written, never interpreted.
 * @example cleanText('  Art <b>club</b>\n\tweekly ') // 'Art <b>club</b> weekly'
 */
export function cleanText(raw: string, max = MAX_TEXT): string | undefined {
  const cleaned = raw
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!cleaned) return undefined;
  return cleaned.length > max ? `${cleaned.slice(0, max - 1).replace(/[\ud800-\udbff]$/, '')}…` : cleaned;
}

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const records = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isRecord) : []);
const textOf = (value: unknown, max = MAX_TEXT): string | undefined =>
  typeof value === 'string'
    ? cleanText(value, max)
    : typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : undefined;
const numberOf = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && value.trim() ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};
const first = <T>(values: (T | undefined)[]): T | undefined => values.find((v) => v !== undefined);
const linkOf = (value: unknown): string | undefined =>
  typeof value === 'string' ? safeLinkUrl(value) : undefined;

/** Drops keys whose value is undefined, so offers compare and serialise cleanly. */
function compact<T extends object>(object: T): T {
  for (const key of Object.keys(object) as (keyof T)[]) {
    if (object[key] === undefined) delete object[key];
  }
  return object;
}

function emailOf(value: unknown): string | undefined {
  const email = textOf(value, 254);
  return email && EMAIL.test(email) ? email : undefined;
}

function phoneOf(value: unknown): string | undefined {
  const phone = textOf(value, 40);
  return phone && /^\+?[\d\s().-]{5,30}$/.test(phone) ? phone : undefined;
}

/** `HH:MM` from `09:30`, `09:30:00`, `09:30Z` or an ORUK 1.0 date-time; the zone is dropped (local UK time). */
function clockOf(value: unknown): string | undefined {
  const match = typeof value === 'string' ? /(?:^|T)(\d{1,2}):([0-5]\d)/.exec(value.trim()) : null;
  if (!match?.[1] || !match[2] || Number(match[1]) > 23) return undefined;
  return `${match[1].padStart(2, '0')}:${match[2]}`;
}

/** `YYYY-MM-DD` from a date or date-time, if it is a real day (`2026-02-30` is not). */
function dateOf(value: unknown): string | undefined {
  const date = typeof value === 'string' ? value.trim().slice(0, 10) : '';
  return isCalendarDate(date) ? date : undefined;
}

function dayCodesOf(schedule: Json): string[] | undefined {
  const { byday, weekday } = schedule;
  let codes: string[] = [];
  if (typeof byday === 'string') {
    codes = byday
      .toUpperCase()
      .split(',')
      .map((code) => code.trim());
  } else if (typeof weekday === 'number') {
    codes = [DAY_CODES[weekday - 1] ?? '']; // HSDS 1.x / ORUK 1.0 `weekday`: ISO 8601 numbering, Monday is 1
  } else if (typeof weekday === 'string') {
    codes = [weekday.trim().slice(0, 2).toUpperCase()]; // `Monday`, `Tue`
  }
  codes = codes.filter((code) => DAY_CODE.test(code));
  return codes.length ? codes : undefined;
}

function scheduleOf(raw: Json): Schedule | undefined {
  const interval = numberOf(raw.interval);
  const freq = textOf(raw.freq)?.toUpperCase();
  const schedule: Schedule = compact({
    byDay: dayCodesOf(raw),
    opensAt: clockOf(raw.opens_at),
    closesAt: clockOf(raw.closes_at),
    validFrom: dateOf(raw.valid_from),
    validTo: dateOf(raw.valid_to),
    freq: FREQUENCIES.find((f) => f === freq),
    interval: interval && Number.isInteger(interval) && interval > 0 ? interval : undefined,
    description: textOf(raw.description, 500),
  });
  return schedule.byDay || schedule.opensAt || schedule.description ? schedule : undefined;
}

function formatAmount(amount: number, currency: string | undefined): string {
  const figure = Number.isInteger(amount) ? String(amount) : amount.toFixed(2);
  return !currency || currency.toUpperCase() === 'GBP' ? `£${figure}` : `${figure} ${currency.toUpperCase()}`;
}

/** Whether text says the offer is free: `true`, `false` when it names only a price, else unknown. */
function freeFromText(text: string | undefined): boolean | undefined {
  if (!text) return undefined;
  const free = /\bfree\b|\bno (charge|cost)\b/i.test(text);
  const price = /[£$€]\s?\d|\d\s?(p|pence|pounds?|gbp)\b/i.test(text);
  return free === price ? undefined : free;
}

function costOf(service: Json): Offer['cost'] {
  const options = records(service.cost_options);
  const amounts: number[] = [];
  const described = options.map((option) => {
    const amount = numberOf(option.amount);
    if (amount !== undefined && amount >= 0) amounts.push(amount);
    const price =
      amount === 0
        ? 'Free'
        : amount && amount > 0
          ? formatAmount(amount, textOf(option.currency, 3))
          : undefined;
    const terms = [price, textOf(option.amount_description, 200)].filter(Boolean).join(' ');
    const condition = textOf(option.option, 200);
    return condition && terms ? `${condition}: ${terms}` : (condition ?? terms);
  });
  const text =
    textOf(service.fees_description) ??
    textOf(service.fees) ??
    cleanText(described.filter(Boolean).join('; '));
  // Amounts decide when they agree; with none, or a mix of free and paid options, the words decide.
  const free = amounts.every((a) => a === 0) ? true : amounts.every((a) => a > 0) ? false : undefined;
  const cost = compact({ free: amounts.length ? free : freeFromText(text), text });
  return cost.free === undefined && !cost.text ? undefined : cost;
}

/** Conservative: only words that plainly say how to start. ORUK 1.0 `attending_access` helps too. */
function inferHowToJoin(process: string | undefined, access: string | undefined): HowToJoin[] {
  const words = `${process ?? ''} ${access ?? ''}`.toLowerCase();
  const found: Record<HowToJoin, boolean> = {
    'self-referral':
      /\bself[\s-]?refer|\brefer (yourself|themselves)\b|\bno referral (is )?(needed|required)\b/.test(words),
    'link-worker': /\blink[\s-]?workers?\b|\bsocial prescrib/.test(words) || access === 'referral',
    'drop-in': /\bdrop[\s-]?in\b|\bjust (turn|come) (up|along)\b/.test(words),
  };
  return HOW_TO_JOIN.filter((way) => found[way]);
}

function termsOf(service: Json): { categories: string[]; ways: HowToJoin[] } {
  const categories = new Map<string, string>();
  const ways = new Set<HowToJoin>();
  const terms = [
    ...records(service.attributes).map((a) => a.taxonomy_term),
    ...records(service.service_taxonomys).map((t) => t.taxonomy), // ORUK 1.0
  ].filter(isRecord);
  for (const term of terms) {
    const name = textOf(term.name, 100);
    if (term.taxonomy === HOW_TO_JOIN_TAXONOMY) {
      const way = HOW_TO_JOIN.find((w) => w === term.code || w === name);
      if (way) ways.add(way);
    } else if (name && !categories.has(name.toLowerCase())) {
      categories.set(name.toLowerCase(), name);
    }
  }
  return { categories: [...categories.values()], ways: HOW_TO_JOIN.filter((w) => ways.has(w)) };
}

function placeOf(locations: Json[]): Offer['place'] {
  for (const location of locations) {
    if (location.location_type === 'virtual') continue;
    const addresses = records(location.addresses ?? location.physical_addresses); // ORUK 1.0: physical_addresses
    const address = addresses.find((a) => a.address_type === 'physical') ?? addresses[0] ?? {};
    const lines = [address.address_1, address.address_2, address.city, address.state_province]
      .map((line) => textOf(line, 200))
      .filter((line): line is string => line !== undefined);
    const accessibility = [
      ...records(location.accessibility).map((a) =>
        first([textOf(a.description, 500), textOf(a.details, 500)]),
      ),
      ...records(location.accessibility_for_disabilities).map((a) => textOf(a.accessibility, 500)), // ORUK 1.0
    ].filter((note): note is string => note !== undefined);
    const place = compact({
      name: textOf(location.name, 200),
      address: [...new Set(lines)],
      postcode: textOf(address.postal_code, 12),
      accessibility,
    });
    if (place.name || place.postcode || lines.length || accessibility.length) return place;
  }
  return undefined;
}

function eligibilityOf(service: Json): Offer['eligibility'] {
  const oruk = records(service.eligibilitys); // ORUK 1.0
  const ageOf = (values: unknown[]) => {
    const n = first(values.map(numberOf));
    return n !== undefined && n >= 0 && n <= 150 ? n : undefined;
  };
  const eligibility = compact({
    text:
      textOf(service.eligibility_description) ??
      cleanText(oruk.map((e) => textOf(e.eligibility, 500) ?? '').join('; ')),
    minAge: ageOf([service.minimum_age, ...oruk.map((e) => e.minimum_age)]),
    maxAge: ageOf([service.maximum_age, ...oruk.map((e) => e.maximum_age)]),
  });
  return Object.keys(eligibility).length ? eligibility : undefined;
}

function contactOf(service: Json): Offer['contact'] {
  const contacts = records(service.contacts);
  const phones = [...records(service.phones), ...contacts.flatMap((c) => records(c.phones))];
  const contactLink = records(service.additional_urls).find((u) => /contact/i.test(String(u.label)));
  const contact = compact({
    email: first([emailOf(service.email), ...contacts.map((c) => emailOf(c.email))]),
    phone: first(phones.map((p) => phoneOf(p.number))),
    url: linkOf(contactLink?.url),
  });
  return Object.keys(contact).length ? contact : undefined;
}

function offerOf(service: Json, id: string, name: string): Offer {
  const locations = records(service.service_at_locations);
  const { categories, ways } = termsOf(service);
  const applicationProcess = textOf(service.application_process);
  const organization = isRecord(service.organization) ? service.organization : {};
  const organisationName = textOf(organization.name, 200);
  const assuredDate = dateOf(service.assured_date);
  const places = locations.map((l) => l.location).filter(isRecord);
  const schedulesOf = (owners: Json[]) =>
    owners
      .flatMap((owner) => [...records(owner.schedules), ...records(owner.regular_schedules)]) // ORUK 1.0: regular_schedules
      .map(scheduleOf)
      .filter((schedule): schedule is Schedule => schedule !== undefined)
      .slice(0, 50);
  // HSDS 3.0 puts schedules on the service, on each service_at_location, and on the location; a location's are
  // its opening hours, so they are used only when nothing says when the service itself runs.
  const serviceSchedules = schedulesOf([service, ...locations]);
  return compact({
    id,
    name,
    organisation: organisationName
      ? compact({ name: organisationName, url: linkOf(organization.website ?? organization.url) }) // ORUK 1.0: url
      : undefined,
    description: textOf(service.description),
    categories,
    place: placeOf(places),
    schedules: serviceSchedules.length ? serviceSchedules : schedulesOf(places),
    cost: costOf(service),
    eligibility: eligibilityOf(service),
    howToJoin: ways.length ? ways : inferHowToJoin(applicationProcess, textOf(service.attending_access)),
    applicationProcess,
    contact: contactOf(service),
    url: linkOf(service.url),
    qualityAssured: assuredDate
      ? compact({ assuredDate, assurer: textOf(service.assurer_email, 254) })
      : undefined,
    status: 'active' as const,
  });
}

function pageOf(feed: Json, format: FeedFormat): FeedPage | undefined {
  const [numberKey, totalKey] =
    format === 'oruk1' ? ['number', 'totalPages'] : ['page_number', 'total_pages'];
  const number = numberOf(feed[numberKey]);
  const totalPages = numberOf(feed[totalKey]);
  if (number === undefined || totalPages === undefined || number < 0 || totalPages < 0) return undefined;
  const size = numberOf(feed.size);
  return compact({ number, totalPages, size });
}

/** Which list of services the JSON holds, and in which format; `undefined` when it is no feed at all. */
function servicesOf(
  json: unknown,
): { services: unknown[]; format: FeedFormat; page?: FeedPage | undefined } | undefined {
  if (Array.isArray(json)) return { services: json, format: 'hsds3' };
  if (!isRecord(json)) return undefined;
  if (Array.isArray(json.contents)) {
    return compact({ services: json.contents, format: 'hsds3' as const, page: pageOf(json, 'hsds3') });
  }
  if (Array.isArray(json.content)) {
    return compact({ services: json.content, format: 'oruk1' as const, page: pageOf(json, 'oruk1') });
  }
  if ('name' in json && !('contents' in json) && !('content' in json))
    return { services: [json], format: 'hsds3' };
  return undefined;
}

export interface ReadOptions {
  /** Stop after this many offers (default 10,000), with a problem saying so. */
  maxOffers?: number;
  /** A last check of each offer: the path of what is wrong, or `undefined` when it is fine. */
  check?: (offer: Offer) => string | undefined;
  /** Read only the services from index `from` to before `to`: a big feed read in parts, painting as it goes. */
  from?: number;
  to?: number;
  /**
   * How many services came before this feed, when it is one page of several: services are numbered, and those
   * without an `id` given one, counting on from there, so ids stay unique across pages.
   */
  firstIndex?: number;
}

/**
 * Reads an Open Referral UK feed (HSDS 3.0 page, array or single service; or an ORUK 1.0 page) into offers.
 * Never throws: services that do not fit are skipped with a problem, inactive ones are counted and dropped.
 * @example readOfferFeed({ contents: [{ id: '1', name: 'Walking group', status: 'active' }] }).offers[0]?.name
 * // 'Walking group'
 */
export function readOfferFeed(json: unknown, options: ReadOptions = {}): ParsedFeed {
  const maxOffers = options.maxOffers ?? 10_000;
  const found = servicesOf(json);
  if (!found) {
    return {
      offers: [],
      services: 0,
      skipped: 0,
      inactive: 0,
      problems: ['This is not an Open Referral UK offers feed: it holds no list of services.'],
      format: 'unknown',
    };
  }
  const from = options.from ?? 0;
  const feed: ParsedFeed = compact({
    offers: [],
    services: found.services.length,
    skipped: 0,
    inactive: 0,
    problems: [],
    format: found.format,
    page: found.page,
  });
  const problem = (message: string) => {
    feed.skipped += 1;
    if (feed.skipped <= MAX_PROBLEMS) feed.problems.push(message);
  };
  for (const [at, service] of found.services.slice(from, options.to).entries()) {
    if (feed.offers.length >= maxOffers) {
      feed.stopped = true;
      feed.problems.push(`Stopped at ${maxOffers} offers; the feed has more services than that.`);
      break;
    }
    const index = from + at + (options.firstIndex ?? 0);
    const label = `Service ${index + 1}`;
    if (!isRecord(service)) {
      problem(`${label}: is not an object.`);
      continue;
    }
    const wrong = wrongField(service);
    if (wrong) {
      problem(`${label}: \`${wrong}\` has the wrong type.`);
      continue;
    }
    const status = textOf(service.status)?.toLowerCase();
    // A service without a status is taken as active: hand-written feeds often leave it out.
    if (status !== undefined && status !== 'active') {
      feed.inactive += 1;
      continue;
    }
    const name = textOf(service.name, 300);
    if (!name) {
      problem(`${label}: has no name.`);
      continue;
    }
    const offer = offerOf(service, textOf(service.id, 200) ?? `service-${index + 1}`, name);
    const wrongPath = options.check?.(offer);
    if (wrongPath === undefined) feed.offers.push(offer);
    else problem(`${label} (${name.slice(0, 60)}): \`${wrongPath}\` is not valid.`);
  }
  if (feed.skipped > MAX_PROBLEMS)
    feed.problems.push(`${feed.skipped - MAX_PROBLEMS} more services were skipped.`);
  return feed;
}

/** `url` with its `page` query parameter set to `number`, or `undefined` when it is not absolute http(s). */
function withPage(url: string, number: number): string | undefined {
  try {
    const next = new URL(url);
    next.searchParams.set('page', String(number));
    return next.protocol === 'https:' || next.protocol === 'http:' ? next.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How many pages a paginated feed has from `first`, the first page read, to its last. Only the first page shows
 * how the API counts: from 0 (Spring-style ORUK 1.0) or from 1 (HSDS), so later pages' numbers are not needed.
 * @example pagesFrom({ number: 0, totalPages: 3 }) // 3 (pages 0, 1 and 2)
 * @example pagesFrom({ number: 2, totalPages: 3 }) // 2 (pages 2 and 3)
 */
export function pagesFrom(first: FeedPage): number {
  return first.totalPages - first.number + (first.number ? 1 : 0);
}

/**
 * The URL of the page after `read` pages of a feed whose first page, `first`, came from `src`; `undefined`
 * once `pagesFrom(first)` pages are read, or when `src` is not absolute http(s). Counting here, rather than
 * trusting each page's own number, neither skips nor repeats pages whichever way the API counts.
 * @example pageAfter('https://example.org/services', { number: 0, totalPages: 3 }, 1)
 * // 'https://example.org/services?page=1'
 */
export function pageAfter(src: string, first: FeedPage | undefined, read: number): string | undefined {
  return first && read < pagesFrom(first) ? withPage(src, first.number + read) : undefined;
}
