// The FHIR R4 message a link-worker system receives for a referral (CONTRACT.md section 4).
// Messaging: https://hl7.org/fhir/R4/messaging.html

import { reasonLabel } from './reasons';
import { CONTACT_METHOD_WORDS, communicationText, type Referral } from './referral';
import { REFERRAL_TO_SOCIAL_PRESCRIBING, SNOMED_SYSTEM } from './snomed';

// ---------------------------------------------------------------------------------------------------------
// R4 shapes: the parts of R4 this message uses, narrower than the published types (fixed codes, required
// fields). `AssignableTo` checks below prove each one is a valid `fhir4` type from @types/fhir.

export interface FhirReference {
  reference: string;
  display?: string;
}
export interface FhirCoding {
  system: string;
  code: string;
  display?: string;
}
export interface FhirCodeableConcept {
  coding?: FhirCoding[];
  text?: string;
}
export interface FhirIdentifier {
  system?: string;
  value: string;
  type?: FhirCodeableConcept;
}
export interface FhirHumanName {
  use?: 'official' | 'usual';
  text?: string;
  family?: string;
  given?: string[];
  prefix?: string[];
}
export interface FhirContactPoint {
  system: 'phone' | 'email';
  value: string;
  rank?: number;
}
export interface FhirAddress {
  use?: 'home';
  line?: string[];
  postalCode?: string;
}
export interface FhirAnnotation {
  text: string;
}
export interface FhirExtension {
  url: string;
  valueBoolean: boolean;
}
export interface FhirMessageHeader {
  resourceType: 'MessageHeader';
  id: string;
  eventCoding: FhirCoding;
  destination?: { name?: string; endpoint: string; receiver?: FhirReference }[];
  sender: FhirReference;
  author: FhirReference;
  source: { name: string; software: string; version: string; endpoint: string };
  focus: FhirReference[];
}
export interface FhirServiceRequest {
  resourceType: 'ServiceRequest';
  id: string;
  identifier: FhirIdentifier[];
  status: 'active';
  intent: 'order';
  priority: 'routine' | 'urgent';
  code: FhirCodeableConcept;
  subject: FhirReference;
  authoredOn: string;
  requester: FhirReference;
  performer: FhirReference[];
  reasonCode: FhirCodeableConcept[];
  supportingInfo: FhirReference[];
  note?: FhirAnnotation[];
}
export interface FhirPatient {
  resourceType: 'Patient';
  id: string;
  extension?: FhirExtension[];
  identifier: FhirIdentifier[];
  name: FhirHumanName[];
  telecom?: FhirContactPoint[];
  birthDate: string;
  address?: FhirAddress[];
  communication?: { language: FhirCodeableConcept; preferred?: boolean }[];
}
export interface FhirOrganization {
  resourceType: 'Organization';
  id: string;
  identifier?: FhirIdentifier[];
  name: string;
}
export interface FhirPractitioner {
  resourceType: 'Practitioner';
  id: string;
  identifier?: FhirIdentifier[];
  name: FhirHumanName[];
}
export interface FhirPractitionerRole {
  resourceType: 'PractitionerRole';
  id: string;
  practitioner: FhirReference;
  organization?: FhirReference;
  code?: FhirCodeableConcept[];
  telecom?: FhirContactPoint[];
}
export interface FhirConsent {
  resourceType: 'Consent';
  id: string;
  status: 'active';
  scope: FhirCodeableConcept;
  category: FhirCodeableConcept[];
  patient: FhirReference;
  dateTime: string;
  performer: FhirReference[];
  organization: FhirReference[];
  policyRule: FhirCodeableConcept;
  provision: {
    type: 'permit';
    period: { start: string };
    actor: { role: FhirCodeableConcept; reference: FhirReference }[];
    purpose: FhirCoding[];
  };
}
export type FhirResource =
  | FhirMessageHeader
  | FhirServiceRequest
  | FhirPatient
  | FhirOrganization
  | FhirPractitioner
  | FhirPractitionerRole
  | FhirConsent;
export interface FhirBundleEntry {
  fullUrl: string;
  resource: FhirResource;
}
export interface FhirBundle {
  resourceType: 'Bundle';
  identifier: { system: 'urn:ietf:rfc:3986'; value: string };
  type: 'message';
  timestamp: string;
  entry: FhirBundleEntry[];
}

