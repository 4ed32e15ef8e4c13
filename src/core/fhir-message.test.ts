import fc from 'fast-check';
import { Fhir } from 'fhir';
import { describe, expect, it } from 'vitest';
import { fullReferral, minimalReferral, referralsByReason } from '../../tests/fixtures/referrals';
import { assertValidFhir, fhirProblems } from '../../tests/support/fhir-validation';
import {
  CONSENT_POLICY_TEXT,
  type FhirBundle,
  type FhirConsent,
  type FhirOrganization,
  type FhirPatient,
  type FhirPractitioner,
  type FhirPractitionerRole,
  type FhirResource,
  type FhirServiceRequest,
  nameBasedUuid,
  professionalIdentifier,
  referralToFhirMessage,
  sha1,
} from './fhir-message';
import { nhsNumberCheckDigit } from './nhs-number';
import { REASON_IDS, reasonLabel } from './reasons';
import { parseReferral, type Referral } from './referral';

const now = new Date('2025-03-12T10:20:00Z');
const software = { name: 'Linkwell', version: '0.1.0' };
const fhir = new Fhir();

// Every bundle a test here builds is checked by the R4 validator (and the checks for its blind spots)
// before the test looks at it: tests/support/fhir-validation.ts.
function message(referral: Referral, extra: { destinationEndpoint?: string; sourceEndpoint?: string } = {}) {
  return assertValidFhir(referralToFhirMessage(referral, { now, software, ...extra }));
}

/** Like `message`, for a bundle built with other options (another time of sending). */
function messageAt(referral: Referral, at: Date) {
  return assertValidFhir(referralToFhirMessage(referral, { now: at, software }));
}

// The one warning FHIR.js gives for every referral, left out by fhirProblems: see tests/support/fhir-validation.ts.
const EXPECTED_CODE_WARNING =
  'ServiceRequest.code: Code "871731000000106" (http://snomed.info/sct) not found in value set';

function only<T extends FhirResource['resourceType']>(bundle: FhirBundle, type: T) {
  const found = bundle.entry.filter((entry) => entry.resource.resourceType === type);
  expect(found).toHaveLength(1);
  return found[0]?.resource as Extract<FhirResource, { resourceType: T }>;
}

function resolve(bundle: FhirBundle, reference: string): FhirResource | undefined {
  return bundle.entry.find((entry) => entry.fullUrl === reference)?.resource;
}

// Every `reference` anywhere in the bundle, found by walking it as JSON.
function allReferences(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allReferences);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'reference' && typeof inner === 'string' ? [inner] : allReferences(inner),
  );
}

const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('referralToFhirMessage: validity', () => {
  it('gives a bundle the R4 validator accepts for the minimal referral', () => {
    const bundle = message(minimalReferral);
    expect(fhir.validate(bundle, { errorOnUnexpected: true }).valid).toBe(true);
    expect(fhirProblems(bundle)).toEqual([]);
  });

  it('gives a bundle the R4 validator accepts for the full referral', () => {
    const bundle = message(fullReferral, {
      destinationEndpoint: 'https://sp.example.org/fhir/$process-message',
    });
    expect(fhir.validate(bundle, { errorOnUnexpected: true }).valid).toBe(true);
    expect(fhirProblems(bundle)).toEqual([]);
  });

  it('reports the SNOMED code only as a warning, which the validator counts as valid', () => {
    const warnings = fhir
      .validate(message(minimalReferral), { errorOnUnexpected: true })
      .messages.filter((problem) => problem.severity === 'warning');
    expect(warnings.map((problem) => `${problem.location}: ${problem.message}`)).toEqual([
      EXPECTED_CODE_WARNING,
    ]);
  });

  it('gives valid bundles for every reason', () => {
    expect(referralsByReason.map((referral) => fhirProblems(message(referral)))).toEqual(
      referralsByReason.map(() => []),
    );
  });

  it('survives a JSON round trip unchanged', () => {
    const bundle = message(fullReferral);
    expect(JSON.parse(JSON.stringify(bundle))).toEqual(bundle);
  });
});

