/**
 * Patient names as clinical systems show them, and as Linkwell shows them back.
 *
 * Display follows the NHS CUI "Patient Name Input and Display" guidance, the form GPs see in every patient
 * banner: `SMITH, Jane (Mrs)`, family name in capitals, a comma, given names, the title in brackets.
 * Showing the name the same way everywhere is a patient-safety measure against misidentification, and
 * it is how the GP saw the patient on the record screen a moment before.
 * https://pacharanero.github.io/nhs-cui/patient-identification-and-information-entry-and-display/patnamedispqig
 */

export interface PatientName {
  /** Family name as written (the banner writes it in capitals; case is kept, it is still correct). */
  family: string;
  /** Given and middle names, in order. */
  given: string[];
  /** Title, such as Mrs or Dr, without a trailing full stop. */
  prefix?: string;
  /** The whole name as it was read, with spaces tidied. */
  text: string;
}

// Titles recognised at the start of a name written `Mrs Jane Smith`; in banner form any bracketed text is a title.
const TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'master',
  'dr',
  'prof',
  'professor',
  'rev',
  'revd',
  'sir',
  'dame',
  'lady',
  'lord',
]);

// Lower-case particles that belong to the family name in `Vincent van Gogh`.
const PARTICLES = new Set([
  'van',
  'von',
  'de',
  'der',
  'den',
  'da',
  'di',
  'du',
  'del',
  'della',
  'le',
  'la',
  'al',
  'bin',
  'ap',
]);

// Letters in any script, combining marks, and the punctuation real names contain.
const NAME_CHARACTERS = /^[\p{L}\p{M}' ’.\-,()]+$/u;
const BANNER_FORM = /^([^,()]+),([^,()]*?)(?:\(([^()]*)\))?$/u;
const TRAILING_TITLE = /^(.*?)\s*\(([^()]*)\)$/u;

const MAX_LENGTH = 200;

/**
 * Reads a name written `FAMILY, Given Middle (Title)` (the NHS banner) or `Given Family` (with an optional
 * leading or bracketed title). Returns undefined for text that is not a name.
 *
 * @example parsePatientName('SMITH, Jane Ann (Mrs)') // { family: 'SMITH', given: ['Jane', 'Ann'], prefix: 'Mrs', text: 'SMITH, Jane Ann (Mrs)' }
 * @example parsePatientName('Dr Jane Smith') // { family: 'Smith', given: ['Jane'], prefix: 'Dr', text: 'Dr Jane Smith' }
 */
export function parsePatientName(input: string): PatientName | undefined {
  const text = input.replace(/\s+/gu, ' ').trim();
  if (text === '' || text.length > MAX_LENGTH || !NAME_CHARACTERS.test(text) || !/\p{L}/u.test(text)) {
    return undefined;
  }

  const banner = BANNER_FORM.exec(text);
  if (banner) {
    const family = tidyWord(banner[1] ?? '');
    if (!/\p{L}/u.test(family)) return undefined;
    return withPrefix({ family, given: words(banner[2] ?? ''), text }, banner[3]);
  }
  if (text.includes(',')) return undefined;

  let rest = text;
  let prefix: string | undefined;
  const bracketed = TRAILING_TITLE.exec(rest);
  if (bracketed) {
    rest = bracketed[1] ?? '';
    prefix = bracketed[2];
  }
  if (/[()]/u.test(rest)) return undefined;

  const parts = words(rest);
  const first = parts[0];
  if (prefix === undefined && first !== undefined && parts.length > 1 && TITLES.has(titleKey(first))) {
    prefix = first;
    parts.shift();
  }
  if (parts.length === 0) return undefined;

  // The last word is the family name, with any lower-case particles just before it (`van Gogh`).
  let familyStart = parts.length - 1;
  while (familyStart > 1 && PARTICLES.has(parts[familyStart - 1] ?? '')) familyStart -= 1;
  const family = parts.slice(familyStart).join(' ');
  if (!/\p{L}/u.test(family)) return undefined;
  return withPrefix({ family, given: parts.slice(0, familyStart), text }, prefix);
}

/**
 * Shows a name in NHS banner form: family name in capitals, given names in title case when they were
 * written all in capitals, title in brackets without a full stop.
 *
 * @example displayPatientName({ family: 'Smith', given: ['Jane'], prefix: 'Mrs', text: 'Mrs Jane Smith' }) // 'SMITH, Jane (Mrs)'
 */
export function displayPatientName(
  name: Pick<PatientName, 'family' | 'given'> & { prefix?: string | undefined },
): string {
  const family = name.family.toLocaleUpperCase('en-GB');
  const given = name.given.map(displayGivenName).join(' ');
  const title = name.prefix ? ` (${normaliseTitle(name.prefix)})` : '';
  return given === '' ? `${family}${title}` : `${family}, ${given}${title}`;
}

function withPrefix(name: Omit<PatientName, 'prefix'>, rawPrefix: string | undefined): PatientName {
  const prefix = rawPrefix === undefined ? '' : normaliseTitle(rawPrefix);
  return prefix === '' ? name : { ...name, prefix };
}

function words(text: string): string[] {
  return text
    .split(' ')
    .map(tidyWord)
    .filter((word) => word !== '');
}

function tidyWord(word: string): string {
  return word.trim();
}

function titleKey(word: string): string {
  return word.replace(/\.$/u, '').toLocaleLowerCase('en-GB');
}

// CUI: a title is shown in title case and without a trailing full stop (`Mr`, not `MR.`).
function normaliseTitle(title: string): string {
  const trimmed = title.trim().replace(/\.$/u, '');
  return isAllCapitals(trimmed) && trimmed.length > 1 ? titleCase(trimmed) : trimmed;
}

function displayGivenName(given: string): string {
  return isAllCapitals(given) ? titleCase(given) : given;
}

function isAllCapitals(word: string): boolean {
  return /\p{Lu}/u.test(word) && word === word.toLocaleUpperCase('en-GB');
}

// Capital after a start, space, hyphen or apostrophe: `MARY-JANE` → `Mary-Jane`, `O'NEIL` → `O'Neil`.
function titleCase(word: string): string {
  return word
    .toLocaleLowerCase('en-GB')
    .replace(
      /(^|[\s\-'’])(\p{L})/gu,
      (_match, before: string, letter: string) => before + letter.toLocaleUpperCase('en-GB'),
    );
}