// Compile-time proof that every shape above is the R4 resource @types/fhir describes.
type AssignableTo<Narrow extends Wide, Wide> = Narrow;
export type R4Conformance = [
  AssignableTo<FhirBundle, fhir4.Bundle>,
  AssignableTo<FhirMessageHeader, fhir4.MessageHeader>,
  AssignableTo<FhirServiceRequest, fhir4.ServiceRequest>,
  AssignableTo<FhirPatient, fhir4.Patient>,
  AssignableTo<FhirOrganization, fhir4.Organization>,
  AssignableTo<FhirPractitioner, fhir4.Practitioner>,
  AssignableTo<FhirPractitionerRole, fhir4.PractitionerRole>,
  AssignableTo<FhirConsent, fhir4.Consent>,
];

// ---------------------------------------------------------------------------------------------------------
// Systems and codes.

/** The NHS message event for a referral request (Booking and Referral Standard). */
export const MESSAGE_EVENT = {
  system: 'https://fhir.nhs.uk/CodeSystem/message-events-bars',
  code: 'servicerequest-request',
} as const;
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const ODS_CODE_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
// UK Core identifier systems for professional registration numbers.
const GMC_NUMBER_SYSTEM = 'https://fhir.hl7.org.uk/Id/gmc-number';
const GMP_NUMBER_SYSTEM = 'https://fhir.hl7.org.uk/Id/gmp-number';
// https://hl7.org/fhir/R4/extension-patient-interpreterrequired.html
const INTERPRETER_REQUIRED = 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired';

export interface FhirMessageOptions {
  /** The moment of sending: only `Bundle.timestamp` depends on it. */
  now: Date;
  software: { name: string; version: string };
  /** The link worker's endpoint, when the message goes to one (adds `MessageHeader.destination`). */
  destinationEndpoint?: string;
  /** This sender's endpoint; R4 requires one, so a stable `urn:uuid:` is made from the software name. */
  sourceEndpoint?: string;
}

/**
 * Builds the FHIR R4 message Bundle for a referral, as CONTRACT.md section 4 defines it. Everything but
 * the timestamp comes from the referral, so each retry sends the same resources with the same ids.
 *
 * @example
 * const bundle = referralToFhirMessage(referral, { now: new Date(), software: { name: 'Linkwell', version: '0.1.0' } });
 * bundle.entry[0].resource.resourceType // 'MessageHeader'
 */
