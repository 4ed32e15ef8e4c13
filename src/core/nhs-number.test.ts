import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkNhsNumber,
  formatNhsNumber,
  isValidNhsNumber,
  nhsNumberCheckDigit,
  nhsNumberProblemText,
  normaliseNhsNumber,
} from './nhs-number';

describe('normaliseNhsNumber', () => {
  it('removes spaces', () => {
    expect(normaliseNhsNumber('943 476 5919')).toBe('9434765919');
  });

  it('removes hyphens', () => {
    expect(normaliseNhsNumber('943-476-5919')).toBe('9434765919');
  });

  it('removes surrounding whitespace', () => {
    expect(normaliseNhsNumber('\t 9434765919 \n')).toBe('9434765919');
  });

  it('removes no-break spaces and non-breaking hyphens pasted from web pages', () => {
    expect(normaliseNhsNumber('943\u00A0476\u20115919')).toBe('9434765919');
  });

  it('keeps every other character', () => {
    expect(normaliseNhsNumber('943.476.5919')).toBe('943.476.5919');
  });
});

describe('checkNhsNumber: valid numbers', () => {
  it.each(['9434765919', '9476719931', '6541003238', '9995260182'])('accepts %s', (nhsNumber) => {
    expect(checkNhsNumber(nhsNumber)).toEqual({ ok: true, nhsNumber });
  });

  it('accepts a number written with spaces', () => {
    expect(checkNhsNumber('943 476 5919')).toEqual({ ok: true, nhsNumber: '9434765919' });
  });

  it('accepts a number written with hyphens', () => {
    expect(checkNhsNumber('943-476-5919')).toEqual({ ok: true, nhsNumber: '9434765919' });
  });

  it('accepts a check value of 11 written as check digit 0', () => {
    // 943476508: weighted sum 286 = 26 x 11, so 11 - 0 = 11, written as check digit 0.
    expect(checkNhsNumber('9434765080')).toEqual({ ok: true, nhsNumber: '9434765080' });
  });

  it('accepts 0000000000, which passes Modulus 11 although it is never issued', () => {
    expect(checkNhsNumber('0000000000')).toEqual({ ok: true, nhsNumber: '0000000000' });
  });
});

describe('checkNhsNumber: problems', () => {
  it('reports an empty input', () => {
    expect(checkNhsNumber('')).toEqual({ ok: false, problem: 'empty' });
  });

  it('reports an input of only spaces as empty', () => {
    expect(checkNhsNumber('  -  ')).toEqual({ ok: false, problem: 'empty' });
  });

  it('reports a wrong check digit', () => {
    expect(checkNhsNumber('9434765910')).toEqual({ ok: false, problem: 'check-digit' });
  });

  it('reports nine digits whose check value is 10', () => {
    // Weighted sum of 100000001 is 10 + 2 = 12; 12 mod 11 = 1; 11 - 1 = 10: never issued.
    expect(checkNhsNumber('1000000010')).toEqual({ ok: false, problem: 'check-value-10' });
  });

  it('reports nine digits', () => {
    expect(checkNhsNumber('943476591')).toEqual({ ok: false, problem: 'length' });
  });

  it('reports eleven digits', () => {
    expect(checkNhsNumber('94347659190')).toEqual({ ok: false, problem: 'length' });
  });

  it('reports letters', () => {
    expect(checkNhsNumber('943476591A')).toEqual({ ok: false, problem: 'characters' });
  });

  it('reports dots as characters, not as separators', () => {
    expect(checkNhsNumber('943.476.5919')).toEqual({ ok: false, problem: 'characters' });
  });
});

describe('nhsNumberCheckDigit', () => {
  it('gives the check digit of nine digits', () => {
    expect(nhsNumberCheckDigit('943476591')).toBe(9);
  });

  it('gives 0 when the check value is 11', () => {
    expect(nhsNumberCheckDigit('000000000')).toBe(0);
  });

  it('gives null when the check value is 10', () => {
    expect(nhsNumberCheckDigit('100000001')).toBeNull();
  });

  it('refuses anything but nine digits', () => {
    expect(() => nhsNumberCheckDigit('94347659')).toThrow(RangeError);
  });
});

describe('isValidNhsNumber', () => {
  it('is true for a valid number', () => {
    expect(isValidNhsNumber('999 526 0182')).toBe(true);
  });

  it('is false for a wrong check digit', () => {
    expect(isValidNhsNumber('9995260183')).toBe(false);
  });
});

describe('nhsNumberProblemText', () => {
  it('says how many digits an NHS number has', () => {
    expect(nhsNumberProblemText('length')).toBe('An NHS number has 10 digits.');
  });

  it('says only digits are allowed', () => {
    expect(nhsNumberProblemText('characters')).toBe(
      'An NHS number contains only digits (spaces and hyphens between them are fine).',
    );
  });

  it('asks for the number when none was given', () => {
    expect(nhsNumberProblemText('empty')).toBe('Enter the NHS number.');
  });

  it.each(['check-digit', 'check-value-10'] as const)('suggests a typing mistake for %s', (problem) => {
    expect(nhsNumberProblemText(problem)).toMatch(/^This is not a valid NHS number: .* typing mistake\.$/);
  });
});

describe('formatNhsNumber', () => {
  it('spaces a number 3-3-4', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
  });

  it('respaces a hyphenated number', () => {
    expect(formatNhsNumber('999-526-0182')).toBe('999 526 0182');
  });

  it('leaves an invalid number as it was written, trimmed', () => {
    expect(formatNhsNumber(' 943-476-5910 ')).toBe('943-476-5910');
  });
});

// Any nine digits followed by their check digit, leaving out the ones that can never be issued.
const validNhsNumber = fc
  .stringMatching(/^\d{9}$/)
  .map((firstNine) => ({ firstNine, checkDigit: nhsNumberCheckDigit(firstNine) }))
  .filter(({ checkDigit }) => checkDigit !== null)
  .map(({ firstNine, checkDigit }) => `${firstNine}${checkDigit}`);

describe('NHS number properties', () => {
  it('every formatted valid number normalises back to itself', () => {
    fc.assert(
      fc.property(validNhsNumber, (nhsNumber) => {
        expect(normaliseNhsNumber(formatNhsNumber(nhsNumber))).toBe(nhsNumber);
        expect(isValidNhsNumber(formatNhsNumber(nhsNumber))).toBe(true);
      }),
    );
  });

  it('changing any one digit of a valid number makes it invalid', () => {
    fc.assert(
      fc.property(
        validNhsNumber,
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (nhsNumber, position, shift) => {
          const changed = (Number(nhsNumber[position]) + shift) % 10;
          const altered = `${nhsNumber.slice(0, position)}${changed}${nhsNumber.slice(position + 1)}`;
          expect(isValidNhsNumber(altered)).toBe(false);
        },
      ),
    );
  });
});