describe('referralToFhirMessage: bundle', () => {
  it('is a message bundle', () => {
    expect(message(minimalReferral).type).toBe('message');
  });

  it('is identified by the referral id', () => {
    expect(message(minimalReferral).identifier).toEqual({
      system: 'urn:ietf:rfc:3986',
      value: 'urn:uuid:5b3e9c1a-7f2d-4c6e-9a1b-2d3f4e5a6b7c',
    });
  });

  it('is stamped with the time of sending', () => {
    expect(message(minimalReferral).timestamp).toBe('2025-03-12T10:20:00.000Z');
  });

  it('keeps its identifier across attempts at different times', () => {
    const first = messageAt(fullReferral, new Date('2025-03-12T10:20:00Z'));
    const retry = messageAt(fullReferral, new Date('2025-03-13T08:00:00Z'));
    expect(retry.identifier).toEqual(first.identifier);
  });

  it('sends the same entries on every attempt, apart from the timestamp', () => {
    const first = messageAt(fullReferral, new Date('2025-03-12T10:20:00Z'));
    const retry = messageAt(fullReferral, new Date('2025-03-13T08:00:00Z'));
    expect(JSON.stringify(retry.entry)).toBe(JSON.stringify(first.entry));
    expect(retry.timestamp).not.toBe(first.timestamp);
  });

  it('gives different referrals different entry ids', () => {
    const first = message(minimalReferral).entry.map((entry) => entry.fullUrl);
    const second = message(fullReferral).entry.map((entry) => entry.fullUrl);
    expect(first.filter((fullUrl) => second.includes(fullUrl))).toEqual([]);
  });

  it("derives each entry's uuid from the referral id and the entry's role", () => {
    const bundle = message(minimalReferral);
    expect(bundle.entry[0]?.fullUrl).toBe(`urn:uuid:${nameBasedUuid(minimalReferral.id, 'messageHeader')}`);
    expect(bundle.entry[2]?.fullUrl).toBe(`urn:uuid:${nameBasedUuid(minimalReferral.id, 'patient')}`);
  });

  it('gives every entry a urn:uuid fullUrl', () => {
    for (const entry of message(fullReferral).entry) expect(entry.fullUrl).toMatch(UUID_URN);
  });

  it('gives every entry a different fullUrl', () => {
    const fullUrls = message(fullReferral).entry.map((entry) => entry.fullUrl);
    expect(new Set(fullUrls).size).toBe(fullUrls.length);
  });

  it('gives each resource the id in its fullUrl', () => {
    for (const entry of message(fullReferral).entry)
      expect(entry.fullUrl).toBe(`urn:uuid:${entry.resource.id}`);
  });

  it('resolves every reference to an entry', () => {
    const bundle = message(fullReferral, { destinationEndpoint: 'https://sp.example.org/fhir' });
    const references = allReferences(bundle);
    expect(references.length).toBeGreaterThan(10);
    expect(references.filter((reference) => resolve(bundle, reference) === undefined)).toEqual([]);
  });

  it('holds these resources, in this order, for the full referral', () => {
    expect(message(fullReferral).entry.map((entry) => entry.resource.resourceType)).toEqual([
      'MessageHeader',
      'ServiceRequest',
      'Patient',
      'Organization',
      'Practitioner',
      'PractitionerRole',
      'Practitioner',
      'Organization',
      'PractitionerRole',
      'Consent',
    ]);
  });

  it('leaves out the link worker organisation when there is none', () => {
    const types = message(minimalReferral).entry.map((entry) => entry.resource.resourceType);
    expect(types.filter((type) => type === 'Organization')).toHaveLength(1);
  });
});

