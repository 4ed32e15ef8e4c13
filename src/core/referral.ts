import { z } from 'zod';
import { checkNhsNumber, nhsNumberProblemText } from './nhs-number';
import { safeLinkUrl } from './offer';
import { type PatientName, parsePatientName } from './patient-name';
import { REASON_IDS, type ReasonId } from './reasons';

// Length limits: generous for real use, small enough that a pasted document or a flood of text is refused
// before it reaches storage or a link worker's system. Names follow the NHS PDS element lengths (40–35).
const FREE_TEXT_MAX = 2000;
const SHORT_TEXT_MAX = 200;
const NAME_PART_MAX = 100;

/** Text that must be present: trimmed, not empty, not too long. */
function requiredText(what: string, max = SHORT_TEXT_MAX) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `Enter ${what}.` : `Enter ${what} as text.`) })
    .overwrite(cleanText)
    .min(1, { error: `Enter ${what}.` })
    .max(max, { error: `Keep ${what} to ${max} characters or fewer.` });
}

/** Text that may be left out; blank text counts as left out, so an empty form field is not an error. */
function optionalText(what: string, max = SHORT_TEXT_MAX) {
  return z.preprocess(
    blankToUndefined,
    z
      .string({ error: `Enter ${what} as text.` })
      .overwrite(cleanText)
      .max(max, { error: `Keep ${what} to ${max} characters or fewer.` })
      .optional(),
  );
}

function blankToUndefined(value: unknown): unknown {
  return typeof value === 'string' && cleanText(value) === '' ? undefined : value;
}

// Control characters (other than tab and line breaks) are invisible and not allowed in FHIR strings:
// https://hl7.org/fhir/R4/datatypes.html#string
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's purpose
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

function cleanText(value: string): string {
  return value.replace(CONTROL_CHARACTERS, '').trim();
}

function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankToUndefined, schema.optional());
}

const isoDateTime = (what: string) =>
  z.iso.datetime({
    offset: true,
    error: `Give ${what} as a date and time, for example 2025-03-12T09:30:00Z.`,
  });

const nhsNumberSchema = z.string({ error: 'Enter the NHS number.' }).transform((input, context) => {
  const check = checkNhsNumber(input);
  if (check.ok) return check.nhsNumber;
  context.addIssue({ code: 'custom', message: nhsNumberProblemText(check.problem) });
  return z.NEVER;
});

/** A patient name as structured parts; `text` is filled in from the parts when it is missing. */
export const patientNameSchema = z
  .object(
    {
      family: requiredText("the patient's family name", NAME_PART_MAX),
      given: z
        .array(requiredText('each given name', NAME_PART_MAX))
        .max(10, { error: 'Give at most 10 given names.' })
        .default([]),
      prefix: optionalText("the patient's title", 35),
      text: optionalText("the patient's name", SHORT_TEXT_MAX),
    },
    { error: "Enter the patient's name, for example SMITH, Jane (Mrs) or Jane Smith." },
  )
  .transform(
    (name): PatientName => ({
      family: name.family,
      given: name.given,
      ...(name.prefix === undefined ? {} : { prefix: name.prefix }),
      text: name.text ?? [name.prefix, ...name.given, name.family].filter(Boolean).join(' '),
    }),
  );

// The panel may pass the name as the record showed it (`SMITH, Jane (Mrs)`) or already in parts; text
// that is not a name reaches the parts schema as text and is refused there with an example.
const patientNameInput = z.preprocess(
  (value) => (typeof value === 'string' ? (parsePatientName(value) ?? value) : value),
  patientNameSchema,
);

// UK postcodes (BS 7666 shape), with or without the space: https://www.gov.uk/government/publications/open-standards-for-government/uk-postcode-standard
const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/;

const postcodeSchema = z
  .string({ error: 'Enter the postcode as text.' })
  .transform((input) => input.trim().toUpperCase().replace(/\s+/g, ' '))
  .refine((postcode) => POSTCODE.test(postcode), { error: 'Enter a UK postcode, for example GL5 1AA.' })
  .transform((postcode) => postcode.replace(POSTCODE, '$1 $2'));

