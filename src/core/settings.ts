import './zod-config.ts'; // with its extension: vite.config.ts loads this file natively
// The settings document (CONTRACT.md section 2): one JSON shape for import, export and enterprise
// policy. The zod schema is the single source: types, validation with plain-words problems, and the
// JSON Schema for policy are all derived from it.
import { z } from 'zod';

/** The settings format this version of Linkwell writes and reads. */
export const SETTINGS_VERSION = 1;

/** A document without `version` is read as this: the first published format, before it was numbered. */
export const UNVERSIONED = 0;

/** One thing wrong with a settings document, at its JSON path (`linkWorkers[0].delivery.endpoint`). */
export type SettingsProblem = { path: string; message: string };

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; problems: SettingsProblem[] };

/** The path used for problems with the file as a whole. */
const FILE_PATH = '(file)';

// http: is allowed only for the test receiver on this computer (CONTRACT.md section 2). The manifest's
// optional_host_permissions cover https://*/* and these hosts only, so nothing else could ever be granted.
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const EXCEPT_ON_THIS_COMPUTER = 'except on this computer (localhost, 127.0.0.1 or [::1])';

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** https:, or http: on this computer: the addresses the browser can let Linkwell contact or read. */
function isSecureOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

/**
 * Whether the browser can grant Linkwell access to an address's origin: https:, or http: only on this
 * computer, as the manifest's optional_host_permissions allow. Asking for anything else fails the whole
 * permission request, so such origins are never asked for.
 *
 * @example isGrantableAddress('http://museum.example.org/offers.json') // false
 */
export function isGrantableAddress(address: string): boolean {
  const url = parseUrl(address);
  return url !== null && url.username === '' && url.password === '' && isSecureOrLoopback(url);
}

// Text the person must fill in: surrounding spaces are dropped, and an empty value is a mistake rather
// than "not set" (leaving the setting out says that).
const filledText = () =>
  z.string().trim().min(1, { error: 'must not be empty (leave the setting out if there is nothing to put)' });

const emailAddress = () =>
  z.email({
    error: (issue) =>
      issue.input === undefined ? 'is missing' : 'must be an email address, like name@nhs.net',
  });

// Reports the second and later entries whose `key` repeats an earlier one. Items may still be
// malformed here (the check also runs when other problems were found), so they are read with care.
function reportRepeats(
  items: readonly unknown[],
  key: string,
  ctx: z.core.$RefinementCtx<unknown>,
  describe: (value: string, firstIndex: number) => string,
): void {
  const firstIndexOf = new Map<string, number>();
  items.forEach((item, index) => {
    const value = isRecord(item) ? item[key] : undefined;
    if (typeof value !== 'string') return;
    const firstIndex = firstIndexOf.get(value);
    if (firstIndex === undefined) {
      firstIndexOf.set(value, index);
    } else {
      ctx.addIssue({
        code: 'custom',
        path: [index, key],
        message: describe(value, firstIndex),
        input: value,
      });
    }
  });
}

const runEvenWithOtherProblems = { when: (payload: { value: unknown }) => Array.isArray(payload.value) };

const fhirDeliverySchema = z
  .strictObject({
    method: z.literal('fhir'),
    endpoint: z
      .string()
      .superRefine((endpoint, ctx) => {
        const url = parseUrl(endpoint);
        if (url === null) {
          ctx.addIssue({
            code: 'custom',
            input: endpoint,
            message: 'must be a web address, like https://sp.example.org/fhir/$process-message',
          });
        } else if (url.username !== '' || url.password !== '') {
          ctx.addIssue({
            code: 'custom',
            input: endpoint,
            message: 'must not contain a user name or password (put an access token in "token" instead)',
          });
        } else if (!isSecureOrLoopback(url)) {
          // http: only for a test receiver on this computer.
          ctx.addIssue({ code: 'custom', input: endpoint, message: 'must be https' });
        }
      })
      .describe(
        'Where referrals are sent (FHIR $process-message). Must be https:, or http: only for localhost.',
      ),
    token: filledText()
      .describe('Sent as "Authorization: Bearer <token>" with each referral.')
      // Chrome masks values marked sensitive on chrome://policy.
      .meta({ sensitiveValue: true })
      .optional(),
  })
  .describe('Send referrals as FHIR messages to the link worker’s system.');

