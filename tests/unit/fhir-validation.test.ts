import { Fhir } from 'fhir';
import { describe, expect, it } from 'vitest';
import { referralToFhirMessage } from '../../src/core/fhir-message';
import { connectionTestMessage } from '../../src/core/test-message';
import { fullReferral } from '../fixtures/referrals';
import { assertValidFhir, fhirProblems } from '../support/fhir-validation';

// The check every FHIR message in the tests goes through must itself catch a broken message: a validator
// that accepts everything would make every "valid FHIR" assertion pass.

type Json = Record<string, unknown> & { entry: { fullUrl?: string; resource: Record<string, unknown> }[] };

/** A fresh copy of the full referral's bundle, to break. */
function bundle(): Json {
  const built = referralToFhirMessage(fullReferral, {
    now: new Date('2025-03-12T10:20:00Z'),
    software: { name: 'Linkwell', version: '0.1.0' },
  });
  return JSON.parse(JSON.stringify(built)) as Json;
}

function resourceOf(message: Json, type: string): Record<string, unknown> {
  const found = message.entry.find((entry) => entry.resource.resourceType === type)?.resource;
  if (!found) throw new Error(`no ${type}`);
  return found;
}

/** What FHIR.js alone says, errors only, as the `fhir` package reports them. */
function fhirJsErrors(message: unknown): string[] {
  return new Fhir()
    .validate(message as object, { errorOnUnexpected: true })
    .messages.filter((problem) => problem.severity === 'error')
    .map((problem) => `${problem.location}: ${problem.message}`);
}

describe('fhirProblems: what it accepts', () => {
  it('finds nothing wrong with a referral message', () => {
    expect(fhirProblems(bundle())).toEqual([]);
  });

  it('finds nothing wrong with the options page’s test message', () => {
    const message = connectionTestMessage({
      id: '2c1f6a8e-2b7a-4c55-9f7e-0d6f1b9a4e11',
      headerId: '8d0b7a52-5a4e-4b0e-a1e3-3f3b1c2d9e77',
      now: new Date('2025-03-12T10:00:00Z'),
      software: { name: 'Linkwell', version: '0.1.0' },
      destinationEndpoint: 'https://sp.example.org/fhir/$process-message',
      sourceEndpoint: 'chrome-extension://lmfkmlimgkpalpbmipadgohcipbcnnmh/',
    });
    expect(fhirProblems(message)).toEqual([]);
  });
});

describe('fhirProblems: what FHIR.js rejects', () => {
  it('rejects a ServiceRequest without its required intent', () => {
    const message = bundle();
    delete resourceOf(message, 'ServiceRequest').intent;
    expect(fhirProblems(message)).toEqual(['ServiceRequest.intent: Missing property']);
  });

  it('rejects a code outside its required value set', () => {
    const message = bundle();
    resourceOf(message, 'ServiceRequest').status = 'bogus';
    expect(fhirProblems(message)).toEqual(['ServiceRequest.status: Code "bogus" not found in value set']);
  });

  it('rejects a property R4 does not have (errorOnUnexpected)', () => {
    const message = bundle();
    resourceOf(message, 'Patient').favouriteColour = 'green';
    expect(fhirProblems(message)).toEqual(['Patient.favouriteColour: Unexpected property']);
  });

  it('rejects something that is not a resource at all', () => {
    expect(fhirProblems('{"resourceType":"Bundle"}')).toEqual([
      'not a JSON object: "{\\"resourceType\\":\\"Bundle\\"}"',
    ]);
    expect(fhirProblems(undefined)).toHaveLength(1);
  });

  it('throws with every problem listed, for tests that build a message', () => {
    const message = bundle();
    delete resourceOf(message, 'ServiceRequest').intent;
    expect(() => assertValidFhir(message, 'the referral')).toThrow(
      'the referral is not valid FHIR R4:\n  ServiceRequest.intent: Missing property',
    );
  });
});

// Each of these passes FHIR.js 4.12 (the first expectation says so, and will tell us when an upgrade
// closes the gap); our own checks in tests/support/fhir-validation.ts catch it.
describe('fhirProblems: the blind spots of FHIR.js', () => {
  it('catches two entries with the same fullUrl', () => {
    const message = bundle();
    const [header, second] = message.entry;
    if (!header?.fullUrl || !second) throw new Error('too few entries');
    second.fullUrl = header.fullUrl;
    expect(fhirJsErrors(message)).toEqual([]);
    expect(fhirProblems(message)).toContain(`Bundle.entry[1].fullUrl: used twice: ${header.fullUrl}`);
  });

  it('catches an entry without a fullUrl', () => {
    const message = bundle();
    delete message.entry[2]?.fullUrl;
    expect(fhirJsErrors(message)).toEqual([]);
    expect(fhirProblems(message)).toContain('Bundle.entry[2].fullUrl: not a urn:uuid: undefined');
  });

  it('catches a reference to no entry in the bundle', () => {
    const message = bundle();
    resourceOf(message, 'ServiceRequest').subject = {
      reference: 'urn:uuid:00000000-0000-4000-8000-000000000000',
    };
    expect(fhirJsErrors(message)).toEqual([]);
    expect(fhirProblems(message)).toEqual([
      'reference points at no entry: urn:uuid:00000000-0000-4000-8000-000000000000',
    ]);
  });

  it('catches a Consent with neither policy nor policyRule (ppc-1)', () => {
    const message = bundle();
    delete resourceOf(message, 'Consent').policyRule;
    expect(fhirJsErrors(message)).toEqual([]);
    expect(fhirProblems(message)).toEqual([
      'Bundle.entry[9] Consent: neither policy nor policyRule (invariant ppc-1)',
    ]);
  });

  it('catches a timestamp that is not an instant', () => {
    const message = bundle();
    message.timestamp = 'noon';
    expect(fhirJsErrors(message)).toEqual([]);
    expect(fhirProblems(message)).toEqual(['Bundle.timestamp: not an instant: "noon"']);
  });

  it('reports, instead of throwing, a reference that is not a string', () => {
    const message = bundle();
    resourceOf(message, 'ServiceRequest').subject = { reference: 42 };
    expect(() => new Fhir().validate(message, { errorOnUnexpected: true })).toThrow(TypeError);
    expect(fhirProblems(message)).toEqual([
      'FHIR.js could not validate it: obj.reference.split is not a function',
      'reference is not a string: 42',
    ]);
  });
});