const addressSchema = z
  .object({
    lines: z
      .array(requiredText('each address line', NAME_PART_MAX))
      .max(6, { error: 'Give at most 6 address lines.' })
      .default([]),
    postcode: optional(postcodeSchema),
  })
  .refine((address) => address.lines.length > 0 || address.postcode !== undefined, {
    error: 'Give at least one address line or a postcode, or leave the address out.',
  });

// Digits with the spaces, brackets, hyphens and leading + people write; at least 6 digits.
const phoneSchema = requiredText('the phone number', 40).refine(
  (phone) => /^\+?[\d ()-]+$/.test(phone) && phone.replace(/\D/g, '').length >= 6,
  { error: 'Enter a phone number using digits, for example 01453 000000.' },
);

const emailSchema = z
  .string({ error: 'Enter the email address as text.' })
  .trim()
  .max(254, { error: 'Keep the email address to 254 characters or fewer.' })
  .pipe(z.email({ error: 'Enter an email address like name@example.org.' }));

const patientSchema = z.object({
  nhsNumber: nhsNumberSchema,
  name: patientNameInput,
  birthDate: z.iso.date({
    error: "Enter the patient's date of birth as YYYY-MM-DD, for example 1961-03-12.",
  }),
  phone: optional(phoneSchema),
  email: optional(emailSchema),
  address: addressSchema.optional(),
});

const referrerSchema = z.object({
  name: requiredText("the referrer's name"),
  role: optionalText("the referrer's role"),
  // GMC, NMC or other professional registration number: shown to the link worker, never checked here.
  professionalId: optionalText("the referrer's professional number", 20),
});

// ODS codes are short upper-case letters and digits (practices: A81001).
const odsCodeSchema = z
  .string({ error: 'Enter the ODS code as text.' })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{3,10}$/, {
    error: 'Enter an ODS code of 3 to 10 letters and digits, for example L84001.',
  });

const practiceSchema = z.object({
  name: requiredText("the practice's name"),
  odsCode: optional(odsCodeSchema),
});

const linkWorkerSchema = z.object({
  id: requiredText("the link worker's id", NAME_PART_MAX),
  name: requiredText("the link worker's name"),
  role: optionalText("the link worker's role"),
  organisation: optionalText("the link worker's organisation"),
  email: optional(emailSchema),
  phone: optional(phoneSchema),
});

const reasonsSchema = z
  .array(z.enum(REASON_IDS, { error: 'Choose reasons from the list.' }), {
    error: 'Choose at least one reason for the referral.',
  })
  .min(1, { error: 'Choose at least one reason for the referral.' })
  .max(REASON_IDS.length, { error: 'Choose each reason once.' })
  // A reason chosen twice (a double click, a retried form) is one reason.
  .transform((reasons): ReasonId[] => [...new Set(reasons)]);

const communicationSchema = z
  .object({
    interpreterNeeded: z.boolean({ error: 'Say whether an interpreter is needed.' }),
    language: optionalText('the language', NAME_PART_MAX),
    accessibility: optionalText('the accessibility needs', FREE_TEXT_MAX),
  })
  .refine((communication) => !communication.interpreterNeeded || communication.language !== undefined, {
    error: 'Say which language the interpreter is for.',
    path: ['language'],
  });