const emailDeliverySchema = z
  .strictObject({
    method: z.literal('email'),
    to: emailAddress().describe('The address the referral email is written to.'),
  })
  .describe('Open an email to the link worker with the referral as plain text.');

const deliverySchema = z
  .discriminatedUnion('method', [fhirDeliverySchema, emailDeliverySchema])
  .describe('How referrals reach this link worker: "fhir" or "email".');

const linkWorkerSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
      error: 'must be a short name of lower-case letters, digits and hyphens, like "pcn-lw"',
    })
    .describe('A short name for this link worker, unique in the list, like "pcn-lw".'),
  name: filledText().describe('The name shown to clinicians.'),
  role: filledText().optional(),
  organisation: filledText().optional(),
  email: emailAddress().optional(),
  phone: filledText().optional(),
  delivery: deliverySchema,
});

const recordSiteSchema = z.strictObject({
  origin: z
    .string()
    .superRefine((origin, ctx) => {
      const url = parseUrl(origin);
      if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
        ctx.addIssue({
          code: 'custom',
          input: origin,
          message: 'must be a web address starting with https://, like https://gp.example.nhs.uk',
        });
      } else if (!isSecureOrLoopback(url)) {
        ctx.addIssue({
          code: 'custom',
          input: origin,
          message: `must start with https://: the browser cannot let Linkwell read a site over plain http://, ${EXCEPT_ON_THIS_COMPUTER}`,
        });
      } else if (url.origin !== origin) {
        ctx.addIssue({
          code: 'custom',
          input: origin,
          message: `must be only the scheme, host and port, with nothing after them: write ${url.origin}`,
        });
      }
    })
    .describe('The clinical system’s address: scheme, host and port only, like https://gp.example.nhs.uk.'),
  label: filledText().optional(),
  selectors: z
    .strictObject({
      nhsNumber: filledText().optional(),
      name: filledText().optional(),
      birthDate: filledText().optional(),
    })
    .describe('CSS selectors for where the patient’s details are on the page.')
    .optional(),
});

const offerFeedSchema = z.strictObject({
  url: z
    .string()
    .superRefine((url, ctx) => {
      const parsed = parseUrl(url);
      if (parsed === null || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
        ctx.addIssue({
          code: 'custom',
          input: url,
          message:
            'must be a web address starting with https://, like https://museum.example.org/offers.json',
        });
      } else if (parsed.username !== '' || parsed.password !== '') {
        ctx.addIssue({ code: 'custom', input: url, message: 'must not contain a user name or password' });
      } else if (!isSecureOrLoopback(parsed)) {
        ctx.addIssue({
          code: 'custom',
          input: url,
          message: `must start with https://: the browser cannot let Linkwell fetch a feed over plain http://, ${EXCEPT_ON_THIS_COMPUTER}`,
        });
      }
    })
    .describe('An Open Referral UK feed of community offers: https:, or http: only for localhost.'),
  label: filledText().optional(),
});

const RETENTION_RANGE = 'must be a whole number of days from 1 to 365';

// A FHIR referral names the practice by its ODS code (CONTRACT.md section 4: the Organization's
// identifier https://fhir.nhs.uk/Id/ods-organization-code). Runs even when other parts have problems,
// so the document may still be malformed here.
function requireOdsCodeForFhir(document: unknown, ctx: z.core.$RefinementCtx<unknown>): void {
  if (!isRecord(document) || !Array.isArray(document.linkWorkers)) return;
  const sendsByFhir = document.linkWorkers.some(
    (linkWorker) =>
      isRecord(linkWorker) && isRecord(linkWorker.delivery) && linkWorker.delivery.method === 'fhir',
  );
  const practice = document.practice;
  if (!sendsByFhir || !isRecord(practice) || practice.odsCode !== undefined) return;
  ctx.addIssue({
    code: 'custom',
    path: ['practice', 'odsCode'],
    input: undefined,
    message:
      'needed to send referrals by FHIR: the link worker’s system identifies your practice by it. Add the practice’s ODS code, like L84001',
  });
}

