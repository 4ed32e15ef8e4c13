import { offersToHsds } from '../../src/core/hsds-export';
import { HOW_TO_JOIN, type HowToJoin, type Offer, type Schedule } from '../../src/core/offer';
import { EMAIL, isCalendarDate, safeLinkUrl } from '../../src/core/offer-fields';
import { cleanText, type ParsedFeed, parseOfferFeed } from '../../src/core/open-referral';

// The builder's form as plain strings, and its conversion to offers and to an HSDS 3.0 feed. An offers.json
// opened for editing comes back out as it went in: what the form shows is written from the form, and what it
// cannot show (more than one time, a paid offer's "not free") is kept from the file as it was.

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
  /** The offer's id in the file it came from, kept so the file's ids stay the same; empty for a new offer. */
  id: string;
  name: string;
  /** Who runs it, when not the organisation of the whole list (a partner's session, say). */
  organisation: string;
  /** That organisation's website. */
  website: string;
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
  /** The file's time shown in the form, written back exactly as it was unless the form changes it. */
  shownSchedule?: Schedule | undefined;
  /** Times from the file that this form cannot show (a second time, every three weeks…): kept as they are. */
  keptSchedules: Schedule[];
  placeName: string;
  /** One line each. */
  address: string;
  postcode: string;
  /** One note per line. */
  accessibility: string;
  free: boolean;
  /** The file said it is not free: kept while "It is free" stays unticked. */
  paid: boolean;
  costText: string;
  eligibility: string;
  minAge: string;
  maxAge: string;
  howToJoin: HowToJoin[];
  applicationProcess: string;
  email: string;
  phone: string;
  url: string;
  /** Contact page, a web address. */
  contactUrl: string;
  assuredDate: string;
  /** Who checked it for quality (the scheme's email, as HSDS 3.0 has it). */
  assurer: string;
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
  id: '',
  name: '',
  organisation: '',
  website: '',
  description: '',
  categories: '',
  days: [],
  repeat: 'weekly',
  opensAt: '',
  closesAt: '',
  validFrom: '',
  validTo: '',
  scheduleNote: '',
  keptSchedules: [],
  placeName: '',
  address: '',
  postcode: '',
  accessibility: '',
  free: false,
  paid: false,
  costText: '',
  eligibility: '',
  minAge: '',
  maxAge: '',
  howToJoin: [],
  applicationProcess: '',
  email: '',
  phone: '',
  url: '',
  contactUrl: '',
  assuredDate: '',
  assurer: '',
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

type ScheduleFields = Pick<
  OfferDraft,
  'days' | 'repeat' | 'opensAt' | 'closesAt' | 'validFrom' | 'validTo' | 'scheduleNote'
>;

function scheduleOf(draft: ScheduleFields): Schedule | undefined {
  const monthly = draft.repeat.startsWith('monthly') ? draft.repeat.slice('monthly-'.length) : '';
  const schedule: Schedule = compact({
    byDay: draft.days.length ? draft.days.map((day) => `${monthly}${day}`) : undefined,
    opensAt: /^\d\d:\d\d$/.test(draft.opensAt) ? draft.opensAt : undefined,
    closesAt: /^\d\d:\d\d$/.test(draft.closesAt) ? draft.closesAt : undefined,
    validFrom: isCalendarDate(draft.validFrom) ? draft.validFrom : undefined,
    validTo: isCalendarDate(draft.validTo) ? draft.validTo : undefined,
    freq: draft.days.length ? (monthly ? 'MONTHLY' : 'WEEKLY') : undefined,
    interval: draft.repeat === 'fortnightly' && draft.days.length ? 2 : undefined,
    description: words(draft.scheduleNote),
  });
  return Object.keys(schedule).length ? schedule : undefined;
}

/** A schedule as the form would write it: an interval of 1 said or not, weekly days with or without WEEKLY. */
function meaningOf(schedule: Schedule | undefined): string {
  if (!schedule) return '';
  const { interval, freq, ...rest } = schedule;
  const weekly = schedule.byDay?.length && !schedule.byDay.some((day) => /\d/.test(day));
  return JSON.stringify({
    ...rest,
    freq: freq ?? (weekly ? 'WEEKLY' : undefined),
    interval: interval === 1 ? undefined : interval,
  });
}

