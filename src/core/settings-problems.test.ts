// Settings documents that each break one rule of CONTRACT.md section 2, and the problem each must give.
import { describe, expect, it } from 'vitest';
import { formatSettingsProblem, parseSettings } from './settings';

type Document = Record<string, unknown> & {
  practice: Record<string, unknown>;
  linkWorkers: (Record<string, unknown> & { delivery: Record<string, unknown> })[];
  recordSites: (Record<string, unknown> & { selectors: Record<string, unknown> })[];
  offerFeeds: Record<string, unknown>[];
};

// A document that fits, with one link worker of each kind, one record site and one offer feed.
function goodDocument(): Document {
  return {
    version: 1,
    practice: { name: 'Severnside Surgery', odsCode: 'L84001' },
    linkWorkers: [
      {
        id: 'pcn-lw',
        name: 'Severnside PCN link worker',
        email: 'severnside.linkworker@nhs.net',
        delivery: {
          method: 'fhir',
          endpoint: 'https://sp.example.org/fhir/$process-message',
          token: 'secret',
        },
      },
      { id: 'vcs', name: 'Community Connections', delivery: { method: 'email', to: 'connections@nhs.net' } },
    ],
    recordSites: [
      { origin: 'https://gp.example.nhs.uk', label: 'Clinical system', selectors: { nhsNumber: '.nhs' } },
    ],
    offerFeeds: [{ url: 'https://museum.example.org/offers.json', label: 'Museum' }],
    retentionDays: 30,
  };
}

// Each rule broken once. Each breaks a different part of the document, so all can be broken together.
const brokenRules: [rule: string, breakRule: (document: Document) => void, expected: string][] = [
  ['version must be 1', (d) => Object.assign(d, { version: 0 }), 'version: must be 1'],
  [
    'unknown top-level key',
    (d) => Object.assign(d, { linkworkers: [] }),
    'linkworkers: is not a Linkwell setting; check its spelling',
  ],
  [
    'practice name must not be empty',
    (d) => Object.assign(d.practice, { name: '   ' }),
    'practice.name: must not be empty (leave the setting out if there is nothing to put)',
  ],
  [
    'ODS code: letters and digits, 3 to 10',
    (d) => Object.assign(d.practice, { odsCode: 'L8' }),
    'practice.odsCode: must be an ODS code: 3 to 10 letters and digits, like L84001',
  ],
  [
    'unknown key in practice',
    (d) => Object.assign(d.practice, { ods: 'L84001' }),
    'practice.ods: is not a Linkwell setting; check its spelling',
  ],
  [
    'link worker id must be a slug',
    (d) => Object.assign(d.linkWorkers[0] ?? {}, { id: 'PCN LW' }),
    'linkWorkers[0].id: must be a short name of lower-case letters, digits and hyphens, like "pcn-lw"',
  ],
  [
    'link worker email must be an email address',
    (d) => Object.assign(d.linkWorkers[0] ?? {}, { email: 'severnside' }),
    'linkWorkers[0].email: must be an email address, like name@nhs.net',
  ],
  [
    'link worker phone must be text',
    (d) => Object.assign(d.linkWorkers[0] ?? {}, { phone: 1453000000 }),
    'linkWorkers[0].phone: must be text in double quotes',
  ],
  [
    'fhir endpoint must be https',
    (d) => Object.assign(d.linkWorkers[0]?.delivery ?? {}, { endpoint: 'http://sp.example.org/fhir' }),
    'linkWorkers[0].delivery.endpoint: must be https',
  ],
  [
    'fhir token must not be empty',
    (d) => Object.assign(d.linkWorkers[0]?.delivery ?? {}, { token: '' }),
    'linkWorkers[0].delivery.token: must not be empty (leave the setting out if there is nothing to put)',
  ],
  [
    'email delivery needs an email address',
    (d) => Object.assign(d.linkWorkers[1]?.delivery ?? {}, { to: 'connections' }),
    'linkWorkers[1].delivery.to: must be an email address, like name@nhs.net',
  ],
  [
    'record site origin has no path',
    (d) => Object.assign(d.recordSites[0] ?? {}, { origin: 'https://gp.example.nhs.uk/record' }),
    'recordSites[0].origin: must be only the scheme, host and port, with nothing after them: write https://gp.example.nhs.uk',
  ],
  [
    'selectors must not be empty',
    (d) => Object.assign(d.recordSites[0]?.selectors ?? {}, { nhsNumber: '' }),
    'recordSites[0].selectors.nhsNumber: must not be empty (leave the setting out if there is nothing to put)',
  ],
  [
    'unknown key in selectors',
    (d) => Object.assign(d.recordSites[0]?.selectors ?? {}, { dob: '.dob' }),
    'recordSites[0].selectors.dob: is not a Linkwell setting; check its spelling',
  ],
  [
    'offer feed url must be https',
    (d) => Object.assign(d.offerFeeds[0] ?? {}, { url: 'ftp://museum.example.org/offers.json' }),
    'offerFeeds[0].url: must be a web address starting with https://, like https://museum.example.org/offers.json',
  ],
  [
    'retention at most 365 days',
    (d) => Object.assign(d, { retentionDays: 366 }),
    'retentionDays: must be a whole number of days from 1 to 365',
  ],
];