/** The whole settings document. Read it with `parseSettings`, which migrates older formats first. */
export const settingsSchema = z
  .strictObject({
    version: z
      .literal(SETTINGS_VERSION, { error: `must be ${SETTINGS_VERSION}` })
      .describe('Settings format.'),
    practice: z.strictObject({
      name: filledText().describe('The practice’s name.'),
      odsCode: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9]{3,10}$/, {
          error: 'must be an ODS code: 3 to 10 letters and digits, like L84001',
        })
        .toUpperCase()
        .describe('The practice’s ODS code, like L84001.')
        .optional(),
    }),
    linkWorkers: z
      .array(linkWorkerSchema)
      .superRefine(
        (linkWorkers, ctx) =>
          reportRepeats(
            linkWorkers,
            'id',
            ctx,
            (id, first) =>
              `"${id}" is already the id of linkWorkers[${first}]; each link worker needs its own id`,
          ),
        runEvenWithOtherProblems,
      )
      .default([])
      .describe('The link workers clinicians can refer to.'),
    recordSites: z
      .array(recordSiteSchema)
      .superRefine(
        (recordSites, ctx) =>
          reportRepeats(
            recordSites,
            'origin',
            ctx,
            (origin, first) => `${origin} is already listed at recordSites[${first}]; list each site once`,
          ),
        runEvenWithOtherProblems,
      )
      .default([])
      .describe('The clinical systems where Linkwell looks for the patient.'),
    offerFeeds: z.array(offerFeedSchema).default([]).describe('Feeds of community offers to suggest.'),
    retentionDays: z
      .int({ error: RETENTION_RANGE })
      .min(1, { error: RETENTION_RANGE })
      .max(365, { error: RETENTION_RANGE })
      .default(30)
      .describe('Days a delivered referral’s details are kept before only its anonymous record remains.'),
  })
  .superRefine(requireOdsCodeForFhir, { when: (payload) => isRecord(payload.value) })
  .meta({
    title: 'Linkwell settings',
    description: 'Settings for the Linkwell social prescribing extension.',
  });

export type Settings = z.infer<typeof settingsSchema>;
export type LinkWorker = Settings['linkWorkers'][number];
export type Delivery = LinkWorker['delivery'];
export type RecordSite = Settings['recordSites'][number];
export type OfferFeed = Settings['offerFeeds'][number];

/** One step that rewrites a document of format `from` into format `to`. */
export type SettingsMigration = {
  from: number;
  to: number;
  migrate(document: Readonly<Record<string, unknown>>): Record<string, unknown>;
};

/** Every step from an old format to the current one, in order. */
export const settingsMigrations: readonly SettingsMigration[] = [
  {
    // The first published format had no version number; it is format 1 as it stands.
    from: UNVERSIONED,
    to: 1,
    migrate: (document) => ({ version: 1, ...document }),
  },
];

export type SettingsMigrationResult =
  | { ok: true; document: unknown }
  | { ok: false; problem: SettingsProblem };

/**
 * Brings a document of an older format up to `currentVersion` by applying `migrations` in order.
 * A document from a newer format is refused; anything that is not a usable version is left for the
 * schema to report.
 *
 * @example migrateSettingsDocument({ practice: { name: 'Severnside Surgery' } })
 * // { ok: true, document: { version: 1, practice: { name: 'Severnside Surgery' } } }
 */
