import type { Offer } from './offer';
import { DAY_CODES, type DayCode, splitDayCode } from './schedule-text';

/** What a person has asked for. Empty strings and `undefined` mean "any". */
export interface OfferFilters {
  query: string;
  /** A category name, compared case-insensitively. */
  category: string;
  day: DayCode | '';
  freeOnly: boolean;
  age?: number | undefined;
}

export const NO_FILTERS: OfferFilters = { query: '', category: '', day: '', freeOnly: false };

/** Offers with what searching needs worked out once, so each keystroke only compares strings. */
export interface OfferIndex {
  offers: Offer[];
  /** Per offer: name, organisation and description, folded. */
  texts: string[];
  /** Per offer: folded name, which ranks first. */
  names: string[];
  /** Per offer: folded category names. */
  categories: string[][];
  /** Per offer: a bit per weekday (Monday = 1), or 127 for every day. */
  days: number[];
}

/**
 * Text folded for matching: lower case, accents removed, runs of space made one.
 * @example foldText('Café  CRÈME') // 'cafe creme'
 */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The weekdays an offer runs on, as bits (Monday = 1, Sunday = 64). */
function daysOf(offer: Offer): number {
  let bits = 0;
  for (const schedule of offer.schedules) {
    if (!schedule.byDay?.length && schedule.freq === 'DAILY') return 127;
    for (const code of schedule.byDay ?? []) bits |= 1 << splitDayCode(code).day;
  }
  return bits;
}

/** Prepares offers for `searchOffers`. */
export function indexOffers(offers: Offer[]): OfferIndex {
  const names = offers.map((offer) => foldText(offer.name));
  return {
    offers,
    names,
    texts: offers.map(
      (offer, i) => `${names[i]} ${foldText(`${offer.organisation?.name ?? ''} ${offer.description ?? ''}`)}`,
    ),
    categories: offers.map((offer) => offer.categories.map((name) => name.toLowerCase())),
    days: offers.map(daysOf),
  };
}

/** Whether someone of `age` may join: offers that state no ages are open to all. */
const suitsAge = (offer: Offer, age: number) =>
  (offer.eligibility?.minAge ?? 0) <= age && age <= (offer.eligibility?.maxAge ?? Number.POSITIVE_INFINITY);

/**
 * The offers that match every filter, those whose name matches the search first, otherwise in feed order.
 * Search words must all appear in the name, organisation or description, in any order.
 * @example searchOffers(indexOffers(offers), { ...NO_FILTERS, query: 'walk', freeOnly: true })
 */
export function searchOffers(index: OfferIndex, filters: OfferFilters): Offer[] {
  const words = foldText(filters.query).split(' ').filter(Boolean);
  const category = filters.category.toLowerCase();
  const dayBit = filters.day ? 1 << DAY_CODES.indexOf(filters.day) : 0;
  const { age, freeOnly } = filters;
  const byName: Offer[] = [];
  const others: Offer[] = [];
  index.offers.forEach((offer, i) => {
    if (dayBit && !((index.days[i] ?? 0) & dayBit)) return;
    if (freeOnly && offer.cost?.free !== true) return;
    if (category && !index.categories[i]?.includes(category)) return;
    if (age !== undefined && !suitsAge(offer, age)) return;
    const text = index.texts[i] ?? '';
    if (!words.every((word) => text.includes(word))) return;
    const name = index.names[i] ?? '';
    (words.length && words.every((word) => name.includes(word)) ? byName : others).push(offer);
  });
  return byName.length ? byName.concat(others) : others;
}

/** Whether any filter narrows the list. */
export function isFiltered(filters: OfferFilters): boolean {
  return Boolean(
    filters.query.trim() || filters.category || filters.day || filters.freeOnly || filters.age !== undefined,
  );
}

/**
 * The category names in the offers, each once (the first spelling wins), in alphabetical order.
 * @example categoriesOf([{ categories: ['Arts'] }, { categories: ['arts', 'Walking'] }]) // ['Arts', 'Walking']
 */
export function categoriesOf(offers: Pick<Offer, 'categories'>[]): string[] {
  const names = new Map<string, string>();
  for (const offer of offers) {
    for (const name of offer.categories)
      if (!names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
  }
  return [...names.values()].sort((a, b) => a.localeCompare(b, 'en-GB'));
}

/** Whether any offer says which ages it is for, so an age filter means something. */
export function hasAges(offers: Offer[]): boolean {
  return offers.some(
    (offer) => offer.eligibility?.minAge !== undefined || offer.eligibility?.maxAge !== undefined,
  );
}