function problemsOf(document: unknown): string[] {
  const result = parseSettings(document);
  return result.ok ? [] : result.problems.map(formatSettingsProblem);
}

function documentWith(breakRule: (document: Document) => void): Document {
  const document = goodDocument();
  breakRule(document);
  return document;
}

describe('settings problems: one rule broken at a time', () => {
  it('starts from a document that fits', () => {
    expect(problemsOf(goodDocument())).toEqual([]);
  });

  it.each(brokenRules)('%s', (_rule, breakRule, expected) => {
    expect(problemsOf(documentWith(breakRule))).toEqual([expected]);
  });
});

describe('settings problems: every rule broken at once', () => {
  it('lists every problem together', () => {
    const document = documentWith((d) => {
      for (const [, breakRule] of brokenRules) breakRule(d);
    });
    expect(problemsOf(document).sort()).toEqual(brokenRules.map(([, , expected]) => expected).sort());
  });

  it('reports a repeated id alongside problems elsewhere in the same list', () => {
    const document = documentWith((d) => {
      d.linkWorkers.push({ id: 'pcn-lw', name: '', delivery: { method: 'email', to: 'a@nhs.net' } });
    });
    expect(problemsOf(document)).toEqual([
      'linkWorkers[2].name: must not be empty (leave the setting out if there is nothing to put)',
      'linkWorkers[2].id: "pcn-lw" is already the id of linkWorkers[0]; each link worker needs its own id',
    ]);
  });
});

function leaveOut(target: Record<string, unknown> | undefined, key: string): void {
  if (target !== undefined) delete target[key];
}