/** The form's fields for one schedule, or `undefined` when the form cannot say it (it would come out different). */
function scheduleFields(schedule: Schedule): ScheduleFields | undefined {
  const position = schedule.byDay?.[0]?.slice(0, -2) ?? '';
  const repeat: Repeat =
    schedule.freq === 'MONTHLY' && position
      ? (`monthly-${position}` as Repeat)
      : schedule.interval === 2
        ? 'fortnightly'
        : 'weekly';
  const fields: ScheduleFields = {
    days: [...new Set(schedule.byDay?.map((day) => day.slice(-2)) ?? [])],
    repeat: REPEATS.some(([value]) => value === repeat) ? repeat : 'weekly',
    opensAt: schedule.opensAt ?? '',
    closesAt: schedule.closesAt ?? '',
    validFrom: schedule.validFrom ?? '',
    validTo: schedule.validTo ?? '',
    scheduleNote: schedule.description ?? '',
  };
  return meaningOf(scheduleOf(fields)) === meaningOf(schedule) ? fields : undefined;
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
    if (email && !EMAIL.test(email)) problem('email', 'Enter an email address like name@example.org.');
    const phone = form.phone.trim();
    if (phone && !/^\+?[\d\s().-]{5,30}$/.test(phone))
      problem('phone', 'Enter a phone number using digits and spaces.');
    const webAddress = (field: 'url' | 'contactUrl' | 'website') => {
      const text = form[field].trim();
      const url = text ? safeLinkUrl(/^[a-z]+:/i.test(text) ? text : `https://${text}`) : undefined;
      if (text && !url?.startsWith('http')) problem(field, 'Enter a web address like https://example.org.');
      return url?.startsWith('http') ? url : undefined;
    };
    const safeUrl = webAddress('url');
    const contactUrl = webAddress('contactUrl');
    const offerWebsite = webAddress('website');
    const offerOrganisation = words(form.organisation);
    if (!offerOrganisation && offerWebsite)
      problem('organisation', 'Say whose website this is, or leave the website empty.');
    const minAge = age(form.minAge);
    const maxAge = age(form.maxAge);
    if (form.minAge.trim() && minAge === undefined) problem('minAge', 'Enter an age in whole years.');
    if (form.maxAge.trim() && maxAge === undefined) problem('maxAge', 'Enter an age in whole years.');
    for (const field of ['validFrom', 'validTo', 'assuredDate'] as const)
      if (form[field] && !isCalendarDate(form[field]))
        problem(field, 'Enter a real date, like 3 February 2026.');
    if (form.validFrom && form.validTo && form.validTo < form.validFrom)
      problem('validTo', 'The end date is before the start date.');
    if (form.opensAt && form.closesAt && form.closesAt <= form.opensAt)
      problem('closesAt', 'The end time is before the start time.');
    let id =
      form.id || slug(`${offerOrganisation ?? organisation ?? 'offer'}-${name}`) || `offer-${index + 1}`;
    while (ids.has(id)) id += '-2';
    ids.add(id);
    const formSchedule = scheduleOf(form);
    // Unchanged, the file's own time goes back as it was (an `interval: 1` the form would leave out, say).
    const schedule =
      form.shownSchedule && meaningOf(formSchedule) === meaningOf(form.shownSchedule)
        ? form.shownSchedule
        : formSchedule;
    const address = lines(form.address);
    const postcode = words(form.postcode);
    const placeName = words(form.placeName);
    offers.push(
      compact({
        id,
        name,
        organisation: offerOrganisation
          ? compact({ name: offerOrganisation, url: offerWebsite })
          : organisation
            ? compact({ name: organisation, url: website })
            : undefined,
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
        schedules: [...(schedule ? [schedule] : []), ...form.keptSchedules],
        cost:
          form.free || form.paid || words(form.costText)
            ? compact({ free: form.free || (form.paid ? false : undefined), text: words(form.costText) })
            : undefined,
        eligibility:
          words(form.eligibility) || minAge !== undefined || maxAge !== undefined
            ? compact({ text: words(form.eligibility), minAge, maxAge })
            : undefined,
        howToJoin: HOW_TO_JOIN.filter((way) => form.howToJoin.includes(way)),
        applicationProcess: words(form.applicationProcess),
        contact:
          email || phone || contactUrl
            ? compact({ email: email || undefined, phone: phone || undefined, url: contactUrl })
            : undefined,
        url: safeUrl,
        qualityAssured: isCalendarDate(form.assuredDate)
          ? compact({ assuredDate: form.assuredDate, assurer: words(form.assurer) })
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

/**
 * An offer from a feed back into the form, for editing an existing offers.json. `organisation` is the one the
 * whole list is shown under: an offer run by another organisation keeps its own.
 */
export function offerToDraft(
  offer: Offer,
  key: string,
  organisation?: { name: string; url?: string | undefined },
): OfferDraft {
  const [first, ...others] = offer.schedules;
  const fields = first && scheduleFields(first);
  const own =
    offer.organisation &&
    (offer.organisation.name !== organisation?.name || offer.organisation.url !== organisation.url)
      ? offer.organisation
      : undefined;
  return {
    ...emptyOffer(key),
    ...fields,
    id: offer.id,
    name: offer.name,
    organisation: own?.name ?? '',
    website: own?.url ?? '',
    description: offer.description ?? '',
    categories: offer.categories.join(', '),
    shownSchedule: fields ? first : undefined,
    keptSchedules: fields ? others : offer.schedules,
    placeName: offer.place?.name ?? '',
    address: offer.place?.address.join('\n') ?? '',
    postcode: offer.place?.postcode ?? '',
    accessibility: offer.place?.accessibility.join('\n') ?? '',
    free: offer.cost?.free === true,
    paid: offer.cost?.free === false,
    costText: offer.cost?.text ?? '',
    eligibility: offer.eligibility?.text ?? '',
    minAge: offer.eligibility?.minAge?.toString() ?? '',
    maxAge: offer.eligibility?.maxAge?.toString() ?? '',
    howToJoin: offer.howToJoin,
    applicationProcess: offer.applicationProcess ?? '',
    email: offer.contact?.email ?? '',
    phone: offer.contact?.phone ?? '',
    url: offer.url ?? '',
    contactUrl: offer.contact?.url ?? '',
    assuredDate: offer.qualityAssured?.assuredDate ?? '',
    assurer: offer.qualityAssured?.assurer ?? '',
  };
}

/**
 * An opened offers.json as a draft: the organisation most of its offers are run by heads the list, and every
 * offer keeps its own. Also what the volunteer should know before it replaces their work: services that could
 * not be read, and those not listed because they are not active, which the file downloaded next will not have.
 */
export function feedToDraft(
  feed: ParsedFeed,
  draft: Draft,
  nextKey: () => string,
): { draft: Draft; notes: string[] } {
  const counts = new Map<string, { name: string; url?: string | undefined; offers: number }>();
  for (const { organisation } of feed.offers) {
    if (!organisation) continue;
    const key = `${organisation.name}\n${organisation.url ?? ''}`;
    const count = counts.get(key) ?? { ...organisation, offers: 0 };
    count.offers += 1;
    counts.set(key, count);
  }
  const main = [...counts.values()].sort((a, b) => b.offers - a.offers)[0];
  const lost = (n: number, one: string, many: string) =>
    `${n === 1 ? `1 offer ${one}, so it is` : `${n} offers ${many}, so they are`} not in the form and will not be in the file you download`;
  const unread = 'in the file could not be read';
  const notes = [
    ...(feed.skipped ? [`${lost(feed.skipped, unread, unread)}:`, ...feed.problems] : []),
    ...(feed.inactive
      ? [`${lost(feed.inactive, 'is marked as not active', 'are marked as not active')}.`]
      : []),
  ];
  return {
    draft: {
      ...draft,
      organisation: main?.name ?? draft.organisation,
      website: main ? (main.url ?? '') : draft.website,
      offers: feed.offers.map((offer) => offerToDraft(offer, nextKey(), main)),
    },
    notes,
  };
}

/** Whether an offer's form is still empty (the choice of "How often" alone is not work). */
export const isBlank = (offer: OfferDraft) =>
  Object.entries(offer).every(
    ([key, value]) => key === 'key' || key === 'repeat' || !value || !String(value),
  );

/** Whether the volunteer has anything that opening a file or starting again would lose. */
export function hasWork(draft: Draft): boolean {
  return Boolean(draft.organisation.trim() || draft.website.trim()) || !draft.offers.every(isBlank);
}

/**
 * The two lines to paste into the website. Attribute values are escaped: they are typed by people. The heading
 * is always written, `heading=""` for none, so the site shows what the preview shows (without the attribute the
 * list would say "Activities and support").
 */
export function embedSnippet(draft: Draft): string {
  const attribute = (value: string) =>
    value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const heading = ` heading="${attribute(draft.heading.trim())}"`;
  return (
    `<script src="${attribute(draft.scriptUrl.trim() || '/linkwell-offers.js')}" defer></script>\n` +
    `<linkwell-offers src="${attribute(draft.feedUrl.trim() || '/offers.json')}"${heading}></linkwell-offers>`
  );
}