describe('referralToFhirMessage: MessageHeader', () => {
  it('comes first', () => {
    expect(message(minimalReferral).entry[0]?.resource.resourceType).toBe('MessageHeader');
  });

  it('carries the BaRS referral request event', () => {
    expect(only(message(minimalReferral), 'MessageHeader').eventCoding).toEqual({
      system: 'https://fhir.nhs.uk/CodeSystem/message-events-bars',
      code: 'servicerequest-request',
    });
  });

  it('focuses on the ServiceRequest', () => {
    const bundle = message(minimalReferral);
    const header = only(bundle, 'MessageHeader');
    expect(header.focus).toHaveLength(1);
    expect(resolve(bundle, header.focus[0]?.reference ?? '')?.resourceType).toBe('ServiceRequest');
  });

  it('names this software and its version as the source', () => {
    const header = only(
      message(minimalReferral, { sourceEndpoint: 'https://gp.example.nhs.uk/' }),
      'MessageHeader',
    );
    expect(header.source).toEqual({
      name: 'Linkwell',
      software: 'Linkwell',
      version: '0.1.0',
      endpoint: 'https://gp.example.nhs.uk/',
    });
  });

  it('gives a stable urn:uuid source endpoint when none is given, as R4 requires one', () => {
    const header = only(message(minimalReferral), 'MessageHeader');
    expect(header.source.endpoint).toMatch(UUID_URN);
    expect(only(message(fullReferral), 'MessageHeader').source.endpoint).toBe(header.source.endpoint);
  });

  it('names the link worker as destination when an endpoint is given', () => {
    const bundle = message(fullReferral, {
      destinationEndpoint: 'https://sp.example.org/fhir/$process-message',
    });
    const destination = only(bundle, 'MessageHeader').destination?.[0];
    expect(destination?.endpoint).toBe('https://sp.example.org/fhir/$process-message');
    expect(destination?.name).toBe('Severnside PCN');
    expect(resolve(bundle, destination?.receiver?.reference ?? '')?.resourceType).toBe('PractitionerRole');
  });

  it('has no destination without an endpoint', () => {
    expect(only(message(minimalReferral), 'MessageHeader').destination).toBeUndefined();
  });

  it('is sent by the practice', () => {
    const bundle = message(fullReferral);
    const sender = resolve(bundle, only(bundle, 'MessageHeader').sender.reference) as FhirOrganization;
    expect(sender.name).toBe('Severnside Surgery');
  });
});

