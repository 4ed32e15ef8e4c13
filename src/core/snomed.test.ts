import { describe, expect, it } from 'vitest';
import { REFERRAL_TO_SOCIAL_PRESCRIBING, SNOMED_SYSTEM, SOCIAL_PRESCRIBING_DECLINED } from './snomed';

describe('SNOMED CT concepts', () => {
  it('uses the FHIR system URI for SNOMED CT', () => {
    expect(SNOMED_SYSTEM).toBe('http://snomed.info/sct');
  });

  it('names the referral concept', () => {
    expect(REFERRAL_TO_SOCIAL_PRESCRIBING).toEqual({
      code: '871731000000106',
      display: 'Referral to social prescribing service',
    });
  });

  it('names the declined concept', () => {
    expect(SOCIAL_PRESCRIBING_DECLINED).toEqual({
      code: '871711000000103',
      display: 'Social prescribing declined',
    });
  });
});
