// NHS numbers: reading them as people write them, checking them, and showing them.
// The check is the Modulus 11 algorithm that the NHS Data Dictionary makes mandatory:
// https://www.datadictionary.nhs.uk/attributes/nhs_number.html

/** Why a piece of text is not a usable NHS number. */
export type NhsNumberProblem = 'empty' | 'length' | 'characters' | 'check-digit' | 'check-value-10';

export type NhsNumberCheck = { ok: true; nhsNumber: string } | { ok: false; problem: NhsNumberProblem };

// Spaces and hyphens as they arrive when pasted from clinical systems and web pages: the no-break and
// thin spaces, and the Unicode hyphens and dashes that word processors put in place of '-'.
const SEPARATORS = /[ \u00A0\u2007\u2009\u202F\-\u2010\u2011\u2012\u2013]/g;

// Weights 10 down to 2 for digits 1 to 9 (Data Dictionary, step 1).
const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/**
 * Removes the spaces and hyphens people put in an NHS number, and surrounding whitespace; nothing else.
 *
 * @example normaliseNhsNumber(' 943-476 5919 ') // '9434765919'
 */
export function normaliseNhsNumber(input: string): string {
  return input.trim().replace(SEPARATORS, '');
}

/**
 * The check digit that nine digits must be followed by, or `null` when the Modulus 11 result is 10:
 * such numbers are never issued.
 *
 * @example nhsNumberCheckDigit('943476591') // 9
 */
export function nhsNumberCheckDigit(firstNineDigits: string): number | null {
  if (!/^\d{9}$/.test(firstNineDigits)) {
    throw new RangeError('nhsNumberCheckDigit needs exactly nine digits');
  }
  let total = 0;
  WEIGHTS.forEach((weight, index) => {
    total += weight * Number(firstNineDigits[index]);
  });
  const checkValue = 11 - (total % 11);
  if (checkValue === 11) return 0;
  if (checkValue === 10) return null;
  return checkValue;
}

/**
 * Checks an NHS number written the usual ways (`9434765919`, `943 476 5919`, `943-476-5919`).
 *
 * @example checkNhsNumber('943 476 5919') // { ok: true, nhsNumber: '9434765919' }
 * @example checkNhsNumber('943 476 5910') // { ok: false, problem: 'check-digit' }
 */
export function checkNhsNumber(input: string): NhsNumberCheck {
  const nhsNumber = normaliseNhsNumber(input);
  if (nhsNumber === '') return { ok: false, problem: 'empty' };
  if (!/^\d+$/.test(nhsNumber)) return { ok: false, problem: 'characters' };
  if (nhsNumber.length !== 10) return { ok: false, problem: 'length' };
  const checkDigit = nhsNumberCheckDigit(nhsNumber.slice(0, 9));
  if (checkDigit === null) return { ok: false, problem: 'check-value-10' };
  if (checkDigit !== Number(nhsNumber[9])) return { ok: false, problem: 'check-digit' };
  return { ok: true, nhsNumber };
}

/**
 * Whether the text is a valid NHS number once spaces and hyphens are removed.
 *
 * @example isValidNhsNumber('943-476-5919') // true
 */
export function isValidNhsNumber(input: string): boolean {
  return checkNhsNumber(input).ok;
}

/**
 * Plain words for a clinician about what is wrong with the number they entered.
 *
 * @example nhsNumberProblemText('length') // 'An NHS number has 10 digits.'
 */
export function nhsNumberProblemText(problem: NhsNumberProblem): string {
  switch (problem) {
    case 'empty':
      return 'Enter the NHS number.';
    case 'length':
      return 'An NHS number has 10 digits.';
    case 'characters':
      return 'An NHS number contains only digits (spaces and hyphens between them are fine).';
    case 'check-digit':
      return 'This is not a valid NHS number: the last digit does not match the others. Check for a typing mistake.';
    case 'check-value-10':
      return 'This is not a valid NHS number: no NHS number is ever issued with these first nine digits. Check for a typing mistake.';
  }
}

/**
 * Shows a valid NHS number spaced 3-3-4, as NHS screens do. Text that is not a valid NHS number is
 * returned trimmed but otherwise as it was, so a mistake stays visible.
 *
 * @example formatNhsNumber('9434765919') // '943 476 5919'
 */
export function formatNhsNumber(input: string): string {
  const check = checkNhsNumber(input);
  if (!check.ok) return input.trim();
  const digits = check.nhsNumber;
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
