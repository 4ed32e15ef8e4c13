// Reading the patient from an NHS patient banner: the text of a record page, or a line a GP pasted
// from a desktop clinical system. The conventions are those of CONTRACT.md section 3, after the NHS
// CUI patient banner guidance (https://pacharanero.github.io/nhs-cui/patient-identification-and-information-entry-and-display/patbannerqig):
// `SMITH, Jane (Mrs)  Born 12-Mar-1961  NHS No. 943 476 5919`.
import { checkNhsNumber } from './nhs-number';
import { type PatientName, parsePatientName } from './patient-name';

/** A patient read from a banner: the NHS number always, the name and date of birth when found. */
export interface PatientCandidate {
  /** Ten digits, Modulus 11 checked. */
  nhsNumber: string;
  name?: PatientName;
  /** `YYYY-MM-DD`. */
  birthDate?: string;
}

/** Why no patient was taken from the text. */
export type BannerProblem = 'no-nhs-number' | 'several-nhs-numbers' | 'invalid-nhs-number';

export type BannerReading = { ok: true; patient: PatientCandidate } | { ok: false; problem: BannerProblem };

export interface BannerOptions {
  /**
   * Also take a bare 10-digit number with no `NHS No.` label in front (a pasted line, or the text of
   * an element the practice's own selector points at). Pages are read with labels only.
   */
  unlabelledNumber?: boolean;
}

// Text longer than this is cut before reading: a record page's text is far shorter than this, and
// the patterns below must not run over an arbitrarily large input.
const MAX_TEXT = 500_000;
const SPACE = '[\\s\\u00A0\\u2007\\u202F]';
const NUMBER = `(\\d{3})[ \\u00A0\\u2007\\u202F-]?(\\d{3})[ \\u00A0\\u2007\\u202F-]?(\\d{4})(?!\\d)`;

// `NHS No.`, `NHS No`, `NHS Number`, `NHS number`, then an optional colon, then the number.
const LABELLED_NUMBER = new RegExp(`\\bNHS${SPACE}*(?:No\\.?|[Nn]umber)${SPACE}*:?${SPACE}*${NUMBER}`, 'gu');
const BARE_NUMBER = new RegExp(`(?<![\\d])${NUMBER}`, 'gu');

// The date of birth after its label; the date itself is read by `parseBannerDate`.
const BIRTH_LABEL = new RegExp(
  `(?:\\bBorn\\b|\\bDOB\\b|\\bD\\.O\\.B\\.?|\\bDate of birth\\b)${SPACE}*:?${SPACE}*([0-9A-Za-z][0-9A-Za-z/ .\\u00A0-]{5,19})`,
  'giu',
);

// What may follow a banner-form name on the same line (the next item of the banner).
const NEXT_ITEM = '(?:Born|DOB|D\\.O\\.B\\.|Date of birth|NHS|Gender|Sex|Age|Address|Tel|Phone)\\b';
// `SMITH, Jane Ann (Mrs)`: family name in capitals, a comma, given names, an optional bracketed title.
const BANNER_NAME = new RegExp(
  `(?<![\\p{L}\\p{M}])(\\p{Lu}[\\p{Lu}\\p{M}'’]*(?:[ -]\\p{Lu}[\\p{Lu}\\p{M}'’]*)*),${SPACE}*` +
    `(\\p{L}[\\p{L}\\p{M}'’.-]*(?:[ \\u00A0]+(?!${NEXT_ITEM})\\p{L}[\\p{L}\\p{M}'’.-]*)*)` +
    `(?:${SPACE}*\\(([^()\\n]{1,30})\\))?` +
    `(?=$|[\\s\\u00A0]{2,}|\\n|\\t|${SPACE}+${NEXT_ITEM}|${SPACE}*[|·•;])`,
  'gmu',
);
// `Name: Jane Smith` up to the end of the line or the next banner item.
const LABELLED_NAME = new RegExp(
  `\\b(?:Patient )?[Nn]ame${SPACE}*:?[ \\u00A0\\t]*\\n?[ \\u00A0\\t]*([^\\n\\t]+?)(?=$|\\n|\\t| {2,}|${SPACE}+${NEXT_ITEM}|${SPACE}*[|·•;])`,
  'mu',
);

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const DAY_MONTH_WORD_YEAR = /^(\d{1,2})[-\s\u00A0]([A-Za-z]{3,9})\.?[-\s\u00A0](\d{4})(?!\d)/u;
const DAY_MONTH_YEAR = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?!\d)/u;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?!\d)/u;

/**
 * A date written as banners write it (`12-Mar-1961`, `12 Mar 1961`, `12/03/1961` day first,
 * `1961-03-12`) as `YYYY-MM-DD`; `undefined` when the text does not start with a real calendar date.
 *
 * @example parseBannerDate('12-Mar-1961') // '1961-03-12'
 * @example parseBannerDate('31/02/1961') // undefined
 */