// More ways to break the same rules, one at a time.
const moreBadDocuments: [rule: string, breakRule: (document: Document) => void, expected: string][] = [
  ['no practice', (d) => leaveOut(d, 'practice'), 'practice: is missing'],
  ['no practice name', (d) => leaveOut(d.practice, 'name'), 'practice.name: is missing'],
  [
    'ODS code with a hyphen',
    (d) => Object.assign(d.practice, { odsCode: 'L84-001' }),
    'practice.odsCode: must be an ODS code: 3 to 10 letters and digits, like L84001',
  ],
  [
    'ODS code of 11 characters',
    (d) => Object.assign(d.practice, { odsCode: 'L8400100000' }),
    'practice.odsCode: must be an ODS code: 3 to 10 letters and digits, like L84001',
  ],
  [
    'link workers not a list',
    (d) => Object.assign(d, { linkWorkers: { id: 'pcn-lw' } }),
    'linkWorkers: must be a list in square brackets [ ]',
  ],
  [
    'link worker id repeated',
    (d) => Object.assign(d.linkWorkers[1] ?? {}, { id: 'pcn-lw' }),
    'linkWorkers[1].id: "pcn-lw" is already the id of linkWorkers[0]; each link worker needs its own id',
  ],
  [
    'link worker id with a trailing hyphen',
    (d) => Object.assign(d.linkWorkers[0] ?? {}, { id: 'pcn-' }),
    'linkWorkers[0].id: must be a short name of lower-case letters, digits and hyphens, like "pcn-lw"',
  ],
  [
    'link worker without a name',
    (d) => leaveOut(d.linkWorkers[0], 'name'),
    'linkWorkers[0].name: is missing',
  ],
  [
    'link worker with an empty name',
    (d) => Object.assign(d.linkWorkers[0] ?? {}, { name: '' }),
    'linkWorkers[0].name: must not be empty (leave the setting out if there is nothing to put)',
  ],
  [
    'link worker role empty',
    (d) => Object.assign(d.linkWorkers[0] ?? {}, { role: ' ' }),
    'linkWorkers[0].role: must not be empty (leave the setting out if there is nothing to put)',
  ],
  [
    'link worker organisation a number',
    (d) => Object.assign(d.linkWorkers[0] ?? {}, { organisation: 7 }),
    'linkWorkers[0].organisation: must be text in double quotes',
  ],
  [
    'unknown key in a link worker',
    (d) => Object.assign(d.linkWorkers[0] ?? {}, { emial: 'a@nhs.net' }),
    'linkWorkers[0].emial: is not a Linkwell setting; check its spelling',
  ],
  [
    'link worker without delivery',
    (d) => leaveOut(d.linkWorkers[0], 'delivery'),
    'linkWorkers[0].delivery: is missing',
  ],
  [
    'delivery not an object',
    (d) => Object.assign(d.linkWorkers[0] ?? {}, { delivery: 'fhir' }),
    'linkWorkers[0].delivery: must be a group of settings in curly brackets { }',
  ],
  [
    'delivery method unknown',
    (d) => Object.assign(d.linkWorkers[0]?.delivery ?? {}, { method: 'fax' }),
    'linkWorkers[0].delivery.method: must be "fhir" or "email"',
  ],
  [
    'delivery method missing',
    (d) => leaveOut(d.linkWorkers[0]?.delivery, 'method'),
    'linkWorkers[0].delivery.method: is missing; it must be "fhir" or "email"',
  ],
  [
    'fhir endpoint missing',
    (d) => leaveOut(d.linkWorkers[0]?.delivery, 'endpoint'),
    'linkWorkers[0].delivery.endpoint: is missing',
  ],
  [
    'fhir endpoint not a web address',
    (d) => Object.assign(d.linkWorkers[0]?.delivery ?? {}, { endpoint: 'sp.example.org/fhir' }),
    'linkWorkers[0].delivery.endpoint: must be a web address, like https://sp.example.org/fhir/$process-message',
  ],
  [
    'fhir endpoint over ftp',
    (d) => Object.assign(d.linkWorkers[0]?.delivery ?? {}, { endpoint: 'ftp://sp.example.org/fhir' }),
    'linkWorkers[0].delivery.endpoint: must be https',
  ],
  [
    'fhir endpoint http on a look-alike of localhost',
    (d) => Object.assign(d.linkWorkers[0]?.delivery ?? {}, { endpoint: 'http://localhost.example.org/fhir' }),
    'linkWorkers[0].delivery.endpoint: must be https',
  ],
  [
    'fhir endpoint with a password',
    (d) => Object.assign(d.linkWorkers[0]?.delivery ?? {}, { endpoint: 'https://me:pw@sp.example.org/fhir' }),
    'linkWorkers[0].delivery.endpoint: must not contain a user name or password (put an access token in "token" instead)',
  ],
  [
    'email delivery with an endpoint',
    (d) => Object.assign(d.linkWorkers[1]?.delivery ?? {}, { endpoint: 'https://sp.example.org' }),
    'linkWorkers[1].delivery.endpoint: is not a Linkwell setting; check its spelling',
  ],
  [
    'email delivery without an address',
    (d) => leaveOut(d.linkWorkers[1]?.delivery, 'to'),
    'linkWorkers[1].delivery.to: is missing',
  ],
  [
    'record site without an origin',
    (d) => leaveOut(d.recordSites[0], 'origin'),
    'recordSites[0].origin: is missing',
  ],
  [
    'record site origin with a trailing slash',
    (d) => Object.assign(d.recordSites[0] ?? {}, { origin: 'https://gp.example.nhs.uk/' }),
    'recordSites[0].origin: must be only the scheme, host and port, with nothing after them: write https://gp.example.nhs.uk',
  ],
  [
    'record site origin with a query',
    (d) => Object.assign(d.recordSites[0] ?? {}, { origin: 'https://gp.example.nhs.uk?x=1' }),
    'recordSites[0].origin: must be only the scheme, host and port, with nothing after them: write https://gp.example.nhs.uk',
  ],
  [
    'record site origin with a user name',
    (d) => Object.assign(d.recordSites[0] ?? {}, { origin: 'https://me@gp.example.nhs.uk' }),
    'recordSites[0].origin: must be only the scheme, host and port, with nothing after them: write https://gp.example.nhs.uk',
  ],
  [
    'record site origin in capitals',
    (d) => Object.assign(d.recordSites[0] ?? {}, { origin: 'https://GP.example.nhs.uk' }),
    'recordSites[0].origin: must be only the scheme, host and port, with nothing after them: write https://gp.example.nhs.uk',
  ],
  [
    'record site origin with the default port',
    (d) => Object.assign(d.recordSites[0] ?? {}, { origin: 'https://gp.example.nhs.uk:443' }),
    'recordSites[0].origin: must be only the scheme, host and port, with nothing after them: write https://gp.example.nhs.uk',
  ],
  [
    'record site origin without a scheme',
    (d) => Object.assign(d.recordSites[0] ?? {}, { origin: 'gp.example.nhs.uk' }),
    'recordSites[0].origin: must be a web address starting with https://, like https://gp.example.nhs.uk',
  ],
  [
    'record site origin on another scheme',
    (d) => Object.assign(d.recordSites[0] ?? {}, { origin: 'ftp://gp.example.nhs.uk' }),
    'recordSites[0].origin: must be a web address starting with https://, like https://gp.example.nhs.uk',
  ],
  [
    'record site over plain http on another computer',
    (d) => Object.assign(d.recordSites[0] ?? {}, { origin: 'http://gp.example.nhs.uk' }),
    'recordSites[0].origin: must start with https://: the browser cannot let Linkwell read a site over plain http://, except on this computer (localhost, 127.0.0.1 or [::1])',
  ],
  [
    'record site over http on an address of the local network',
    (d) => Object.assign(d.recordSites[0] ?? {}, { origin: 'http://192.168.1.20:8080' }),
    'recordSites[0].origin: must start with https://: the browser cannot let Linkwell read a site over plain http://, except on this computer (localhost, 127.0.0.1 or [::1])',
  ],
  [
    'no ODS code while a link worker receives referrals by FHIR',
    (d) => leaveOut(d.practice, 'odsCode'),
    'practice.odsCode: needed to send referrals by FHIR: the link worker’s system identifies your practice by it. Add the practice’s ODS code, like L84001',
  ],
  [
    'record site listed twice',
    (d) => d.recordSites.push({ origin: 'https://gp.example.nhs.uk', selectors: {} }),
    'recordSites[1].origin: https://gp.example.nhs.uk is already listed at recordSites[0]; list each site once',
  ],
  [
    'record site label empty',
    (d) => Object.assign(d.recordSites[0] ?? {}, { label: '' }),
    'recordSites[0].label: must not be empty (leave the setting out if there is nothing to put)',
  ],
  [
    'selectors not an object',
    (d) => Object.assign(d.recordSites[0] ?? {}, { selectors: ['.nhs'] }),
    'recordSites[0].selectors: must be a group of settings in curly brackets { }',
  ],
  ['offer feed without a url', (d) => leaveOut(d.offerFeeds[0], 'url'), 'offerFeeds[0].url: is missing'],
  [
    'offer feed url of a script',
    (d) => Object.assign(d.offerFeeds[0] ?? {}, { url: 'javascript:alert(1)' }),
    'offerFeeds[0].url: must be a web address starting with https://, like https://museum.example.org/offers.json',
  ],
  [
    'offer feed over plain http on another computer',
    (d) => Object.assign(d.offerFeeds[0] ?? {}, { url: 'http://museum.example.org/offers.json' }),
    'offerFeeds[0].url: must start with https://: the browser cannot let Linkwell fetch a feed over plain http://, except on this computer (localhost, 127.0.0.1 or [::1])',
  ],
  [
    'offer feed over http on a look-alike of localhost',
    (d) => Object.assign(d.offerFeeds[0] ?? {}, { url: 'http://localhost.example.org/offers.json' }),
    'offerFeeds[0].url: must start with https://: the browser cannot let Linkwell fetch a feed over plain http://, except on this computer (localhost, 127.0.0.1 or [::1])',
  ],
  [
    'offer feed url with a password',
    (d) => Object.assign(d.offerFeeds[0] ?? {}, { url: 'https://me:pw@museum.example.org/offers.json' }),
    'offerFeeds[0].url: must not contain a user name or password',
  ],
  [
    'unknown key in an offer feed',
    (d) => Object.assign(d.offerFeeds[0] ?? {}, { name: 'Museum' }),
    'offerFeeds[0].name: is not a Linkwell setting; check its spelling',
  ],
  [
    'retention of 0 days',
    (d) => Object.assign(d, { retentionDays: 0 }),
    'retentionDays: must be a whole number of days from 1 to 365',
  ],
  [
    'retention of half a day',
    (d) => Object.assign(d, { retentionDays: 30.5 }),
    'retentionDays: must be a whole number of days from 1 to 365',
  ],
  [
    'retention written as text',
    (d) => Object.assign(d, { retentionDays: '30' }),
    'retentionDays: must be a whole number of days from 1 to 365',
  ],
  [
    'a key that is not a plain name',
    (d) => Object.assign(d, { 'link workers': [] }),
    '["link workers"]: is not a Linkwell setting; check its spelling',
  ],
];

describe('settings problems: more ways to break the rules', () => {
  it.each(moreBadDocuments)('%s', (_rule, breakRule, expected) => {
    expect(problemsOf(documentWith(breakRule))).toEqual([expected]);
  });

  it('refuses a document that is not an object', () => {
    expect(problemsOf('settings')).toEqual(['(file): must hold one settings document in curly brackets { }']);
  });

  it('refuses null', () => {
    expect(problemsOf(null)).toEqual(['(file): must hold one settings document in curly brackets { }']);
  });

  it('needs no ODS code when every link worker receives referrals by email', () => {
    const document = documentWith((d) => {
      leaveOut(d.practice, 'odsCode');
      d.linkWorkers.shift();
    });
    expect(problemsOf(document)).toEqual([]);
  });

  it('asks for the ODS code alongside problems elsewhere in the document', () => {
    const document = documentWith((d) => {
      leaveOut(d.practice, 'odsCode');
      Object.assign(d, { retentionDays: 0 });
    });
    expect(problemsOf(document)).toEqual([
      'retentionDays: must be a whole number of days from 1 to 365',
      'practice.odsCode: needed to send referrals by FHIR: the link worker’s system identifies your practice by it. Add the practice’s ODS code, like L84001',
    ]);
  });
});