export function migrateSettingsDocument(
  document: unknown,
  migrations: readonly SettingsMigration[] = settingsMigrations,
  currentVersion: number = SETTINGS_VERSION,
): SettingsMigrationResult {
  if (!isRecord(document)) return { ok: true, document };
  const stated = document.version;
  let version: number;
  if (!('version' in document)) {
    version = UNVERSIONED;
  } else if (typeof stated === 'number' && Number.isInteger(stated) && stated >= 1) {
    version = stated;
  } else {
    return { ok: true, document };
  }
  if (version > currentVersion) {
    return {
      ok: false,
      problem: {
        path: 'version',
        message:
          `this file was made by a newer version of Linkwell (settings format ${version}); this version ` +
          `reads format ${currentVersion}. Update Linkwell, or export the settings from this version instead`,
      },
    };
  }
  let migrated: Record<string, unknown> = document;
  while (version < currentVersion) {
    const step = migrations.find((migration) => migration.from === version);
    if (step === undefined) break;
    if (step.to <= step.from) throw new Error(`settings migration from ${step.from} must move forward`);
    migrated = step.migrate(migrated);
    version = step.to;
  }
  return { ok: true, document: migrated };
}

/** Writes a zod issue path the way the contract does: `linkWorkers[0].delivery.endpoint`. */
function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      text += `[${segment}]`;
    } else {
      const key = String(segment);
      if (/^[A-Za-z_$][\w$]*$/.test(key)) {
        text += text === '' ? key : `.${key}`;
      } else {
        text += `[${JSON.stringify(key)}]`;
      }
    }
  }
  return text === '' ? FILE_PATH : text;
}

function describeExpectedType(expected: string): string {
  switch (expected) {
    case 'string':
      return 'must be text in double quotes';
    case 'number':
    case 'int':
      return 'must be a number';
    case 'boolean':
      return 'must be true or false';
    case 'array':
      return 'must be a list in square brackets [ ]';
    case 'object':
      return 'must be a group of settings in curly brackets { }';
    default:
      return `must be of type ${expected}`;
  }
}

// Messages for problems the schema does not word itself. Returning undefined keeps zod's own words.
const plainMessages: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'is missing';
    return describeExpectedType(issue.expected);
  }
  if (issue.code === 'invalid_union' && typeof issue.discriminator === 'string') {
    // zod reports an unknown choice at the discriminator's path, with the whole object as input.
    const options = Array.isArray(issue.options) ? issue.options.map((option) => `"${String(option)}"`) : [];
    const choice = options.join(' or ');
    const given = isRecord(issue.input) ? issue.input[issue.discriminator] : undefined;
    return given === undefined ? `is missing; it must be ${choice}` : `must be ${choice}`;
  }
  return undefined;
};

function toProblems(issues: readonly z.core.$ZodIssue[]): SettingsProblem[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      // One problem per unknown key, at its own path, so a misspelt setting is easy to find.
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: 'is not a Linkwell setting; check its spelling',
      }));
    }
    if (issue.path.length === 0 && issue.code === 'invalid_type') {
      return [{ path: FILE_PATH, message: 'must hold one settings document in curly brackets { }' }];
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}

/**
 * Reads a settings document (an imported file's contents, or policy), migrating older formats first.
 * Every problem is listed, not just the first.
 *
 * @example parseSettings({ version: 1, practice: { name: 'Severnside Surgery' } })
 * // { ok: true, settings: { version: 1, practice: { name: 'Severnside Surgery' }, linkWorkers: [], ... } }
 */
export function parseSettings(input: unknown): SettingsResult {
  const migration = migrateSettingsDocument(input);
  if (!migration.ok) return { ok: false, problems: [migration.problem] };
  const result = settingsSchema.safeParse(migration.document, { error: plainMessages });
  if (result.success) return { ok: true, settings: result.data };
  return { ok: false, problems: toProblems(result.error.issues) };
}

/**
 * The problems with one FHIR delivery on its own, at paths inside it (`endpoint`, `token`): a test
 * message may go only where a referral could.
 *
 * @example fhirDeliveryProblems({ method: 'fhir', endpoint: 'http://sp.example.org/fhir' })
 * // [{ path: 'endpoint', message: 'must be https' }]
 */
