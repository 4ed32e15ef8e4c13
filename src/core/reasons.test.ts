import { describe, expect, it } from 'vitest';
import { isReasonId, REASON_IDS, REFERRAL_REASONS, reasonLabel } from './reasons';

describe('REFERRAL_REASONS', () => {
  it('lists the ten reasons in display order', () => {
    expect(REFERRAL_REASONS.map((reason) => reason.label)).toEqual([
      'Loneliness or isolation',
      'Low mood or anxiety',
      'Bereavement',
      'Long-term condition support',
      'Physical inactivity',
      'Money or debt',
      'Housing',
      'Carer support',
      'Work or learning',
      'Other',
    ]);
  });

  it('keeps the stable ids in the same order', () => {
    expect(REFERRAL_REASONS.map((reason) => reason.id)).toEqual([...REASON_IDS]);
  });

  it('has no duplicate ids or labels', () => {
    expect(new Set(REASON_IDS).size).toBe(REASON_IDS.length);
    expect(new Set(REFERRAL_REASONS.map((reason) => reason.label)).size).toBe(REASON_IDS.length);
  });

  it('ends with other', () => {
    expect(REASON_IDS.at(-1)).toBe('other');
  });
});

describe('reasonLabel', () => {
  it('gives the exact label the contract names for loneliness', () => {
    expect(reasonLabel('loneliness')).toBe('Loneliness or isolation');
  });

  it('gives the label for money', () => {
    expect(reasonLabel('money')).toBe('Money or debt');
  });
});

describe('isReasonId', () => {
  it('accepts a known id', () => {
    expect(isReasonId('carer')).toBe(true);
  });

  it('refuses a label', () => {
    expect(isReasonId('Housing')).toBe(false);
  });

  it('refuses an unknown id', () => {
    expect(isReasonId('gardening')).toBe(false);
  });
});
