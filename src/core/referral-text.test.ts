import { describe, expect, it } from 'vitest';
import { fullReferral, minimalReferral } from '../../tests/fixtures/referrals';
import { formatDate, formatDateTime, referralEmailSubject, referralToText } from './referral-text';

describe('referralToText', () => {
  it('writes the minimal referral in full', () => {
    expect(referralToText(minimalReferral)).toBe(
      [
        'Social prescribing referral',
        '',
        'Patient: SMITH, Jane (Mrs)',
        'Date of birth: 12 Mar 1961',
        'NHS number: 999 526 0182',
        '',
        'Priority: Routine',
        'Referred on: 12 Mar 2025 at 09:30',
        'Referred by: Dr Amir Khan',
        'Practice: Severnside Surgery',
        'Referred to: Community Connections',
        '',
        'Reasons for referral:',
        '- Loneliness or isolation',
        '',
        'Consent: the patient consented to this referral, and to these details being shared with the link worker, on 12 Mar 2025 at 09:25.',
        '',
        'Code to record: SNOMED CT 871731000000106 Referral to social prescribing service',
        'Referral reference: 5b3e9c1a-7f2d-4c6e-9a1b-2d3f4e5a6b7c',
        '',
      ].join('\n'),
    );
  });

  it('writes the full referral in full', () => {
    expect(referralToText(fullReferral, { now: new Date('2025-03-12T10:20:00Z') })).toBe(
      [
        'URGENT social prescribing referral',
        '',
        'Patient: OKAFOR, Grace Adaeze (Ms)',
        'Date of birth: 02 Nov 1948',
        'NHS number: 943 476 5919',
        'Phone: 01453 000111',
        'Email: grace.okafor@example.org',
        'Address: 12 Mill Lane, Stroud, GL5 1AA',
        '',
        'Priority: Urgent',
        'Referred on: 12 Mar 2025 at 10:15',
        'Referred by: Dr Amir Khan, General practitioner',
        'Professional number: 7012345',
        'Practice: Severnside Surgery (ODS code L84001)',
        'Referred to: Severnside PCN link worker, Social Prescribing Link Worker, Severnside PCN',
        '',
        'Reasons for referral:',
        '- Loneliness or isolation',
        '- Bereavement',
        '- Other: Wants to get back to singing after her husband died',
        '',
        'What matters to the person:',
        'Seeing people most days; her garden; getting back to choir',
        '',
        'Communication needs: Interpreter needed (Igbo). Accessibility: Large print letters',
        '',
        'Risks:',
        'Lives alone; has had falls this winter',
        '',
        'Contact preference: Phone call. Best times: Weekday mornings',
        '',
        'Consent: the patient consented to this referral, and to these details being shared with the link worker, on 12 Mar 2025 at 10:10.',
        '',
        'Suggested offers:',
        '- Tuesday Singing for the Brain (Stroud Museum in the Park)',
        '  https://museum.example.org/singing',
        '  Contact: 01453 000222',
        '- Bereavement walk and talk (For All Healthy Living Centre)',
        '',
        'Code to record: SNOMED CT 871731000000106 Referral to social prescribing service',
        'Referral reference: c0a8012e-3b4d-4f5a-8c9d-0e1f2a3b4c5d',
        'Written: 12 Mar 2025 at 10:20',
        '',
      ].join('\n'),
    );
  });

  it('starts with the patient identity', () => {
    const lines = referralToText(fullReferral).split('\n');
    expect(lines.slice(2, 5)).toEqual([
      'Patient: OKAFOR, Grace Adaeze (Ms)',
      'Date of birth: 02 Nov 1948',
      'NHS number: 943 476 5919',
    ]);
  });

  it('keeps line breaks the GP typed in free text', () => {
    const text = referralToText({ ...minimalReferral, whatMatters: 'Her garden\nHer dog' });
    expect(text).toContain('What matters to the person:\nHer garden\nHer dog\n');
  });

  it('says when no interpreter is needed', () => {
    const text = referralToText({ ...minimalReferral, communication: { interpreterNeeded: false } });
    expect(text).toContain('Communication needs: No interpreter needed\n');
  });

  it('writes a text message preference in words', () => {
    const text = referralToText({ ...minimalReferral, contactPreference: { method: 'text' } });
    expect(text).toContain('Contact preference: Text message\n');
  });
});

describe('referralEmailSubject', () => {
  it('names the practice and a short reference', () => {
    expect(referralEmailSubject(minimalReferral)).toBe(
      'Social prescribing referral from Severnside Surgery (ref 5b3e9c1a)',
    );
  });

  it('starts with Urgent for an urgent referral', () => {
    expect(referralEmailSubject(fullReferral)).toBe(
      'Urgent: social prescribing referral from Severnside Surgery (ref c0a8012e)',
    );
  });

  it('never holds the patient name, NHS number or date of birth', () => {
    const subject = referralEmailSubject(fullReferral);
    for (const identifier of ['OKAFOR', 'Okafor', 'Grace', '9434765919', '943 476 5919', '1948', 'Nov']) {
      expect(subject).not.toContain(identifier);
    }
  });

  it('stays on one line whatever the practice name holds', () => {
    const referral = { ...minimalReferral, practice: { name: 'Severnside\r\nBcc: someone@example.org' } };
    expect(referralEmailSubject(referral)).not.toMatch(/[\r\n]/);
  });
});

describe('formatDate', () => {
  it('writes a date day first with the month in words', () => {
    expect(formatDate('1961-03-12')).toBe('12 Mar 1961');
  });

  it('keeps two digits for the day', () => {
    expect(formatDate('1948-11-02')).toBe('02 Nov 1948');
  });

  it('writes September as Sep', () => {
    expect(formatDate('1990-09-30')).toBe('30 Sep 1990');
  });

  it('returns text that is not a date unchanged', () => {
    expect(formatDate('unknown')).toBe('unknown');
  });
});

describe('formatDateTime', () => {
  it('writes a winter time as UK clock time (GMT)', () => {
    expect(formatDateTime('2025-01-15T09:05:00Z')).toBe('15 Jan 2025 at 09:05');
  });

  it('writes a summer time as UK clock time (BST)', () => {
    expect(formatDateTime('2025-07-01T09:00:00Z')).toBe('01 Jul 2025 at 10:00');
  });

  it('reads a time with an offset', () => {
    expect(formatDateTime('2025-07-01T11:00:00+02:00')).toBe('01 Jul 2025 at 10:00');
  });

  it('takes a Date', () => {
    expect(formatDateTime(new Date('2025-03-12T10:20:00Z'))).toBe('12 Mar 2025 at 10:20');
  });

  it('writes midnight as 00:00', () => {
    expect(formatDateTime('2025-01-15T00:00:00Z')).toBe('15 Jan 2025 at 00:00');
  });
});