export function fhirDeliveryProblems(delivery: unknown): SettingsProblem[] {
  const result = fhirDeliverySchema.safeParse(delivery, { error: plainMessages });
  return result.success ? [] : toProblems(result.error.issues);
}

// Where JSON.parse went wrong, from its message: V8 gives "position N" (newer versions also give the
// line), Firefox gives "line L column C".
function locateJsonError(text: string, message: string): string {
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return ` near line ${lineColumn[1]}, column ${lineColumn[2]}`;
  const position = /position (\d+)/.exec(message);
  if (position) {
    const before = text.slice(0, Number(position[1])).split('\n');
    return ` near line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
  }
  return '';
}

/**
 * Reads a settings file's text: JSON first, then `parseSettings`.
 *
 * @example parseSettingsText('{ "version": 1, ')
 * // { ok: false, problems: [{ path: '(file)', message: 'is not valid JSON near line 1, column 16; ...' }] }
 */
export function parseSettingsText(text: string): SettingsResult {
  // Windows editors often start a UTF-8 file with a byte order mark, which JSON.parse refuses.
  const json = text.replace(/^\uFEFF/, '');
  if (json.trim() === '') {
    return {
      ok: false,
      problems: [{ path: FILE_PATH, message: 'is empty; a settings file holds JSON text' }],
    };
  }
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    const where = error instanceof Error ? locateJsonError(json, error.message) : '';
    return {
      ok: false,
      problems: [
        {
          path: FILE_PATH,
          message: `is not valid JSON${where}; look for a missing or extra comma, quote mark or bracket`,
        },
      ],
    };
  }
  return parseSettings(document);
}

/**
 * One problem as a line of text, as shown when an import is refused.
 *
 * @example formatSettingsProblem({ path: 'linkWorkers[0].delivery.endpoint', message: 'must be https' })
 * // 'linkWorkers[0].delivery.endpoint: must be https'
 */
export function formatSettingsProblem(problem: SettingsProblem): string {
  return `${problem.path}: ${problem.message}`;
}

/**
 * The settings as a document to save or share. Access tokens are left out unless asked for, so an
 * exported file can be passed around without giving away the right to send referrals.
 *
 * @example JSON.stringify(exportSettings(settings, { includeTokens: false }), null, 2)
 */
export function exportSettings(settings: Settings, options: { includeTokens: boolean }): Settings {
  const copy = structuredClone(settings);
  if (options.includeTokens) return copy;
  return {
    ...copy,
    linkWorkers: copy.linkWorkers.map((linkWorker) => {
      if (linkWorker.delivery.method !== 'fhir') return linkWorker;
      const { token: _leftOut, ...delivery } = linkWorker.delivery;
      return { ...linkWorker, delivery };
    }),
  };
}

// The attributes Chrome's policy schema parser accepts for each type, from
// components/policy/core/common/schema.cc (kAttributesAndTypesFor*):
// https://source.chromium.org/chromium/chromium/src/+/main:components/policy/core/common/schema.cc
const CHROME_ATTRIBUTES: Record<string, readonly string[]> = {
  object: ['properties', 'additionalProperties', 'required'],
  array: ['items'],
  string: ['enum', 'pattern'],
  integer: ['enum', 'minimum', 'maximum'],
  number: [],
  boolean: [],
};
const CHROME_COMMON_ATTRIBUTES = ['type', 'title', 'description', 'sensitiveValue'];

type JsonSchemaNode = Record<string, unknown>;

function asNode(value: unknown, where: string): JsonSchemaNode {
  if (!isRecord(value)) throw new Error(`settingsJsonSchema: expected a schema at ${where}`);
  return value;
}

// Chrome has no oneOf/anyOf: the delivery union becomes one object whose `method` lists every choice
// and whose other fields are all optional. zod still enforces each choice's rules when settings are read.
function mergeChoices(node: JsonSchemaNode, choices: readonly unknown[], where: string): JsonSchemaNode {
  const branches = choices.map((choice, index) => toChromeNode(asNode(choice, `${where}/${index}`), where));
  const properties: Record<string, JsonSchemaNode> = {};
  let required: string[] | null = null;
  for (const branch of branches) {
    if (branch.type !== 'object')
      throw new Error(`settingsJsonSchema: only choices of objects merge (${where})`);
    const branchRequired = Array.isArray(branch.required) ? branch.required.map(String) : [];
    required = required === null ? branchRequired : required.filter((name) => branchRequired.includes(name));
    for (const [name, property] of Object.entries(asNode(branch.properties ?? {}, where))) {
      const incoming = asNode(property, `${where}/${name}`);
      const existing = properties[name];
      if (existing !== undefined && Array.isArray(existing.enum) && Array.isArray(incoming.enum)) {
        properties[name] = { ...existing, enum: [...new Set([...existing.enum, ...incoming.enum])] };
      } else if (existing === undefined) {
        properties[name] = incoming;
      }
    }
  }
  const merged: JsonSchemaNode = { type: 'object', properties };
  if (required !== null && required.length > 0) merged.required = required;
  for (const key of ['title', 'description']) if (key in node) merged[key] = node[key];
  return merged;
}

// Rewrites one node of zod's JSON Schema into the subset Chrome's policy parser accepts.
function toChromeNode(source: JsonSchemaNode, where: string): JsonSchemaNode {
  if ('$ref' in source) throw new Error(`settingsJsonSchema: inline every schema, no $ref (${where})`);
  const choices = source.oneOf ?? source.anyOf;
  if (Array.isArray(choices)) return mergeChoices(source, choices, where);

  const node: JsonSchemaNode = { ...source };
  if ('const' in node) {
    node.enum = [node.const];
    if (Number.isInteger(node.const)) node.type = 'integer';
  }
  // zod writes string formats (email) as `format` plus a pattern with look-aheads, which Chrome's RE2
  // cannot compile; zod checks these values itself when settings are read.
  if ('format' in node) delete node.pattern;

  const type = node.type;
  if (typeof type !== 'string' || !(type in CHROME_ATTRIBUTES)) {
    throw new Error(`settingsJsonSchema: every node needs one of Chrome's types (${where})`);
  }
  const allowed = new Set([...CHROME_COMMON_ATTRIBUTES, ...(CHROME_ATTRIBUTES[type] ?? [])]);
  const chromeNode: JsonSchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (!allowed.has(key)) continue;
    if (key === 'properties') {
      chromeNode.properties = Object.fromEntries(
        Object.entries(asNode(value, where)).map(([name, property]) => [
          name,
          toChromeNode(asNode(property, `${where}/${name}`), `${where}/${name}`),
        ]),
      );
    } else if (key === 'items') {
      chromeNode.items = toChromeNode(asNode(value, `${where}/items`), `${where}/items`);
    } else if (key === 'additionalProperties') {
      // Chrome takes only a schema here, not `false`; unknown keys are refused by zod instead.
      if (isRecord(value)) chromeNode.additionalProperties = toChromeNode(value, `${where}/*`);
    } else {
      chromeNode[key] = value;
    }
  }
  return chromeNode;
}

/**
 * The JSON Schema of the settings document, generated from `settingsSchema` and reduced to what
 * Chrome accepts as `storage.managed_schema`; also published as `settings.schema.json`.
 * https://developer.chrome.com/docs/extensions/reference/manifest/storage
 *
 * @example JSON.stringify(settingsJsonSchema(), null, 2) // written to dist as settings.schema.json
 */
export function settingsJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(settingsSchema, {
    io: 'input',
    unrepresentable: 'throw',
    reused: 'inline',
  });
  const root = toChromeNode(generated, '#');
  // A file without `version` is read as the first format (see settingsMigrations), so it is optional.
  if (Array.isArray(root.required)) {
    root.required = root.required.filter((name) => name !== 'version');
  }
  return root;
}