export function parseBannerDate(text: string): string | undefined {
  const input = text.trim().slice(0, 40);
  let day: number;
  let month: number;
  let year: number;
  const worded = DAY_MONTH_WORD_YEAR.exec(input);
  const numeric = DAY_MONTH_YEAR.exec(input);
  const iso = ISO_DATE.exec(input);
  if (worded) {
    const name = (worded[2] ?? '').toLowerCase();
    const index = MONTHS.indexOf(name.slice(0, 3));
    // A full or short English month name only (`Mar`, `March`, `Sept`), not any word that starts alike.
    if (index < 0 || !(name.length === 3 || name === 'sept' || name === FULL_MONTHS[index])) return undefined;
    [day, month, year] = [Number(worded[1]), index + 1, Number(worded[3])];
  } else if (numeric) {
    [day, month, year] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
  } else if (iso) {
    [day, month, year] = [Number(iso[3]), Number(iso[2]), Number(iso[1])];
  } else {
    return undefined;
  }
  if (year < 1850 || year > 2199 || month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Every NHS number written after an `NHS No.` label (or bare, when asked), valid or not, in order. */
export function findNhsNumbers(text: string, options: BannerOptions = {}): string[] {
  const input = text.slice(0, MAX_TEXT);
  const found = [...input.matchAll(LABELLED_NUMBER)].map((match) => `${match[1]}${match[2]}${match[3]}`);
  if (found.length > 0 || !options.unlabelledNumber) return found;
  return [...input.matchAll(BARE_NUMBER)].map((match) => `${match[1]}${match[2]}${match[3]}`);
}

/**
 * The patient's name: the first `FAMILY, Given (Title)` in the text, else the text after a `Name` label.
 *
 * @example findPatientName('SMITH, Jane (Mrs)  Born 12-Mar-1961')?.family // 'SMITH'
 */
export function findPatientName(text: string): PatientName | undefined {
  const input = text.slice(0, MAX_TEXT);
  for (const match of input.matchAll(BANNER_NAME)) {
    const family = match[1] ?? '';
    // One capital letter followed by a comma is an initial, not a family name.
    if (family.replace(/[^\p{L}]/gu, '').length < 2) continue;
    const title = match[3] === undefined ? '' : ` (${match[3]})`;
    const name = parsePatientName(`${family}, ${match[2] ?? ''}${title}`);
    if (name) return name;
  }
  const labelled = LABELLED_NAME.exec(input);
  return labelled ? parsePatientName(labelled[1] ?? '') : undefined;
}

/** The first date of birth written after a `Born`, `DOB`, `D.O.B.` or `Date of birth` label. */
export function findBirthDate(text: string): string | undefined {
  for (const match of text.slice(0, MAX_TEXT).matchAll(BIRTH_LABEL)) {
    const date = parseBannerDate(match[1] ?? '');
    if (date) return date;
  }
  return undefined;
}

/**
 * Reads the patient from banner text. No patient is taken when the text names no NHS number, when it
 * holds two different valid ones (two patients on one screen: which one is meant is the GP's call),
 * or when a labelled number fails the Modulus 11 check (a misread or mistyped number must not be sent).
 *
 * @example readPatientBanner('SMITH, Jane (Mrs)  Born 12-Mar-1961  NHS No. 943 476 5919')
 * // { ok: true, patient: { nhsNumber: '9434765919', name: { family: 'SMITH', … }, birthDate: '1961-03-12' } }
 */
export function readPatientBanner(text: string, options: BannerOptions = {}): BannerReading {
  const numbers = findNhsNumbers(text, options);
  if (numbers.length === 0) return { ok: false, problem: 'no-nhs-number' };
  const valid = new Set<string>();
  for (const number of numbers) {
    const check = checkNhsNumber(number);
    if (!check.ok) return { ok: false, problem: 'invalid-nhs-number' };
    valid.add(check.nhsNumber);
  }
  if (valid.size > 1) return { ok: false, problem: 'several-nhs-numbers' };
  const [nhsNumber] = valid;
  if (nhsNumber === undefined) return { ok: false, problem: 'no-nhs-number' };
  const name = findPatientName(text);
  const birthDate = findBirthDate(text);
  return {
    ok: true,
    patient: { nhsNumber, ...(name === undefined ? {} : { name }), ...(birthDate ? { birthDate } : {}) },
  };
}

/**
 * Plain words for a clinician about why no patient was taken.
 *
 * @example bannerProblemText('several-nhs-numbers') // 'This page shows more than one NHS number, …'
 */
export function bannerProblemText(problem: BannerProblem): string {
  switch (problem) {
    case 'no-nhs-number':
      return 'No NHS number was found.';
    case 'several-nhs-numbers':
      return 'This page shows more than one NHS number, so Linkwell cannot tell which patient you mean.';
    case 'invalid-nhs-number':
      return 'The NHS number shown is not valid (it fails the Modulus 11 check), so Linkwell will not use it.';
  }
}