export function referralToFhirMessage(referral: Referral, options: FhirMessageOptions): FhirBundle {
  const entryId = (role: EntryRole): string => nameBasedUuid(referral.id, role);
  const ref = (role: EntryRole): FhirReference => ({ reference: `urn:uuid:${entryId(role)}` });
  const hasLinkWorkerOrganisation = referral.linkWorker.organisation !== undefined;

  const header: FhirMessageHeader = {
    resourceType: 'MessageHeader',
    id: entryId('messageHeader'),
    eventCoding: { ...MESSAGE_EVENT },
    ...(options.destinationEndpoint === undefined
      ? {}
      : {
          destination: [
            {
              name: referral.linkWorker.organisation ?? referral.linkWorker.name,
              endpoint: options.destinationEndpoint,
              receiver: ref('linkWorkerRole'),
            },
          ],
        }),
    sender: ref('practice'),
    author: ref('referrerRole'),
    source: {
      name: options.software.name,
      software: options.software.name,
      version: options.software.version,
      endpoint: options.sourceEndpoint ?? `urn:uuid:${nameBasedUuid(URL_NAMESPACE, options.software.name)}`,
    },
    focus: [ref('serviceRequest')],
  };

  const notes = referralNotes(referral);
  const serviceRequest: FhirServiceRequest = {
    resourceType: 'ServiceRequest',
    id: entryId('serviceRequest'),
    identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${referral.id}` }],
    status: 'active',
    intent: 'order',
    priority: referral.priority,
    code: {
      coding: [{ system: SNOMED_SYSTEM, ...REFERRAL_TO_SOCIAL_PRESCRIBING }],
      text: REFERRAL_TO_SOCIAL_PRESCRIBING.display,
    },
    subject: ref('patient'),
    authoredOn: referral.createdAt,
    requester: ref('referrerRole'),
    performer: [ref('linkWorkerRole')],
    // Text is the label the GP ticked (the contract); the words for `Other` travel in a note.
    reasonCode: referral.reasons.map((reason) => ({ text: reasonLabel(reason) })),
    supportingInfo: [ref('consent')],
    ...(notes.length === 0 ? {} : { note: notes.map((text) => ({ text })) }),
  };

  const entries: [EntryRole, FhirResource][] = [
    ['messageHeader', header],
    ['serviceRequest', serviceRequest],
    ['patient', patientResource(referral, entryId('patient'))],
    ['practice', practiceResource(referral, entryId('practice'))],
    ['referrer', referrerResource(referral, entryId('referrer'))],
    [
      'referrerRole',
      {
        resourceType: 'PractitionerRole',
        id: entryId('referrerRole'),
        practitioner: ref('referrer'),
        organization: ref('practice'),
        ...(referral.referrer.role === undefined ? {} : { code: [{ text: referral.referrer.role }] }),
      },
    ],
    [
      'linkWorker',
      { resourceType: 'Practitioner', id: entryId('linkWorker'), name: [{ text: referral.linkWorker.name }] },
    ],
  ];
  if (referral.linkWorker.organisation !== undefined) {
    entries.push([
      'linkWorkerOrganisation',
      {
        resourceType: 'Organization',
        id: entryId('linkWorkerOrganisation'),
        name: referral.linkWorker.organisation,
      },
    ]);
  }
  const linkWorkerTelecom = contactPoints(referral.linkWorker.phone, referral.linkWorker.email);
  entries.push(
    [
      'linkWorkerRole',
      {
        resourceType: 'PractitionerRole',
        id: entryId('linkWorkerRole'),
        practitioner: ref('linkWorker'),
        ...(hasLinkWorkerOrganisation ? { organization: ref('linkWorkerOrganisation') } : {}),
        ...(referral.linkWorker.role === undefined ? {} : { code: [{ text: referral.linkWorker.role }] }),
        ...(linkWorkerTelecom.length === 0 ? {} : { telecom: linkWorkerTelecom }),
      },
    ],
    ['consent', consentResource(referral, entryId('consent'), ref)],
  );

  return {
    resourceType: 'Bundle',
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${referral.id}` },
    type: 'message',
    timestamp: options.now.toISOString(),
    entry: entries.map(([role, resource]) => ({ fullUrl: `urn:uuid:${entryId(role)}`, resource })),
  };
}

// Clearly labelled notes for what has no coded home in a ServiceRequest.
function referralNotes(referral: Referral): string[] {
  const notes: string[] = [];
  if (referral.otherReason !== undefined) notes.push(`Other reason: ${referral.otherReason}`);
  if (referral.whatMatters !== undefined) notes.push(`What matters to the person: ${referral.whatMatters}`);
  if (referral.communication !== undefined) notes.push(`Communication needs: ${communicationText(referral)}`);
  if (referral.risks !== undefined) notes.push(`Risks: ${referral.risks}`);
  if (referral.contactPreference !== undefined) {
    const { method, bestTimes } = referral.contactPreference;
    notes.push(
      `Contact preference: ${CONTACT_METHOD_WORDS[method]}${bestTimes ? `. Best times: ${bestTimes}` : ''}`,
    );
  }
  for (const offer of referral.suggestedOffers) {
    const details = [offer.organisation, offer.url, offer.contact && `Contact: ${offer.contact}`].filter(
      Boolean,
    );
    notes.push(`Suggested offer: ${[offer.name, ...details].join('. ')}`);
  }
  return notes;
}

function patientResource(referral: Referral, id: string): FhirPatient {
  const { patient, communication, contactPreference } = referral;
  const telecom = contactPoints(patient.phone, patient.email, contactPreference?.method);
  return {
    resourceType: 'Patient',
    id,
    ...(communication?.interpreterNeeded
      ? { extension: [{ url: INTERPRETER_REQUIRED, valueBoolean: true }] }
      : {}),
    identifier: [{ system: NHS_NUMBER_SYSTEM, value: patient.nhsNumber }],
    name: [
      {
        use: 'official',
        text: patient.name.text,
        family: patient.name.family,
        ...(patient.name.given.length === 0 ? {} : { given: patient.name.given }),
        ...(patient.name.prefix === undefined ? {} : { prefix: [patient.name.prefix] }),
      },
    ],
    ...(telecom.length === 0 ? {} : { telecom }),
    birthDate: patient.birthDate,
    ...(patient.address === undefined
      ? {}
      : {
          address: [
            {
              use: 'home',
              ...(patient.address.lines.length === 0 ? {} : { line: patient.address.lines }),
              ...(patient.address.postcode === undefined ? {} : { postalCode: patient.address.postcode }),
            },
          ],
        }),
    ...(communication?.language === undefined
      ? {}
      : {
          communication: [
            {
              language: { text: communication.language },
              ...(communication.interpreterNeeded ? { preferred: true } : {}),
            },
          ],
        }),
  };
}

