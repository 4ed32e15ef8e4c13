import { describe, expect, it } from 'vitest';
import { fullReferral, minimalReferral, referralsByReason } from '../../tests/fixtures/referrals';
import { formatPath, parseReferral } from './referral';

// A referral as plain JSON, so tests can break it in ways the Referral type would not allow.
function sample(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...structuredClone(minimalReferral), ...changes };
}

function problemsOf(input: unknown) {
  const result = parseReferral(input);
  return result.ok ? [] : result.problems;
}

describe('parseReferral: accepting', () => {
  it('accepts the minimal referral unchanged', () => {
    expect(parseReferral(minimalReferral)).toEqual({ ok: true, referral: minimalReferral });
  });

  it('accepts the full referral unchanged', () => {
    expect(parseReferral(fullReferral)).toEqual({ ok: true, referral: fullReferral });
  });

  it('accepts a referral for each reason', () => {
    expect(referralsByReason.map((referral) => parseReferral(referral).ok)).toEqual(Array(10).fill(true));
  });

  it('trims text', () => {
    const result = parseReferral(sample({ whatMatters: '  Her garden  ' }));
    expect(result.ok && result.referral.whatMatters).toBe('Her garden');
  });

  it('treats blank optional text as left out', () => {
    const result = parseReferral(sample({ risks: '   ' }));
    expect(result.ok && result.referral.risks).toBeUndefined();
  });

  it('writes a spaced NHS number as 10 digits', () => {
    const result = parseReferral(
      sample({ patient: { ...minimalReferral.patient, nhsNumber: '999 526 0182' } }),
    );
    expect(result.ok && result.referral.patient.nhsNumber).toBe('9995260182');
  });

  it('reads a name given as the banner shows it', () => {
    const result = parseReferral(
      sample({ patient: { ...minimalReferral.patient, name: 'OKAFOR, Grace (Ms)' } }),
    );
    expect(result.ok && result.referral.patient.name).toEqual({
      family: 'OKAFOR',
      given: ['Grace'],
      prefix: 'Ms',
      text: 'OKAFOR, Grace (Ms)',
    });
  });

  it('fills in the name text from its parts', () => {
    const result = parseReferral(
      sample({ patient: { ...minimalReferral.patient, name: { family: 'Smith', given: ['Jane'] } } }),
    );
    expect(result.ok && result.referral.patient.name.text).toBe('Jane Smith');
  });

  it('writes a postcode in capitals with one space', () => {
    const patient = { ...minimalReferral.patient, address: { lines: ['1 High St'], postcode: 'gl51aa' } };
    const result = parseReferral(sample({ patient }));
    expect(result.ok && result.referral.patient.address?.postcode).toBe('GL5 1AA');
  });

  it('writes an ODS code in capitals', () => {
    const result = parseReferral(sample({ practice: { name: 'Severnside Surgery', odsCode: 'l84001' } }));
    expect(result.ok && result.referral.practice.odsCode).toBe('L84001');
  });

  it('counts a reason chosen twice once', () => {
    const result = parseReferral(sample({ reasons: ['housing', 'money', 'housing'] }));
    expect(result.ok && result.referral.reasons).toEqual(['housing', 'money']);
  });

  it('gives an empty list of suggested offers when none are sent', () => {
    const { suggestedOffers: _left, ...withoutOffers } = sample();
    const result = parseReferral(withoutOffers);
    expect(result.ok && result.referral.suggestedOffers).toEqual([]);
  });

  it('drops fields it does not know', () => {
    const result = parseReferral(sample({ favouriteColour: 'green' }));
    expect(result.ok && 'favouriteColour' in result.referral).toBe(false);
  });
});

