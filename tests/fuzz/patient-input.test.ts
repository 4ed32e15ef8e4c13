import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isValidNhsNumber } from '../../src/core/nhs-number';
import { bannerProblemText, readPatientBanner } from '../../src/core/patient-banner';
import { readTypedPatient } from '../../src/panel/draft';
import { count, FUZZ_RUNS, tried } from './runs';

// Patient details from outside: banner text read from a record page (and pasted by a GP), and details
// typed into the panel. Whatever comes in, out comes one checked patient or a reason in words.

const BANNER = 'SMITH, Jane (Mrs)  Born 12-Mar-1961  NHS No. 943 476 5919';

/** A banner line with a few characters inserted, removed or replaced. */
const mutatedBanner = fc
  .array(fc.tuple(fc.nat({ max: BANNER.length }), fc.nat({ max: 3 }), fc.string({ maxLength: 4 })), {
    maxLength: 4,
  })
  .map((edits) =>
    edits.reduce(
      (text, [at, remove, insert]) => text.slice(0, at) + insert + text.slice(at + remove),
      BANNER,
    ),
  );
const bannerText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  mutatedBanner,
  fc.lorem({ maxCount: 40 }),
);

describe('banner text (record pages and pasted lines)', () => {
  it.each([{}, { unlabelledNumber: true }])(
    'gives a checked patient or a reason, never throws (%j)',
    (options) => {
      fc.assert(
        fc.property(bannerText, (text) => {
          count('banner text');
          const reading = readPatientBanner(text, options);
          if (reading.ok) {
            expect(isValidNhsNumber(reading.patient.nhsNumber)).toBe(true);
            if (reading.patient.birthDate) expect(reading.patient.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          } else {
            expect(bannerProblemText(reading.problem).length).toBeGreaterThan(10);
          }
        }),
        { numRuns: FUZZ_RUNS },
      );
    },
  );
});

describe('details typed into the panel', () => {
  it('gives a checked patient or one problem per field, never throws', () => {
    fc.assert(
      fc.property(
        fc.record({
          nhsNumber: fc.oneof(fc.string(), fc.constantFrom('943 476 5919', '9434765919', '943-476-5918')),
          name: fc.oneof(fc.string(), fc.constantFrom('SMITH, Jane (Mrs)', 'Jane Smith')),
          birthDate: fc.oneof(
            fc.string(),
            fc.constantFrom('12-Mar-1961', '12/03/1961', '1961-03-12', '31/02/1961'),
          ),
        }),
        (fields) => {
          count('typed patient');
          const result = readTypedPatient(fields);
          if (result.ok) {
            expect(isValidNhsNumber(result.patient.nhsNumber)).toBe(true);
            expect(result.patient.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          } else {
            expect(result.problems.length).toBeGreaterThan(0);
            expect(new Set(result.problems.map((problem) => problem.path)).size).toBe(result.problems.length);
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

afterAll(() => {
  if (process.env.FUZZ_RUNS) {
    for (const [boundary, inputs] of tried)
      process.stdout.write(`fuzz: ${boundary}: ${inputs} inputs tried\n`);
  }
});
