import './zod-config';
import * as z from 'zod/mini';

/** The only link schemes the widget makes clickable (CONTRACT.md section 5). */
const LINK_PROTOCOLS = ['http:', 'https:', 'mailto:', 'tel:'];

// Characters that are invisible or reorder text: a URL holding one may not be what it looks like.
// Tab and newline are here too because the URL parser silently removes them (`java\tscript:`).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;

/**
 * The URL, normalised, if it may be shown as a link: an absolute `http:`, `https:`, `mailto:` or `tel:`
 * URL with no hidden characters and no user name or password. Anything else gives `undefined`.
 * @example safeLinkUrl(' https://museum.example.org ') // 'https://museum.example.org/'
 * @example safeLinkUrl('JaVaScRiPt:alert(1)') // undefined
 */
export function safeLinkUrl(raw: string): string | undefined {
  // The URL parser trims leading and trailing C0 controls and spaces; do the same before looking inside.
  // https://url.spec.whatwg.org/#concept-basic-url-parser
  // biome-ignore lint/suspicious/noControlCharactersInRegex: trimming control characters is the point
  const trimmed = raw.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (trimmed.length > 2048 || HIDDEN.test(trimmed)) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined; // relative or malformed: nothing to resolve it against safely
  }
  if (!LINK_PROTOCOLS.includes(url.protocol)) return undefined;
  if (url.username || url.password) return undefined; // `https://nhs.uk@evil.example` hides the real host
  if (url.protocol.startsWith('http') && !url.hostname) return undefined;
  return url.href;
}

const text = () => z.string().check(z.minLength(1));
const link = () => z.string().check(z.refine((url) => safeLinkUrl(url) === url, 'must be a safe link'));
const isoDate = () => z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
const clockTime = () => z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/));
const age = () => z.number().check(z.nonnegative(), z.lte(150));

/** iCalendar weekday codes, optionally with an ordinal for monthly rules (`2MO`, `-1FR`); RFC 5545 3.3.10. */
export const DAY_CODE = /^([+-]?[1-9]\d?)?(MO|TU|WE|TH|FR|SA|SU)$/;

/** When an offer runs: the structured recurrence HSDS 3.0 uses, from iCalendar RRULE parts. */
export const scheduleSchema = z.object({
  byDay: z.optional(z.array(z.string().check(z.regex(DAY_CODE)))),
  opensAt: z.optional(clockTime()),
  closesAt: z.optional(clockTime()),
  validFrom: z.optional(isoDate()),
  validTo: z.optional(isoDate()),
  freq: z.optional(z.enum(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'])),
  interval: z.optional(z.int().check(z.positive())),
  description: z.optional(text()),
});
export type Schedule = z.infer<typeof scheduleSchema>;

/** How a person can start: on their own, through a link worker, or by turning up. */
export const HOW_TO_JOIN = ['self-referral', 'link-worker', 'drop-in'] as const;
export type HowToJoin = (typeof HOW_TO_JOIN)[number];

/** A social prescription offer as the widget and the referral panel show it. Plain data: text is text. */
export const offerSchema = z.object({
  id: text(),
  name: text(),
  organisation: z.optional(z.object({ name: text(), url: z.optional(link()) })),
  description: z.optional(text()),
  categories: z.array(text()),
  place: z.optional(
    z.object({
      name: z.optional(text()),
      address: z.array(text()),
      postcode: z.optional(text()),
      accessibility: z.array(text()),
    }),
  ),
  schedules: z.array(scheduleSchema),
  cost: z.optional(z.object({ free: z.optional(z.boolean()), text: z.optional(text()) })),
  eligibility: z.optional(
    z.object({ text: z.optional(text()), minAge: z.optional(age()), maxAge: z.optional(age()) }),
  ),
  howToJoin: z.array(z.enum(HOW_TO_JOIN)),
  applicationProcess: z.optional(text()),
  contact: z.optional(
    z.object({ email: z.optional(text()), phone: z.optional(text()), url: z.optional(link()) }),
  ),
  url: z.optional(link()),
  qualityAssured: z.optional(z.object({ assuredDate: isoDate(), assurer: z.optional(text()) })),
  status: z.literal('active'),
});
export type Offer = z.infer<typeof offerSchema>;