describe('parseReferral: refusing', () => {
  it('refuses a referral without consent', () => {
    expect(problemsOf(sample({ consent: { given: false, dateTime: '2025-03-12T09:25:00Z' } }))).toEqual([
      {
        path: 'consent.given',
        message: "The patient's consent is needed before referring. Ask them, and tick consent.",
      },
    ]);
  });

  it('refuses a referral with no consent record at all', () => {
    const { consent: _left, ...withoutConsent } = sample();
    expect(problemsOf(withoutConsent)).toEqual([
      { path: 'consent', message: "Record the patient's consent to the referral." },
    ]);
  });

  it('refuses an NHS number that fails Modulus 11', () => {
    const problems = problemsOf(sample({ patient: { ...minimalReferral.patient, nhsNumber: '9995260183' } }));
    expect(problems).toEqual([
      {
        path: 'patient.nhsNumber',
        message:
          'This is not a valid NHS number: the last digit does not match the others. Check for a typing mistake.',
      },
    ]);
  });

  it('refuses an NHS number of the wrong length', () => {
    const problems = problemsOf(sample({ patient: { ...minimalReferral.patient, nhsNumber: '99952601' } }));
    expect(problems).toEqual([{ path: 'patient.nhsNumber', message: 'An NHS number has 10 digits.' }]);
  });

  it('refuses a date of birth that is not a real date', () => {
    const problems = problemsOf(sample({ patient: { ...minimalReferral.patient, birthDate: '1961-02-30' } }));
    expect(problems.map((problem) => problem.path)).toEqual(['patient.birthDate']);
  });

  it('refuses a date of birth written the British way', () => {
    const problems = problemsOf(sample({ patient: { ...minimalReferral.patient, birthDate: '12/03/1961' } }));
    expect(problems[0]?.message).toBe(
      "Enter the patient's date of birth as YYYY-MM-DD, for example 1961-03-12.",
    );
  });

  it('refuses a name that is not a name', () => {
    const problems = problemsOf(sample({ patient: { ...minimalReferral.patient, name: '12345' } }));
    expect(problems).toEqual([
      {
        path: 'patient.name',
        message: "Enter the patient's name, for example SMITH, Jane (Mrs) or Jane Smith.",
      },
    ]);
  });

  it('refuses no reasons', () => {
    expect(problemsOf(sample({ reasons: [] }))).toEqual([
      { path: 'reasons', message: 'Choose at least one reason for the referral.' },
    ]);
  });

  it('refuses an unknown reason', () => {
    expect(problemsOf(sample({ reasons: ['gardening'] }))).toEqual([
      { path: 'reasons[0]', message: 'Choose reasons from the list.' },
    ]);
  });

  it('asks what the other reason is', () => {
    expect(problemsOf(sample({ reasons: ['other'] }))).toEqual([
      { path: 'otherReason', message: 'Say what the other reason is.' },
    ]);
  });

  it('asks for the interpreter language', () => {
    expect(problemsOf(sample({ communication: { interpreterNeeded: true } }))).toEqual([
      { path: 'communication.language', message: 'Say which language the interpreter is for.' },
    ]);
  });

  it('refuses free text over 2000 characters', () => {
    expect(problemsOf(sample({ whatMatters: 'a'.repeat(2001) }))).toEqual([
      { path: 'whatMatters', message: 'Keep what matters to the person to 2000 characters or fewer.' },
    ]);
  });

  it('accepts free text of exactly 2000 characters', () => {
    expect(parseReferral(sample({ whatMatters: 'a'.repeat(2000) })).ok).toBe(true);
  });

  it('refuses a priority other than routine or urgent', () => {
    expect(problemsOf(sample({ priority: 'asap' }))).toEqual([
      { path: 'priority', message: 'Choose routine or urgent.' },
    ]);
  });

  it('refuses an id that is not a UUID', () => {
    expect(problemsOf(sample({ id: 'referral-1' }))).toEqual([
      { path: 'id', message: 'The referral id must be a UUID.' },
    ]);
  });

  it('refuses a creation time without a time zone', () => {
    expect(problemsOf(sample({ createdAt: '2025-03-12T09:30:00' })).map((problem) => problem.path)).toEqual([
      'createdAt',
    ]);
  });

  it('refuses a bad email address', () => {
    const problems = problemsOf(
      sample({ patient: { ...minimalReferral.patient, email: 'jane at example' } }),
    );
    expect(problems).toEqual([
      { path: 'patient.email', message: 'Enter an email address like name@example.org.' },
    ]);
  });

  it('refuses a phone number with letters', () => {
    const problems = problemsOf(sample({ patient: { ...minimalReferral.patient, phone: 'call me' } }));
    expect(problems).toEqual([
      { path: 'patient.phone', message: 'Enter a phone number using digits, for example 01453 000000.' },
    ]);
  });

  it('refuses a postcode that is not a UK postcode', () => {
    const patient = { ...minimalReferral.patient, address: { lines: ['1 High St'], postcode: '90210' } };
    expect(problemsOf(sample({ patient }))).toEqual([
      { path: 'patient.address.postcode', message: 'Enter a UK postcode, for example GL5 1AA.' },
    ]);
  });

  it('refuses an empty address', () => {
    const patient = { ...minimalReferral.patient, address: { lines: [] } };
    expect(problemsOf(sample({ patient })).map((problem) => problem.path)).toEqual(['patient.address']);
  });

  it('refuses an offer link that is not a web address', () => {
    const suggestedOffers = [{ name: 'Choir', url: 'javascript:alert(1)' }];
    expect(problemsOf(sample({ suggestedOffers }))).toEqual([
      { path: 'suggestedOffers[0].url', message: 'Enter a full web address starting https://.' },
    ]);
  });

  it('refuses more than 20 suggested offers', () => {
    const suggestedOffers = Array.from({ length: 21 }, (_, index) => ({ name: `Offer ${index}` }));
    expect(problemsOf(sample({ suggestedOffers })).map((problem) => problem.path)).toEqual([
      'suggestedOffers',
    ]);
  });

  it('names a missing required field in plain words', () => {
    const { referrer: _left, ...withoutReferrer } = sample();
    expect(problemsOf(withoutReferrer)).toEqual([{ path: 'referrer', message: 'This is required.' }]);
  });

  it('asks for the referrer name when it is blank', () => {
    expect(problemsOf(sample({ referrer: { name: '  ' } }))).toEqual([
      { path: 'referrer.name', message: "Enter the referrer's name." },
    ]);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf(sample({ reasons: [], priority: 'asap', linkWorker: { id: 'x' } }));
    expect(problems.map((problem) => problem.path)).toEqual(['linkWorker.name', 'reasons', 'priority']);
  });

  it('refuses something that is not a referral at all', () => {
    expect(problemsOf('hello')).toEqual([{ path: '', message: 'This must be a group of fields.' }]);
  });
});

describe('formatPath', () => {
  it('joins names with dots and puts indexes in brackets', () => {
    expect(formatPath(['suggestedOffers', 0, 'url'])).toBe('suggestedOffers[0].url');
  });

  it('gives an empty path for the whole referral', () => {
    expect(formatPath([])).toBe('');
  });
});
