import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNhsNumber, isValidNhsNumber, nhsNumberCheckDigit } from './nhs-number';
import {
  bannerProblemText,
  findBirthDate,
  findPatientName,
  parseBannerDate,
  readPatientBanner,
} from './patient-banner';

describe('parseBannerDate', () => {
  it.each([
    ['12-Mar-1961', '1961-03-12'],
    ['12 Mar 1961', '1961-03-12'],
    ['12/03/1961', '1961-03-12'],
    ['1961-03-12', '1961-03-12'],
    ['2 Sept 1948', '1948-09-02'],
    ['02-November-1948', '1948-11-02'],
    ['29-Feb-2000', '2000-02-29'],
  ])('reads %s', (text, iso) => {
    expect(parseBannerDate(text)).toBe(iso);
  });

  it.each(['31/02/1961', '29-Feb-1900', '12-Mab-1961', '12-Marzipan-1961', '1961/03/12', '00-Mar-1961', ''])(
    'refuses %j',
    (text) => {
      expect(parseBannerDate(text)).toBeUndefined();
    },
  );
});

describe('readPatientBanner', () => {
  it('reads a pasted banner line', () => {
    expect(readPatientBanner('SMITH, Jane (Mrs)  Born 12-Mar-1961  NHS No. 943 476 5919')).toEqual({
      ok: true,
      patient: {
        nhsNumber: '9434765919',
        name: { family: 'SMITH', given: ['Jane'], prefix: 'Mrs', text: 'SMITH, Jane (Mrs)' },
        birthDate: '1961-03-12',
      },
    });
  });

  it.each([
    'NHS No. 943 476 5919',
    'NHS No 943-476-5919',
    'NHS Number: 9434765919',
    'NHS number\n943 476 5919',
  ])('finds the number after the label in %j', (text) => {
    expect(readPatientBanner(text)).toMatchObject({ ok: true, patient: { nhsNumber: '9434765919' } });
  });

  it('reads a banner spread over several elements, one per line', () => {
    const text = 'OKAFOR, Grace Adaeze (Ms)\nDOB\n02/11/1948\nGender\nFemale\nNHS Number\n943 476 5919';
    expect(readPatientBanner(text)).toMatchObject({
      ok: true,
      patient: {
        nhsNumber: '9434765919',
        name: { family: 'OKAFOR', given: ['Grace', 'Adaeze'], prefix: 'Ms' },
        birthDate: '1948-11-02',
      },
    });
  });

  it('reads the name after a Name label and the date after D.O.B.', () => {
    const reading = readPatientBanner('Name: Jane Smith | D.O.B. 1961-03-12 | NHS No: 999 526 0182');
    expect(reading).toMatchObject({
      ok: true,
      patient: {
        nhsNumber: '9995260182',
        name: { family: 'Smith', given: ['Jane'] },
        birthDate: '1961-03-12',
      },
    });
  });

  it('takes one patient when the same number appears twice', () => {
    expect(readPatientBanner('NHS No. 943 476 5919 … NHS Number 9434765919').ok).toBe(true);
  });

  it('refuses two different valid NHS numbers', () => {
    expect(readPatientBanner('NHS No. 943 476 5919\nNHS No. 999 526 0182')).toEqual({
      ok: false,
      problem: 'several-nhs-numbers',
    });
  });

  it('refuses a number that fails Modulus 11', () => {
    expect(readPatientBanner('SMITH, Jane (Mrs) NHS No. 943 476 5910')).toEqual({
      ok: false,
      problem: 'invalid-nhs-number',
    });
  });

  it('needs a label on a page, but not in a pasted line when asked', () => {
    expect(readPatientBanner('SMITH, Jane 943 476 5919')).toEqual({ ok: false, problem: 'no-nhs-number' });
    expect(readPatientBanner('SMITH, Jane 943 476 5919', { unlabelledNumber: true })).toMatchObject({
      ok: true,
      patient: { nhsNumber: '9434765919' },
    });
  });

  it('leaves out what it cannot read', () => {
    expect(readPatientBanner('NHS No. 943 476 5919 Born 31-Feb-1961')).toEqual({
      ok: true,
      patient: { nhsNumber: '9434765919' },
    });
  });

  it('says why in words', () => {
    expect(bannerProblemText('invalid-nhs-number')).toMatch(/Modulus 11/);
  });
});

describe('findPatientName and findBirthDate', () => {
  it('stops a banner name at the next banner item on the same line', () => {
    expect(findPatientName('SMITH, Jane Born 12-Mar-1961')).toMatchObject({
      family: 'SMITH',
      given: ['Jane'],
    });
  });

  it('ignores a single capital before a comma', () => {
    expect(findPatientName('A, b c')).toBeUndefined();
  });

  it('reads each birth label', () => {
    for (const label of ['Born', 'DOB', 'D.O.B.', 'Date of birth', 'DOB:']) {
      expect(findBirthDate(`${label} 12 Mar 1961`)).toBe('1961-03-12');
    }
  });
});

// A valid NHS number for any nine leading digits whose check value is not 10.
const validNhsNumber = fc
  .stringMatching(/^\d{9}$/)
  .map((nine) => {
    const check = nhsNumberCheckDigit(nine);
    return check === null ? undefined : `${nine}${check}`;
  })
  .filter((value): value is string => value !== undefined);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

describe('properties', () => {
  it('never throws, and any patient it gives has a valid NHS number', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.boolean(), (text, unlabelledNumber) => {
        const reading = readPatientBanner(text, { unlabelledNumber });
        if (reading.ok) expect(isValidNhsNumber(reading.patient.nhsNumber)).toBe(true);
      }),
    );
  });

  it('never throws on text around a real banner', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), validNhsNumber, (before, after, nhsNumber) => {
        readPatientBanner(`${before} NHS No. ${nhsNumber} ${after}`);
      }),
    );
  });

  it('reads back the date in every written form', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (date) => {
          const iso = date.toISOString().slice(0, 10);
          const [year, month, day] = iso.split('-');
          const word = MONTHS[Number(month) - 1];
          for (const written of [
            `${day}-${word}-${year}`,
            `${day} ${word} ${year}`,
            `${day}/${month}/${year}`,
            iso,
          ]) {
            expect(parseBannerDate(written)).toBe(iso);
          }
        },
      ),
    );
  });

  it('reads back a banner line built from any valid number, in any of its written forms', () => {
    fc.assert(
      fc.property(validNhsNumber, fc.constantFrom(' ', '-', ''), (nhsNumber, separator) => {
        const written = formatNhsNumber(nhsNumber).replaceAll(' ', separator);
        const reading = readPatientBanner(`JONES, Alun (Mr)  Born 1950-01-31  NHS No. ${written}`);
        expect(reading).toMatchObject({
          ok: true,
          patient: { nhsNumber, name: { family: 'JONES', given: ['Alun'] }, birthDate: '1950-01-31' },
        });
      }),
    );
  });
});