// The preferred way to get in touch ranks first (ContactPoint.rank 1 is the most preferred).
function contactPoints(
  phone: string | undefined,
  email: string | undefined,
  preferred?: 'phone' | 'email' | 'letter' | 'text',
): FhirContactPoint[] {
  const points: FhirContactPoint[] = [];
  if (phone !== undefined) {
    points.push({
      system: 'phone',
      value: phone,
      ...(preferred === 'phone' || preferred === 'text' ? { rank: 1 } : {}),
    });
  }
  if (email !== undefined) {
    points.push({ system: 'email', value: email, ...(preferred === 'email' ? { rank: 1 } : {}) });
  }
  return points;
}

function practiceResource(referral: Referral, id: string): FhirOrganization {
  const { name, odsCode } = referral.practice;
  return {
    resourceType: 'Organization',
    id,
    ...(odsCode === undefined ? {} : { identifier: [{ system: ODS_CODE_SYSTEM, value: odsCode }] }),
    name,
  };
}

function referrerResource(referral: Referral, id: string): FhirPractitioner {
  const { name, professionalId } = referral.referrer;
  const identifier = professionalId === undefined ? undefined : professionalIdentifier(professionalId);
  return {
    resourceType: 'Practitioner',
    id,
    ...(identifier === undefined ? {} : { identifier: [identifier] }),
    name: [{ text: name }],
  };
}

/**
 * A professional registration number as an identifier: GMC (7 digits) and GP codes (G + 7 digits) get
 * their UK Core systems; anything else is kept as a labelled value.
 * @example professionalIdentifier('GMC 7012345') // { system: 'https://fhir.hl7.org.uk/Id/gmc-number', value: '7012345' }
 */
export function professionalIdentifier(professionalId: string): FhirIdentifier {
  const gmc = /^(?:GMC\s*)?(\d{7})$/i.exec(professionalId);
  if (gmc?.[1]) return { system: GMC_NUMBER_SYSTEM, value: gmc[1] };
  const gmp = /^(G\d{7})$/i.exec(professionalId);
  if (gmp?.[1]) return { system: GMP_NUMBER_SYSTEM, value: gmp[1].toUpperCase() };
  return { type: { text: 'Professional registration number' }, value: professionalId };
}

/** The words of the consent's policy rule. */
export const CONSENT_POLICY_TEXT =
  'The patient agreed, when asked by the referring clinician, to be referred to social prescribing and for ' +
  'these details to be shared with the link worker.';

