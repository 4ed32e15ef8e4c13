import { offersToHsds } from '../../src/core/hsds-export';
import { HOW_TO_JOIN, type HowToJoin, type Offer, type Schedule } from '../../src/core/offer';
import { safeLinkUrl } from '../../src/core/offer-fields';
import { cleanText, parseOfferFeed } from '../../src/core/open-referral';

// The builder's form as plain strings, and its conversion to offers and to an HSDS 3.0 feed.

/** How often, as the form offers it: weekly, fortnightly, or monthly on the nth (or last) weekday. */
export const REPEATS = [
  ['weekly', 'Every week'],
  ['fortnightly', 'Every other week'],
  ['monthly-1', 'Monthly, first'],
  ['monthly-2', 'Monthly, second'],
  ['monthly-3', 'Monthly, third'],
  ['monthly-4', 'Monthly, fourth'],
  ['monthly--1', 'Monthly, last'],
] as const;
export type Repeat = (typeof REPEATS)[number][0];

export interface OfferDraft {
  key: string;
  name: string;
  description: string;
  /** Comma-separated. */
  categories: string;
  days: string[];
  repeat: Repeat;
  opensAt: string;
  closesAt: string;
  validFrom: string;
  validTo: string;
  scheduleNote: string;
  placeName: string;
  /** One line each. */
  address: string;
  postcode: string;
  /** One note per line. */
  accessibility: string;
  free: boolean;
  costText: string;
  eligibility: string;
  minAge: string;
  maxAge: string;
  howToJoin: HowToJoin[];
  applicationProcess: string;
  email: string;
  phone: string;
  url: string;
  assuredDate: string;
}

export interface Draft {
  organisation: string;
  website: string;
  heading: string;
  feedUrl: string;
  scriptUrl: string;
  offers: OfferDraft[];
}

export const emptyOffer = (key: string): OfferDraft => ({
  key,
  name: '',
  description: '',
  categories: '',
  days: [],
  repeat: 'weekly',
  opensAt: '',
  closesAt: '',
  validFrom: '',
  validTo: '',
  scheduleNote: '',
  placeName: '',
  address: '',
  postcode: '',
  accessibility: '',
  free: false,
  costText: '',
  eligibility: '',
  minAge: '',
  maxAge: '',
  howToJoin: [],
  applicationProcess: '',
  email: '',
  phone: '',
  url: '',
  assuredDate: '',
});

export const emptyDraft = (): Draft => ({
  organisation: '',
  website: '',
  heading: 'Activities and support',
  feedUrl: '/offers.json',
  scriptUrl: '/linkwell-offers.js',
  offers: [emptyOffer('offer-1')],
});

/** A problem with one field of one offer, for the form to show beside it. */
export interface DraftProblem {
  offer: number;
  field: keyof OfferDraft;
  message: string;
}

const words = (text: string) => cleanText(text);
const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => cleanText(line))
    .filter((line): line is string => line !== undefined);
const age = (text: string) => {
  const n = Number(text);
  return text.trim() && Number.isInteger(n) && n >= 0 && n <= 150 ? n : undefined;
};
/** An id that stays the same for the same organisation and offer name, so re-exports update, not duplicate. */
const slug = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

function compact<T extends object>(object: T): T {
  for (const key of Object.keys(object) as (keyof T)[]) if (object[key] === undefined) delete object[key];
  return object;
}

function scheduleOf(draft: OfferDraft): Schedule | undefined {
  const monthly = draft.repeat.startsWith('monthly') ? draft.repeat.slice('monthly-'.length) : '';
  const schedule: Schedule = compact({
    byDay: draft.days.length ? draft.days.map((day) => `${monthly}${day}`) : undefined,
    opensAt: /^\d\d:\d\d$/.test(draft.opensAt) ? draft.opensAt : undefined,
    closesAt: /^\d\d:\d\d$/.test(draft.closesAt) ? draft.closesAt : undefined,
    validFrom: /^\d{4}-\d\d-\d\d$/.test(draft.validFrom) ? draft.validFrom : undefined,
    validTo: /^\d{4}-\d\d-\d\d$/.test(draft.validTo) ? draft.validTo : undefined,
    freq: draft.days.length ? (monthly ? 'MONTHLY' : 'WEEKLY') : undefined,
    interval: draft.repeat === 'fortnightly' && draft.days.length ? 2 : undefined,
    description: words(draft.scheduleNote),
  });
  return Object.keys(schedule).length ? schedule : undefined;
}

