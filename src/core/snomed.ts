// The SNOMED CT concepts Linkwell sends in referrals and shows for the clinical record (CONTRACT.md
// section 4). Codes and preferred terms from the UK edition: https://termbrowser.nhs.uk/

/** The FHIR system URI for SNOMED CT: https://www.hl7.org/fhir/R4/snomedct.html */
export const SNOMED_SYSTEM = 'http://snomed.info/sct';

/** A SNOMED CT concept: its code and the term shown beside it. */
export type SnomedConcept = { readonly code: string; readonly display: string };

/** Coded on the ServiceRequest, and recorded in the GP record after a referral is sent. */
export const REFERRAL_TO_SOCIAL_PRESCRIBING = {
  code: '871731000000106',
  display: 'Referral to social prescribing service',
} as const satisfies SnomedConcept;

/** Recorded in the GP record when the patient declines social prescribing. */
export const SOCIAL_PRESCRIBING_DECLINED = {
  code: '871711000000103',
  display: 'Social prescribing declined',
} as const satisfies SnomedConcept;