// R4 Consent: https://hl7.org/fhir/R4/consent.html. Invariants met here: ppc-1 (policyRule given),
// ppc-2 (scope patient-privacy, so `patient` is present). The consent is to share the patient's details
// with the link worker for the referral, which is what the privacy scope records.
function consentResource(
  referral: Referral,
  id: string,
  ref: (role: EntryRole) => FhirReference,
): FhirConsent {
  return {
    resourceType: 'Consent',
    id,
    status: 'active',
    scope: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/consentscope',
          code: 'patient-privacy',
          display: 'Privacy Consent',
        },
      ],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] }],
    patient: ref('patient'),
    dateTime: referral.consent.dateTime,
    performer: [ref('patient')],
    organization: [ref('practice')],
    // An opt-in given to the referring clinician. No code in R4's (extensible) consent-policy value set fits
    // an NHS referral, so the rule is stated in words, as an extensible binding allows.
    policyRule: { text: CONSENT_POLICY_TEXT },
    provision: {
      type: 'permit',
      period: { start: referral.consent.dateTime },
      actor: [
        {
          role: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
                code: 'IRCP',
                display: 'information recipient',
              },
            ],
          },
          reference: ref('linkWorkerRole'),
        },
      ],
      purpose: [
        { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT', display: 'treatment' },
      ],
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Deterministic entry ids.
//
// Each entry's uuid is a name-based (version 5) UUID: SHA-1 of the referral id as namespace and the entry's
// role as name (RFC 9562 section 5.5). The same referral always gives the same ids, so a retry is the same
// message (a receiver can de-duplicate on MessageHeader.id), and the ids are valid RFC 4122/9562 uuids that
// reveal nothing about the patient. SHA-1 is written out below because the core must stay pure and
// synchronous (Web Crypto's digest is async, Node's crypto is not in browsers); it names, it does not protect.

// The entries' roles: each is the name its uuid is made from, so renaming one changes the message ids.
type EntryRole =
  | 'messageHeader'
  | 'serviceRequest'
  | 'patient'
  | 'practice'
  | 'referrer'
  | 'referrerRole'
  | 'linkWorker'
  | 'linkWorkerOrganisation'
  | 'linkWorkerRole'
  | 'consent';

/** The RFC 9562 namespace for names that are URLs. */
export const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/**
 * A version 5 (SHA-1, name-based) UUID: the same namespace and name always give the same UUID.
 * @example nameBasedUuid('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com') // '2ed6657d-e927-568b-95e1-2665a8aea6a2'
 */
export function nameBasedUuid(namespace: string, name: string): string {
  const namespaceHex = namespace.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(namespaceHex)) throw new RangeError('The namespace must be a UUID');
  const namespaceBytes = Uint8Array.from({ length: 16 }, (_, index) =>
    Number.parseInt(namespaceHex.slice(index * 2, index * 2 + 2), 16),
  );
  const nameBytes = new TextEncoder().encode(name);
  const input = new Uint8Array(namespaceBytes.length + nameBytes.length);
  input.set(namespaceBytes);
  input.set(nameBytes, namespaceBytes.length);
  const hash = sha1(input).slice(0, 16);
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50; // version 5
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80; // RFC variant
  const hex = Array.from(hash, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * SHA-1 (FIPS 180-4) of some bytes, for name-based UUIDs only.
 * @example hex(sha1(new TextEncoder().encode('abc'))) // 'a9993e364706816aba3e25717850c26c9cd0d89d'
 */
export function sha1(message: Uint8Array): Uint8Array {
  // Padding: a 1 bit, zeros, then the message length in bits as a 64-bit big-endian number.
  const paddedLength = Math.ceil((message.length + 9) / 64) * 64;
  const padded = new Uint8Array(paddedLength);
  padded.set(message);
  padded[message.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bitLength = message.length * 8;
  view.setUint32(paddedLength - 8, Math.floor(bitLength / 0x100000000));
  view.setUint32(paddedLength - 4, bitLength >>> 0);

  const state: [number, number, number, number, number] = [
    0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0,
  ];
  const words = new Uint32Array(80);
  for (let block = 0; block < paddedLength; block += 64) {
    for (let t = 0; t < 16; t += 1) words[t] = view.getUint32(block + t * 4);
    for (let t = 16; t < 80; t += 1) {
      words[t] = rotateLeft(
        (words[t - 3] ?? 0) ^ (words[t - 8] ?? 0) ^ (words[t - 14] ?? 0) ^ (words[t - 16] ?? 0),
        1,
      );
    }
    let [a, b, c, d, e] = state;
    for (let t = 0; t < 80; t += 1) {
      let f: number;
      let k: number;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const next = (rotateLeft(a, 5) + f + e + k + (words[t] ?? 0)) >>> 0;
      e = d;
      d = c;
      c = rotateLeft(b, 30);
      b = a;
      a = next;
    }
    state[0] = (state[0] + a) >>> 0;
    state[1] = (state[1] + b) >>> 0;
    state[2] = (state[2] + c) >>> 0;
    state[3] = (state[3] + d) >>> 0;
    state[4] = (state[4] + e) >>> 0;
  }
  const digest = new Uint8Array(20);
  const digestView = new DataView(digest.buffer);
  state.forEach((word, index) => {
    digestView.setUint32(index * 4, word);
  });
  return digest;
}

function rotateLeft(word: number, bits: number): number {
  return ((word << bits) | (word >>> (32 - bits))) >>> 0;
}
