import {
  isGrantableAddress,
  parseSettings,
  SETTINGS_VERSION,
  type Settings,
  type SettingsProblem,
  type SettingsResult,
} from '../core/settings';

// The options form holds text exactly as typed (a draft); the settings document is made from it on each
// change and checked by the one settings schema, so the form and an imported file obey the same rules.

export interface LinkWorkerDraft {
  /** Stable across edits and reordering, for Preact's keys and element ids. */
  key: string;
  id: string;
  /** Whether the person typed the id; until then it follows the name. */
  idTouched: boolean;
  name: string;
  role: string;
  organisation: string;
  email: string;
  phone: string;
  method: 'fhir' | 'email';
  endpoint: string;
  token: string;
  /** A token set by the organisation's policy: kept out of the form (never shown, never exported). */
  policyToken: boolean;
  to: string;
}

export interface RecordSiteDraft {
  key: string;
  origin: string;
  label: string;
  nhsNumber: string;
  name: string;
  birthDate: string;
}

export interface OfferFeedDraft {
  key: string;
  url: string;
  label: string;
}

export interface SettingsDraft {
  practiceName: string;
  odsCode: string;
  linkWorkers: LinkWorkerDraft[];
  recordSites: RecordSiteDraft[];
  offerFeeds: OfferFeedDraft[];
  retentionDays: string;
}

let nextKey = 0;
/** A key for a new row in the form. */
export function newKey(): string {
  nextKey += 1;
  return `row-${nextKey}`;
}

export function emptyLinkWorker(): LinkWorkerDraft {
  return {
    key: newKey(),
    id: '',
    idTouched: false,
    name: '',
    role: '',
    organisation: '',
    email: '',
    phone: '',
    method: 'fhir',
    endpoint: '',
    token: '',
    policyToken: false,
    to: '',
  };
}

/**
 * The form's contents for settings (or a blank form when there are none yet). Settings from policy
 * are shown without their access tokens: the practice sees that one is set, never what it is.
 */
export function draftFromSettings(
  settings: Settings | undefined,
  options: { fromPolicy?: boolean } = {},
): SettingsDraft {
  const fromPolicy = options.fromPolicy ?? false;
  return {
    practiceName: settings?.practice.name ?? '',
    odsCode: settings?.practice.odsCode ?? '',
    linkWorkers: (settings?.linkWorkers ?? []).map((linkWorker) => ({
      key: newKey(),
      id: linkWorker.id,
      idTouched: true,
      name: linkWorker.name,
      role: linkWorker.role ?? '',
      organisation: linkWorker.organisation ?? '',
      email: linkWorker.email ?? '',
      phone: linkWorker.phone ?? '',
      method: linkWorker.delivery.method,
      endpoint: linkWorker.delivery.method === 'fhir' ? linkWorker.delivery.endpoint : '',
      token: linkWorker.delivery.method === 'fhir' && !fromPolicy ? (linkWorker.delivery.token ?? '') : '',
      policyToken:
        fromPolicy && linkWorker.delivery.method === 'fhir' && linkWorker.delivery.token !== undefined,
      to: linkWorker.delivery.method === 'email' ? linkWorker.delivery.to : '',
    })),
    recordSites: (settings?.recordSites ?? []).map((site) => ({
      key: newKey(),
      origin: site.origin,
      label: site.label ?? '',
      nhsNumber: site.selectors?.nhsNumber ?? '',
      name: site.selectors?.name ?? '',
      birthDate: site.selectors?.birthDate ?? '',
    })),
    offerFeeds: (settings?.offerFeeds ?? []).map((feed) => ({
      key: newKey(),
      url: feed.url,
      label: feed.label ?? '',
    })),
    retentionDays: String(settings?.retentionDays ?? 30),
  };
}

/** The fields whose values are present, as an object: a blank optional field is left out, never "". */
function filled<T extends Record<string, string>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value.trim() !== '')) as Partial<T>;
}

function numberOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** The settings document the form describes, for the schema to check. */
export function documentFromDraft(draft: SettingsDraft): Record<string, unknown> {
  const retentionDays = numberOrText(draft.retentionDays);
  return {
    version: SETTINGS_VERSION,
    practice: filled({ name: draft.practiceName, odsCode: draft.odsCode }),
    linkWorkers: draft.linkWorkers.map((linkWorker) => ({
      ...filled({
        id: linkWorker.id,
        name: linkWorker.name,
        role: linkWorker.role,
        organisation: linkWorker.organisation,
        email: linkWorker.email,
        phone: linkWorker.phone,
      }),
      delivery:
        linkWorker.method === 'fhir'
          ? { method: 'fhir', ...filled({ endpoint: linkWorker.endpoint, token: linkWorker.token }) }
          : { method: 'email', ...filled({ to: linkWorker.to }) },
    })),
    recordSites: draft.recordSites.map((site) => {
      const selectors = filled({ nhsNumber: site.nhsNumber, name: site.name, birthDate: site.birthDate });
      return {
        origin: site.origin,
        ...filled({ label: site.label }),
        ...(Object.keys(selectors).length > 0 ? { selectors } : {}),
      };
    }),
    offerFeeds: draft.offerFeeds.map((feed) => ({
      ...filled({ url: feed.url }),
      ...filled({ label: feed.label }),
    })),
    ...(retentionDays === undefined ? {} : { retentionDays }),
  };
}