describe('referralToFhirMessage: ServiceRequest', () => {
  const bundle = message(fullReferral);
  const serviceRequest: FhirServiceRequest = only(bundle, 'ServiceRequest');

  it('is an active order', () => {
    expect([serviceRequest.status, serviceRequest.intent]).toEqual(['active', 'order']);
  });

  it('is coded as referral to social prescribing service', () => {
    expect(serviceRequest.code.coding).toEqual([
      {
        system: 'http://snomed.info/sct',
        code: '871731000000106',
        display: 'Referral to social prescribing service',
      },
    ]);
  });

  it('is about the Patient', () => {
    expect(resolve(bundle, serviceRequest.subject.reference)?.resourceType).toBe('Patient');
  });

  it('is requested by the referrer as a PractitionerRole at the practice', () => {
    const requester = resolve(bundle, serviceRequest.requester.reference) as FhirPractitionerRole;
    expect(requester.resourceType).toBe('PractitionerRole');
    expect((resolve(bundle, requester.practitioner.reference) as FhirPractitioner).name).toEqual([
      { text: 'Dr Amir Khan' },
    ]);
    expect((resolve(bundle, requester.organization?.reference ?? '') as FhirOrganization).name).toBe(
      'Severnside Surgery',
    );
    expect(requester.code).toEqual([{ text: 'General practitioner' }]);
  });

  it('is performed by the link worker as a PractitionerRole with their organisation', () => {
    expect(serviceRequest.performer).toHaveLength(1);
    const performer = resolve(bundle, serviceRequest.performer[0]?.reference ?? '') as FhirPractitionerRole;
    expect(performer.resourceType).toBe('PractitionerRole');
    expect((resolve(bundle, performer.practitioner.reference) as FhirPractitioner).name).toEqual([
      { text: 'Severnside PCN link worker' },
    ]);
    expect((resolve(bundle, performer.organization?.reference ?? '') as FhirOrganization).name).toBe(
      'Severnside PCN',
    );
    expect(performer.telecom).toEqual([
      { system: 'phone', value: '01453 000000' },
      { system: 'email', value: 'severnside.linkworker@nhs.net' },
    ]);
  });

  it('was authored when the referral was made', () => {
    expect(serviceRequest.authoredOn).toBe('2025-03-12T10:15:00+00:00');
  });

  it('carries the priority', () => {
    expect([serviceRequest.priority, only(message(minimalReferral), 'ServiceRequest').priority]).toEqual([
      'urgent',
      'routine',
    ]);
  });

  it('has one reasonCode per reason, its text the label', () => {
    expect(serviceRequest.reasonCode).toEqual([
      { text: 'Loneliness or isolation' },
      { text: 'Bereavement' },
      { text: 'Other' },
    ]);
  });

  it('gives each reason its label', () => {
    expect(referralsByReason.map((referral) => only(message(referral), 'ServiceRequest').reasonCode)).toEqual(
      REASON_IDS.map((id) => [{ text: reasonLabel(id) }]),
    );
  });

  it('is identified by the referral id', () => {
    expect(serviceRequest.identifier).toEqual([
      { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:c0a8012e-3b4d-4f5a-8c9d-0e1f2a3b4c5d' },
    ]);
  });

  it('points to the consent as supporting information', () => {
    expect(resolve(bundle, serviceRequest.supportingInfo[0]?.reference ?? '')?.resourceType).toBe('Consent');
  });

  it('carries labelled notes for everything else', () => {
    expect(serviceRequest.note).toEqual([
      { text: 'Other reason: Wants to get back to singing after her husband died' },
      { text: 'What matters to the person: Seeing people most days; her garden; getting back to choir' },
      { text: 'Communication needs: Interpreter needed (Igbo). Accessibility: Large print letters' },
      { text: 'Risks: Lives alone; has had falls this winter' },
      { text: 'Contact preference: Phone call. Best times: Weekday mornings' },
      {
        text: 'Suggested offer: Tuesday Singing for the Brain. Stroud Museum in the Park. https://museum.example.org/singing. Contact: 01453 000222',
      },
      { text: 'Suggested offer: Bereavement walk and talk. For All Healthy Living Centre' },
    ]);
  });

  it('has no notes when there is nothing more to say', () => {
    expect(only(message(minimalReferral), 'ServiceRequest').note).toBeUndefined();
  });
});

describe('referralToFhirMessage: Patient', () => {
  const full: FhirPatient = only(message(fullReferral), 'Patient');
  const minimal: FhirPatient = only(message(minimalReferral), 'Patient');

  it('is identified by NHS number', () => {
    expect(minimal.identifier).toEqual([
      { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9995260182' },
    ]);
  });

  it('carries the name in parts and as text', () => {
    expect(minimal.name).toEqual([
      { use: 'official', text: 'SMITH, Jane (Mrs)', family: 'SMITH', given: ['Jane'], prefix: ['Mrs'] },
    ]);
  });

  it('carries the birth date', () => {
    expect(minimal.birthDate).toBe('1961-03-12');
  });

  it('has no contact details or address when none are known', () => {
    expect([minimal.telecom, minimal.address, minimal.communication]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('ranks the preferred contact method first', () => {
    expect(full.telecom).toEqual([
      { system: 'phone', value: '01453 000111', rank: 1 },
      { system: 'email', value: 'grace.okafor@example.org' },
    ]);
  });

  it('carries the address', () => {
    expect(full.address).toEqual([{ use: 'home', line: ['12 Mill Lane', 'Stroud'], postalCode: 'GL5 1AA' }]);
  });

  it('carries the language, preferred when an interpreter is needed', () => {
    expect(full.communication).toEqual([{ language: { text: 'Igbo' }, preferred: true }]);
  });

  it('flags that an interpreter is required', () => {
    expect(full.extension).toEqual([
      { url: 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired', valueBoolean: true },
    ]);
  });
});

describe('referralToFhirMessage: practice and referrer', () => {
  it('identifies the practice by ODS code', () => {
    const practice = message(fullReferral).entry[3]?.resource as FhirOrganization;
    expect(practice).toMatchObject({
      name: 'Severnside Surgery',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'L84001' }],
    });
  });

  it('names the practice without an identifier when the ODS code is unknown', () => {
    const practice = message(minimalReferral).entry[3]?.resource as FhirOrganization;
    expect(practice.identifier).toBeUndefined();
  });

  it('identifies the referrer by GMC number', () => {
    const referrer = message(fullReferral).entry[4]?.resource as FhirPractitioner;
    expect(referrer.identifier).toEqual([
      { system: 'https://fhir.hl7.org.uk/Id/gmc-number', value: '7012345' },
    ]);
  });
});

describe('professionalIdentifier', () => {
  it('reads a GMC number written with its label', () => {
    expect(professionalIdentifier('GMC 7012345')).toEqual({
      system: 'https://fhir.hl7.org.uk/Id/gmc-number',
      value: '7012345',
    });
  });

  it('reads a GP code', () => {
    expect(professionalIdentifier('g1234567')).toEqual({
      system: 'https://fhir.hl7.org.uk/Id/gmp-number',
      value: 'G1234567',
    });
  });

  it('keeps another number as a labelled value', () => {
    expect(professionalIdentifier('71A2998E')).toEqual({
      type: { text: 'Professional registration number' },
      value: '71A2998E',
    });
  });
});

describe('referralToFhirMessage: Consent', () => {
  const bundle = message(fullReferral);
  const consent: FhirConsent = only(bundle, 'Consent');

  it('is active', () => {
    expect(consent.status).toBe('active');
  });

  it('is dated when consent was given', () => {
    expect(consent.dateTime).toBe('2025-03-12T10:10:00Z');
  });

  it('has a policy rule, as invariant ppc-1 requires', () => {
    expect(consent.policyRule).toEqual({ text: CONSENT_POLICY_TEXT });
  });

  it('has privacy scope and a patient, as invariant ppc-2 requires', () => {
    expect(consent.scope.coding?.[0]).toMatchObject({
      system: 'http://terminology.hl7.org/CodeSystem/consentscope',
      code: 'patient-privacy',
    });
    expect(resolve(bundle, consent.patient.reference)?.resourceType).toBe('Patient');
  });

  it('is a patient consent in the LOINC category', () => {
    expect(consent.category).toEqual([
      { coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] },
    ]);
  });

  it('was given by the patient and is held by the practice', () => {
    expect(resolve(bundle, consent.performer[0]?.reference ?? '')?.resourceType).toBe('Patient');
    expect((resolve(bundle, consent.organization[0]?.reference ?? '') as FhirOrganization).name).toBe(
      'Severnside Surgery',
    );
  });

  it('permits sharing with the link worker', () => {
    expect(consent.provision.type).toBe('permit');
    expect(consent.provision.actor[0]?.reference).toEqual(only(bundle, 'ServiceRequest').performer[0]);
  });
});

describe('nameBasedUuid and sha1', () => {
  const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

  it('hashes abc as FIPS 180 says', () => {
    expect(hex(sha1(new TextEncoder().encode('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });

  it('hashes the empty message', () => {
    expect(hex(sha1(new Uint8Array()))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });

  it('hashes a message longer than one block', () => {
    const message = 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq';
    expect(hex(sha1(new TextEncoder().encode(message)))).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
  });

  it('makes the well-known version 5 UUID for www.example.com', () => {
    expect(nameBasedUuid('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => nameBasedUuid('not-a-uuid', 'x')).toThrow(RangeError);
  });
});

// Valid referrals of every shape: each optional part present or absent, text in any script.
const nhsNumberArbitrary = fc
  .stringMatching(/^\d{9}$/)
  .map((firstNine) => {
    const checkDigit = nhsNumberCheckDigit(firstNine);
    return checkDigit === null ? undefined : `${firstNine}${checkDigit}`;
  })
  .filter((nhsNumber): nhsNumber is string => nhsNumber !== undefined);
const word = fc.stringMatching(/^[A-Z][a-z]{1,12}$/);
// Text in any script, within the schema's limits (a grapheme can be several UTF-16 units), and not blank.
const someText = (maxLength: number) =>
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength })
    // biome-ignore lint/suspicious/noControlCharactersInRegex: blank once control characters are removed
    .filter((text) => text.length <= maxLength && text.replace(/[\u0000-\u001f\u007f]/g, '').trim() !== '');
const isoDateTime = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

const referralInputArbitrary = fc
  .record(
    {
      id: fc.uuid({ version: 4 }),
      createdAt: isoDateTime,
      patient: fc.record(
        {
          nhsNumber: nhsNumberArbitrary,
          name: fc.record(
            {
              family: word,
              given: fc.array(word, { maxLength: 3 }),
              prefix: fc.constantFrom('Mr', 'Mrs', 'Dr'),
            },
            { requiredKeys: ['family', 'given'] },
          ),
          birthDate: fc
            .date({
              min: new Date('1900-01-01T00:00:00Z'),
              max: new Date('2024-12-31T00:00:00Z'),
              noInvalidDate: true,
            })
            .map((date) => date.toISOString().slice(0, 10)),
          phone: fc.constantFrom('01453 000111', '+44 7700 900123'),
          email: fc.constant('someone@example.org'),
          address: fc.record({
            lines: fc.array(someText(40), { minLength: 1, maxLength: 3 }),
            postcode: fc.constantFrom('GL5 1AA', 'SW1A 1AA'),
          }),
        },
        { requiredKeys: ['nhsNumber', 'name', 'birthDate'] },
      ),
      referrer: fc.record(
        {
          name: someText(60),
          role: someText(40),
          professionalId: fc.constantFrom('7012345', 'G1234567', '71A2998E'),
        },
        { requiredKeys: ['name'] },
      ),
      practice: fc.record(
        { name: someText(60), odsCode: fc.constantFrom('L84001', 'A81001') },
        { requiredKeys: ['name'] },
      ),
      linkWorker: fc.record(
        {
          id: word,
          name: someText(60),
          role: someText(40),
          organisation: someText(60),
          email: fc.constant('lw@example.org'),
          phone: fc.constant('01453 000000'),
        },
        { requiredKeys: ['id', 'name'] },
      ),
      reasons: fc.uniqueArray(fc.constantFrom(...REASON_IDS), { minLength: 1, maxLength: REASON_IDS.length }),
      otherReason: someText(200),
      whatMatters: someText(300),
      communication: fc.record(
        { interpreterNeeded: fc.boolean(), language: someText(20), accessibility: someText(100) },
        { requiredKeys: ['interpreterNeeded', 'language'] },
      ),
      risks: someText(300),
      contactPreference: fc.record(
        { method: fc.constantFrom('phone', 'email', 'letter', 'text'), bestTimes: someText(40) },
        { requiredKeys: ['method'] },
      ),
      priority: fc.constantFrom('routine', 'urgent'),
      consentTime: isoDateTime,
      suggestedOffers: fc.array(
        fc.record(
          {
            name: someText(60),
            organisation: someText(60),
            url: fc.constant('https://offers.example.org/a'),
            contact: someText(40),
          },
          { requiredKeys: ['name'] },
        ),
        { maxLength: 3 },
      ),
    },
    {
      requiredKeys: [
        'id',
        'createdAt',
        'patient',
        'referrer',
        'practice',
        'linkWorker',
        'reasons',
        'otherReason',
        'priority',
        'consentTime',
        'suggestedOffers',
      ],
    },
  )
  .map(({ consentTime, ...rest }) => ({ ...rest, consent: { given: true, dateTime: consentTime } }));

describe('referralToFhirMessage: any valid referral', () => {
  it('gives a bundle the validator accepts, whose references all resolve', () => {
    fc.assert(
      fc.property(referralInputArbitrary, (input) => {
        const parsed = parseReferral(input);
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
        const referral = parsed.referral;
        const bundle = message(referral, { destinationEndpoint: 'https://sp.example.org/fhir' });
        expect(fhir.validate(bundle, { errorOnUnexpected: true }).valid).toBe(true);
        expect(fhirProblems(bundle)).toEqual([]);
        expect(allReferences(bundle).filter((reference) => resolve(bundle, reference) === undefined)).toEqual(
          [],
        );
        expect(bundle.entry[0]?.resource.resourceType).toBe('MessageHeader');
        expect(only(bundle, 'ServiceRequest').reasonCode).toHaveLength(referral.reasons.length);
      }),
      { numRuns: 60 },
    );
  });
});