/** How the patient would like the link worker to get in touch. */
export const CONTACT_METHODS = ['phone', 'email', 'letter', 'text'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

const contactPreferenceSchema = z.object({
  method: z.enum(CONTACT_METHODS, { error: 'Choose phone, email, letter or text message.' }),
  bestTimes: optionalText('the best times to contact', SHORT_TEXT_MAX),
});

const offerUrlSchema = z
  .string({ error: "Enter the offer's web address as text." })
  .transform((url, context) => {
    const safe = safeLinkUrl(url);
    if (safe !== undefined) return safe;
    context.addIssue({ code: 'custom', message: 'Enter a full web address starting https://.' });
    return z.NEVER;
  });

const suggestedOfferSchema = z.object({
  name: requiredText("the offer's name"),
  organisation: optionalText("the offer's organisation"),
  url: optional(offerUrlSchema),
  contact: optionalText("the offer's contact details"),
});

/** The contact methods in words, shared with the plain-text referral. */
export const CONTACT_METHOD_WORDS: Readonly<Record<ContactMethod, string>> = {
  phone: 'Phone call',
  email: 'Email',
  letter: 'Letter',
  text: 'Text message',
};

/**
 * The communication needs in one line: interpreter and language, then accessibility needs.
 * @example communicationText(referral) // 'Interpreter needed (Igbo). Accessibility: Large print letters'
 */
export function communicationText(referral: Pick<Referral, 'communication'>): string {
  const communication = referral.communication;
  if (communication === undefined) return '';
  const interpreter = communication.interpreterNeeded
    ? `Interpreter needed (${communication.language ?? 'language not given'})`
    : `No interpreter needed${communication.language ? `; speaks ${communication.language}` : ''}`;
  return communication.accessibility
    ? `${interpreter}. Accessibility: ${communication.accessibility}`
    : interpreter;
}

/** The referral a GP sends to a social prescribing link worker: everything the message and the text need. */
export const referralSchema = z
  .object({
    id: z.uuid({ error: 'The referral id must be a UUID.' }),
    createdAt: isoDateTime('when the referral was made'),
    patient: patientSchema,
    referrer: referrerSchema,
    practice: practiceSchema,
    linkWorker: linkWorkerSchema,
    reasons: reasonsSchema,
    otherReason: optionalText('the other reason', FREE_TEXT_MAX),
    whatMatters: optionalText('what matters to the person', FREE_TEXT_MAX),
    communication: communicationSchema.optional(),
    risks: optionalText('the risks', FREE_TEXT_MAX),
    contactPreference: contactPreferenceSchema.optional(),
    priority: z.enum(['routine', 'urgent'], { error: 'Choose routine or urgent.' }),
    consent: z.object(
      {
        // A referral without consent is not a referral: the panel cannot send one.
        given: z.literal(true, {
          error: "The patient's consent is needed before referring. Ask them, and tick consent.",
        }),
        dateTime: isoDateTime('when consent was given'),
      },
      { error: "Record the patient's consent to the referral." },
    ),
    suggestedOffers: z
      .array(suggestedOfferSchema)
      .max(20, { error: 'Suggest at most 20 offers.' })
      .default([]),
  })
  .refine((referral) => !referral.reasons.includes('other') || referral.otherReason !== undefined, {
    error: 'Say what the other reason is.',
    path: ['otherReason'],
  });

export type Referral = z.output<typeof referralSchema>;
export type ReferralInput = z.input<typeof referralSchema>;

/** One thing wrong with a referral: where (`patient.nhsNumber`, `reasons[0]`) and what, in plain words. */
export interface ReferralProblem {
  path: string;
  message: string;
}

export type ParseReferralResult =
  | { ok: true; referral: Referral }
  | { ok: false; problems: ReferralProblem[] };

/**
 * Checks a referral from the panel, storage or a message, and tidies it (trimmed text, NHS number as
 * 10 digits, postcode spaced). Every problem is listed, each with its path and a plain sentence.
 *
 * @example
 * const result = parseReferral({ ...referral, consent: { given: false, dateTime } });
 * // { ok: false, problems: [{ path: 'consent.given', message: "The patient's consent is needed before referring. …" }] }
 */
export function parseReferral(input: unknown): ParseReferralResult {
  const result = referralSchema.safeParse(input, { error: fallbackMessage });
  if (result.success) return { ok: true, referral: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
  };
}

/**
 * A problem path as people read it, the same style as settings problems.
 * @example formatPath(['suggestedOffers', 0, 'url']) // 'suggestedOffers[0].url'
 */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((written, key) => {
    if (typeof key === 'number') return `${written}[${key}]`;
    const name = String(key);
    return written === '' ? name : `${written}.${name}`;
  }, '');
}

// Words for the few cases no field above names itself (a wrong type where a group of fields belongs).
function fallbackMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'This is required.';
    if (issue.expected === 'object') return 'This must be a group of fields.';
    if (issue.expected === 'array') return 'This must be a list.';
    return `This must be ${issue.expected === 'string' ? 'text' : issue.expected}.`;
  }
  return undefined;
}