/** The settings the form describes, or every problem with them. */
export function checkDraft(draft: SettingsDraft): SettingsResult {
  return parseSettings(documentFromDraft(draft));
}

/** The element id of the field for a settings path: `linkWorkers[0].delivery.endpoint` → `field-linkWorkers-0-delivery-endpoint`. */
export function fieldId(path: string): string {
  return `field-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`;
}

/** Problems by path, first problem only: a field shows one message at a time. */
export function problemsByPath(problems: readonly SettingsProblem[]): Map<string, string> {
  const byPath = new Map<string, string>();
  for (const problem of problems) if (!byPath.has(problem.path)) byPath.set(problem.path, problem.message);
  return byPath;
}

/**
 * A link worker id made from a name: `Severnside PCN link worker` → `severnside-pcn-link-worker`,
 * with a number added when another link worker already has it.
 */
export function idFromName(name: string, taken: readonly string[]): string {
  const base =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'link-worker';
  let id = base;
  for (let n = 2; taken.includes(id); n += 1) id = `${base}-${n}`;
  return id;
}

/** A system Linkwell contacts: a link worker's FHIR endpoint or an offer feed, by origin. */
export interface Destination {
  origin: string;
  /** Who or what is there, in words: `Severnside PCN link worker`, `the offer feed Museum`. */
  uses: string[];
}

/**
 * The origins the form's FHIR link workers and offer feeds would contact, each once, with what uses
 * them. Addresses the browser could never grant are left out: the form shows their problem instead.
 */
export function destinationsOf(draft: SettingsDraft): Destination[] {
  const byOrigin = new Map<string, string[]>();
  const add = (address: string, use: string) => {
    const origin = grantableOrigin(address);
    if (origin === undefined) return;
    byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), use]);
  };
  for (const linkWorker of draft.linkWorkers) {
    if (linkWorker.method === 'fhir') add(linkWorker.endpoint, linkWorker.name.trim() || 'a new link worker');
  }
  for (const feed of draft.offerFeeds) {
    add(feed.url, `the offer feed ${feed.label.trim() || feed.url.trim()}`);
  }
  return [...byOrigin].map(([origin, uses]) => ({ origin, uses }));
}

/** The origin of an address the browser can grant access to, or undefined for any other text. */
export function grantableOrigin(address: string): string | undefined {
  const trimmed = address.trim();
  return isGrantableAddress(trimmed) ? new URL(trimmed).origin : undefined;
}

export type OriginResult = { ok: true; origin: string } | { ok: false; message: string };

/**
 * The origin of an address a practice manager typed or pasted: `https://gp.example.nhs.uk/patients/1`
 * → `https://gp.example.nhs.uk`. Without a scheme, https is assumed.
 */
export function originFromAddress(text: string): OriginResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'Enter the clinical system’s web address' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, message: 'Enter a web address, like https://gp.example.nhs.uk' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: 'Enter a web address starting with https://' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, message: 'Enter the address without a user name or password' };
  }
  if (!isGrantableAddress(url.origin)) {
    return {
      ok: false,
      message:
        'Enter an address starting with https://: the browser cannot let Linkwell read a site over plain http://, except on this computer (localhost, 127.0.0.1 or [::1])',
    };
  }
  return { ok: true, origin: url.origin };
}

const FIELD_WORDS: Record<string, string> = {
  'practice.name': 'Practice name',
  'practice.odsCode': 'ODS code',
  id: 'Short name',
  name: 'Name',
  role: 'Role',
  organisation: 'Organisation',
  email: 'Email',
  phone: 'Phone',
  'delivery.method': 'How referrals reach them',
  'delivery.endpoint': 'FHIR endpoint',
  'delivery.token': 'Access token',
  'delivery.to': 'Email referrals to',
  origin: 'Address',
  label: 'Label',
  'selectors.nhsNumber': 'NHS number selector',
  'selectors.name': 'Name selector',
  'selectors.birthDate': 'Date of birth selector',
  url: 'Feed address',
  retentionDays: 'Days to keep referral details',
};

/** The words for the field at a path, as labelled on the page, for messages next to it. */
export function fieldWords(path: string): string {
  const item = /^(linkWorkers|recordSites|offerFeeds)\[\d+\]\.(.+)$/.exec(path);
  return FIELD_WORDS[item?.[2] ?? path] ?? path;
}

/** The words for the field at a path in the error summary, with the row it is in. */
export function describePath(path: string, draft: SettingsDraft): string {
  const item = /^(linkWorkers|recordSites|offerFeeds)\[(\d+)\]/.exec(path);
  if (!item) return fieldWords(path);
  const index = Number(item[2]);
  const field = fieldWords(path);
  if (item[1] === 'linkWorkers') {
    const name = draft.linkWorkers[index]?.name.trim();
    return `Link worker ${index + 1}${name ? ` (${name})` : ''}: ${field}`;
  }
  if (item[1] === 'recordSites') return `Record site ${index + 1}: ${field}`;
  return `Offer feed ${index + 1}: ${field}`;
}