/** The form's offers as offers, with what is missing or wrong. Offers without a name are left out. */
export function draftToOffers(draft: Draft): { offers: Offer[]; problems: DraftProblem[] } {
  const problems: DraftProblem[] = [];
  const offers: Offer[] = [];
  const organisation = words(draft.organisation);
  const website = draft.website.trim() ? safeLinkUrl(draft.website.trim()) : undefined;
  const ids = new Set<string>();
  draft.offers.forEach((form, index) => {
    const problem = (field: keyof OfferDraft, message: string) =>
      problems.push({ offer: index, field, message });
    const name = words(form.name);
    if (!name) {
      problem('name', 'Give the offer a name.');
      return;
    }
    const email = form.email.trim();
    if (email && !/^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/.test(email))
      problem('email', 'Enter an email address like name@example.org.');
    const phone = form.phone.trim();
    if (phone && !/^\+?[\d\s().-]{5,30}$/.test(phone))
      problem('phone', 'Enter a phone number using digits and spaces.');
    const url = form.url.trim();
    const safeUrl = url ? safeLinkUrl(/^[a-z]+:/i.test(url) ? url : `https://${url}`) : undefined;
    if (url && !safeUrl?.startsWith('http')) problem('url', 'Enter a web address like https://example.org.');
    const minAge = age(form.minAge);
    const maxAge = age(form.maxAge);
    if (form.minAge.trim() && minAge === undefined) problem('minAge', 'Enter an age in whole years.');
    if (form.maxAge.trim() && maxAge === undefined) problem('maxAge', 'Enter an age in whole years.');
    if (form.validFrom && form.validTo && form.validTo < form.validFrom)
      problem('validTo', 'The end date is before the start date.');
    if (form.opensAt && form.closesAt && form.closesAt <= form.opensAt)
      problem('closesAt', 'The end time is before the start time.');
    let id = slug(`${organisation ?? 'offer'}-${name}`) || `offer-${index + 1}`;
    while (ids.has(id)) id += '-2';
    ids.add(id);
    const schedule = scheduleOf(form);
    const address = lines(form.address);
    const postcode = words(form.postcode);
    const placeName = words(form.placeName);
    offers.push(
      compact({
        id,
        name,
        organisation: organisation ? compact({ name: organisation, url: website }) : undefined,
        description: words(form.description),
        categories: [
          ...new Map(
            form.categories
              .split(',')
              .map((category) => cleanText(category, 100))
              .filter((category): category is string => category !== undefined)
              .map((category) => [category.toLowerCase(), category]),
          ).values(),
        ],
        place:
          placeName || address.length || postcode
            ? compact({ name: placeName, address, postcode, accessibility: lines(form.accessibility) })
            : undefined,
        schedules: schedule ? [schedule] : [],
        cost:
          form.free || words(form.costText)
            ? compact({ free: form.free || undefined, text: words(form.costText) })
            : undefined,
        eligibility:
          words(form.eligibility) || minAge !== undefined || maxAge !== undefined
            ? compact({ text: words(form.eligibility), minAge, maxAge })
            : undefined,
        howToJoin: HOW_TO_JOIN.filter((way) => form.howToJoin.includes(way)),
        applicationProcess: words(form.applicationProcess),
        contact:
          email || phone ? compact({ email: email || undefined, phone: phone || undefined }) : undefined,
        url: safeUrl?.startsWith('http') ? safeUrl : undefined,
        qualityAssured: /^\d{4}-\d\d-\d\d$/.test(form.assuredDate)
          ? { assuredDate: form.assuredDate }
          : undefined,
        status: 'active' as const,
      }),
    );
  });
  return { offers, problems };
}

/**
 * The feed to download: HSDS 3.0 from `offersToHsds`, checked by reading it back with `parseOfferFeed`
 * exactly as the widget and the referral panel will.
 */
export function draftToFeed(draft: Draft): { json: string; offers: number; problems: string[] } {
  const { offers } = draftToOffers(draft);
  const organisationName = words(draft.organisation);
  const page = offersToHsds(offers, organisationName ? { organisationName } : {});
  const json = `${JSON.stringify(page, null, 2)}\n`;
  const readBack = parseOfferFeed(JSON.parse(json));
  return { json, offers: readBack.offers.length, problems: readBack.problems };
}

/** An offer from a feed back into the form, for editing an existing offers.json. */
export function offerToDraft(offer: Offer, key: string): OfferDraft {
  const schedule = offer.schedules[0];
  const position = schedule?.byDay?.[0]?.slice(0, -2) ?? '';
  const repeat: Repeat =
    schedule?.freq === 'MONTHLY' && position
      ? (`monthly-${position}` as Repeat)
      : schedule?.interval === 2
        ? 'fortnightly'
        : 'weekly';
  return {
    ...emptyOffer(key),
    name: offer.name,
    description: offer.description ?? '',
    categories: offer.categories.join(', '),
    days: [...new Set(schedule?.byDay?.map((day) => day.slice(-2)) ?? [])],
    repeat: REPEATS.some(([value]) => value === repeat) ? repeat : 'weekly',
    opensAt: schedule?.opensAt ?? '',
    closesAt: schedule?.closesAt ?? '',
    validFrom: schedule?.validFrom ?? '',
    validTo: schedule?.validTo ?? '',
    scheduleNote: schedule?.description ?? '',
    placeName: offer.place?.name ?? '',
    address: offer.place?.address.join('\n') ?? '',
    postcode: offer.place?.postcode ?? '',
    accessibility: offer.place?.accessibility.join('\n') ?? '',
    free: offer.cost?.free === true,
    costText: offer.cost?.text ?? '',
    eligibility: offer.eligibility?.text ?? '',
    minAge: offer.eligibility?.minAge?.toString() ?? '',
    maxAge: offer.eligibility?.maxAge?.toString() ?? '',
    howToJoin: offer.howToJoin,
    applicationProcess: offer.applicationProcess ?? '',
    email: offer.contact?.email ?? '',
    phone: offer.contact?.phone ?? '',
    url: offer.url ?? '',
    assuredDate: offer.qualityAssured?.assuredDate ?? '',
  };
}

/** The two lines to paste into the website. Attribute values are escaped: they are typed by people. */
export function embedSnippet(draft: Draft): string {
  const attribute = (value: string) =>
    value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const heading = draft.heading.trim() ? ` heading="${attribute(draft.heading.trim())}"` : '';
  return (
    `<script src="${attribute(draft.scriptUrl.trim() || '/linkwell-offers.js')}" defer></script>\n` +
    `<linkwell-offers src="${attribute(draft.feedUrl.trim() || '/offers.json')}"${heading}></linkwell-offers>`
  );
}
