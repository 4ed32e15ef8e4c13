// The offer model's parts that need no zod: safe links, day codes, ways to join. offer.ts re-exports them;
// they live apart so the widget (15 kB gzip budget) can read feeds without bundling zod.

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

/**
 * Whether `iso` is a real day written `YYYY-MM-DD`: `2026-02-30` and `2025-13-40` are not. Checked by a round
 * trip through a UTC date, which moves an impossible day into the next month.
 * @example isCalendarDate('2024-02-29') // true
 * @example isCalendarDate('2025-02-29') // false
 */
export function isCalendarDate(iso: string): boolean {
  // An unreadable date (NaN) becomes 1970-01-01, which differs from `iso` unless that is what it says.
  return /^\d{4}-\d\d-\d\d$/.test(iso) && new Date(Date.parse(iso) || 0).toISOString().startsWith(iso);
}

/**
 * An email address that is only an address: no `?`, `&` or `%`, which in a `mailto:` link would add a
 * subject, body or more recipients (RFC 6068), and none of the characters that end an address.
 */
export const EMAIL = /^[^\s@<>()[\]\\,;:"?&%]+@[^\s@<>()[\]\\,;:"?&%]+\.[^\s@<>()[\]\\,;:".?&%]+$/;

/** iCalendar weekday codes, optionally with an ordinal for monthly rules (`2MO`, `-1FR`); RFC 5545 3.3.10. */
export const DAY_CODE = /^([+-]?[1-9]\d?)?(MO|TU|WE|TH|FR|SA|SU)$/;

/** How a person can start: on their own, through a link worker, or by turning up. */
export const HOW_TO_JOIN = ['self-referral', 'link-worker', 'drop-in'] as const;
export type HowToJoin = (typeof HOW_TO_JOIN)[number];
