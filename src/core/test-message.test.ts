import { describe, expect, it } from 'vitest';
import { fhirProblems } from '../../tests/support/fhir-validation';
import { connectionTestMessage } from './test-message';

const options = {
  id: '2c1f6a8e-2b7a-4c55-9f7e-0d6f1b9a4e11',
  headerId: '8d0b7a52-5a4e-4b0e-a1e3-3f3b1c2d9e77',
  now: new Date('2025-03-12T10:00:00Z'),
  software: { name: 'Linkwell', version: '0.1.0' },
  destinationEndpoint: 'https://sp.example.org/fhir/$process-message',
  sourceEndpoint: 'chrome-extension://lmfkmlimgkpalpbmipadgohcipbcnnmh/',
  practiceName: 'Severnside <Surgery>',
};

describe('connectionTestMessage', () => {
  const bundle = connectionTestMessage(options);

  it('is a FHIR R4 message a validator accepts', () => {
    expect(fhirProblems(bundle)).toEqual([]);
    expect(bundle.type).toBe('message');
    expect(bundle.identifier.value).toBe(`urn:uuid:${options.id}`);
  });

  it('is labelled as test data and has no event a receiver could take for a referral', () => {
    expect(bundle.meta.security).toEqual([expect.objectContaining({ code: 'HTEST' })]);
    const [entry] = bundle.entry;
    expect(entry?.resource.meta.security[0]?.code).toBe('HTEST');
    expect(entry?.resource.eventCoding.code).toBe('connection-test');
    expect(bundle.entry).toHaveLength(1);
  });

  it('says in words that it is a test, escaping the practice name', () => {
    const text = bundle.entry[0]?.resource.text.div ?? '';
    expect(text).toContain('TEST MESSAGE');
    expect(text).toContain('Severnside &#60;Surgery&#62;');
  });
});
