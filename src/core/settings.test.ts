import { describe, expect, it } from 'vitest';
import {
  exportSettings,
  fhirDeliveryProblems,
  formatSettingsProblem,
  isGrantableAddress,
  migrateSettingsDocument,
  parseSettings,
  parseSettingsText,
  type Settings,
  type SettingsMigration,
  settingsJsonSchema,
  settingsMigrations,
} from './settings';

// The example document of CONTRACT.md section 2, as a practice manager would write it.
const contractExample = {
  version: 1,
  practice: { name: 'Severnside Surgery', odsCode: 'L84001' },
  linkWorkers: [
    {
      id: 'pcn-lw',
      name: 'Severnside PCN link worker',
      role: 'Social Prescribing Link Worker',
      organisation: 'Severnside PCN',
      email: 'severnside.linkworker@nhs.net',
      phone: '01453 000000',
      delivery: { method: 'fhir', endpoint: 'https://sp.example.org/fhir/$process-message', token: '...' },
    },
    {
      id: 'vcs',
      name: 'Community Connections',
      organisation: 'For All Healthy Living Centre',
      delivery: { method: 'email', to: 'connections@nhs.net' },
    },
  ],
  recordSites: [
    {
      origin: 'https://gp.example.nhs.uk',
      label: 'Clinical system',
      selectors: { nhsNumber: '#banner .nhs', name: '#banner .name', birthDate: '#banner .dob' },
    },
  ],
  offerFeeds: [{ url: 'https://museum.example.org/offers.json', label: 'Museum' }],
  retentionDays: 30,
};

function settingsOf(document: unknown): Settings {
  const result = parseSettings(document);
  if (!result.ok) throw new Error(result.problems.map(formatSettingsProblem).join('\n'));
  return result.settings;
}

describe('parseSettings: documents that fit', () => {
  it('accepts the contract example unchanged', () => {
    expect(parseSettings(contractExample)).toEqual({ ok: true, settings: contractExample });
  });

  it('fills in empty lists and 30 retention days when they are left out', () => {
    expect(settingsOf({ version: 1, practice: { name: 'Severnside Surgery' } })).toEqual({
      version: 1,
      practice: { name: 'Severnside Surgery' },
      linkWorkers: [],
      recordSites: [],
      offerFeeds: [],
      retentionDays: 30,
    });
  });

  it('trims the practice name', () => {
    expect(settingsOf({ version: 1, practice: { name: '  Severnside Surgery ' } }).practice.name).toBe(
      'Severnside Surgery',
    );
  });

  it('upper-cases the ODS code', () => {
    expect(settingsOf({ version: 1, practice: { name: 'S', odsCode: 'l84001' } }).practice.odsCode).toBe(
      'L84001',
    );
  });

  it.each([
    'http://localhost/fhir',
    'http://localhost:8080/fhir/$process-message',
    'http://127.0.0.1:3000/fhir',
    'http://[::1]:3000/fhir',
  ])('accepts the test receiver on this computer at %s', (endpoint) => {
    const linkWorkers = [{ id: 'demo', name: 'Demo inbox', delivery: { method: 'fhir', endpoint } }];
    const practice = { name: 'S', odsCode: 'L84001' };
    expect(parseSettings({ version: 1, practice, linkWorkers }).ok).toBe(true);
  });

  it.each([
    'http://localhost:8452/offers.json',
    'http://127.0.0.1:8452/offers.json',
    'http://[::1]/offers.json',
  ])('accepts an offer feed on this computer at %s', (url) => {
    expect(parseSettings({ version: 1, practice: { name: 'S' }, offerFeeds: [{ url }] }).ok).toBe(true);
  });

  it('accepts link workers who all receive email without an ODS code', () => {
    const linkWorkers = [{ id: 'vcs', name: 'VCS', delivery: { method: 'email', to: 'vcs@nhs.net' } }];
    expect(parseSettings({ version: 1, practice: { name: 'S' }, linkWorkers }).ok).toBe(true);
  });

  it('accepts a record site with a port', () => {
    const recordSites = [{ origin: 'http://localhost:5173' }];
    expect(parseSettings({ version: 1, practice: { name: 'S' }, recordSites }).ok).toBe(true);
  });

  it('accepts a record site without selectors', () => {
    const recordSites = [{ origin: 'https://gp.example.nhs.uk' }];
    expect(settingsOf({ version: 1, practice: { name: 'S' }, recordSites }).recordSites).toEqual(recordSites);
  });

  it('accepts retention of 1 and of 365 days', () => {
    expect(settingsOf({ version: 1, practice: { name: 'S' }, retentionDays: 1 }).retentionDays).toBe(1);
    expect(settingsOf({ version: 1, practice: { name: 'S' }, retentionDays: 365 }).retentionDays).toBe(365);
  });
});

describe('parseSettingsText', () => {
  it('reads a settings file', () => {
    expect(parseSettingsText(JSON.stringify(contractExample))).toEqual({
      ok: true,
      settings: contractExample,
    });
  });

  it('reads a file that starts with a byte order mark', () => {
    expect(parseSettingsText(`\uFEFF${JSON.stringify(contractExample)}`).ok).toBe(true);
  });

  it('refuses an empty file', () => {
    expect(parseSettingsText('')).toEqual({
      ok: false,
      problems: [{ path: '(file)', message: 'is empty; a settings file holds JSON text' }],
    });
  });

  it('refuses a file of only blank lines as empty', () => {
    expect(parseSettingsText('\n  \n')).toEqual({
      ok: false,
      problems: [{ path: '(file)', message: 'is empty; a settings file holds JSON text' }],
    });
  });

  it('refuses text that is not JSON, saying where', () => {
    expect(parseSettingsText('{\n  "version": 1,\n}')).toEqual({
      ok: false,
      problems: [
        {
          path: '(file)',
          message:
            'is not valid JSON near line 3, column 1; look for a missing or extra comma, quote mark or bracket',
        },
      ],
    });
  });

  it('refuses a file that holds a list instead of a document', () => {
    expect(parseSettingsText('[]')).toEqual({
      ok: false,
      problems: [{ path: '(file)', message: 'must hold one settings document in curly brackets { }' }],
    });
  });

  it('passes a JSON document on to be checked', () => {
    expect(parseSettingsText('{ "version": 1, "practice": {} }')).toEqual({
      ok: false,
      problems: [{ path: 'practice.name', message: 'is missing' }],
    });
  });
});

describe('formatSettingsProblem', () => {
  it('writes the path, a colon and the message', () => {
    expect(
      formatSettingsProblem({ path: 'linkWorkers[0].delivery.endpoint', message: 'must be https' }),
    ).toBe('linkWorkers[0].delivery.endpoint: must be https');
  });
});

describe('migrations', () => {
  it('reads a document without a version as version 1', () => {
    expect(settingsOf({ practice: { name: 'Severnside Surgery' } }).version).toBe(1);
  });

  it('holds one step today: from an unversioned document to version 1', () => {
    expect(settingsMigrations.map(({ from, to }) => ({ from, to }))).toEqual([{ from: 0, to: 1 }]);
  });

  it('refuses a document from a newer version of Linkwell, with only that problem', () => {
    expect(parseSettings({ ...contractExample, version: 2, newSetting: true })).toEqual({
      ok: false,
      problems: [
        {
          path: 'version',
          message:
            'this file was made by a newer version of Linkwell (settings format 2); this version reads format 1. ' +
            'Update Linkwell, or export the settings from this version instead',
        },
      ],
    });
  });

  it('does not migrate an explicit version 0', () => {
    expect(parseSettings({ version: 0, practice: { name: 'S' } })).toEqual({
      ok: false,
      problems: [{ path: 'version', message: 'must be 1' }],
    });
  });

  it('does not migrate a version written as text', () => {
    expect(parseSettings({ version: '1', practice: { name: 'S' } })).toEqual({
      ok: false,
      problems: [{ path: 'version', message: 'must be 1' }],
    });
  });

  // A made-up history for testing the mechanism: format 1 had `practiceName`, format 2 a `practice`
  // object, format 3 renamed `days` to `retentionDays`.
  const history: SettingsMigration[] = [
    { from: 0, to: 1, migrate: (document) => ({ version: 1, ...document }) },
    {
      from: 1,
      to: 2,
      migrate: ({ practiceName, ...rest }) => ({ ...rest, version: 2, practice: { name: practiceName } }),
    },
    { from: 2, to: 3, migrate: ({ days, ...rest }) => ({ ...rest, version: 3, retentionDays: days }) },
  ];

  it('applies every step in order from the document’s version', () => {
    expect(migrateSettingsDocument({ version: 1, practiceName: 'S', days: 7 }, history, 3)).toEqual({
      ok: true,
      document: { version: 3, practice: { name: 'S' }, retentionDays: 7 },
    });
  });

  it('starts an unversioned document at the first step', () => {
    expect(migrateSettingsDocument({ practiceName: 'S', days: 7 }, history, 3)).toEqual({
      ok: true,
      document: { version: 3, practice: { name: 'S' }, retentionDays: 7 },
    });
  });

  it('leaves a current document as it is', () => {
    const document = { version: 3, practice: { name: 'S' } };
    expect(migrateSettingsDocument(document, history, 3)).toEqual({ ok: true, document });
  });

  it('stops where no step continues, leaving the version for the schema to refuse', () => {
    expect(migrateSettingsDocument({ version: 2, days: 7 }, history.slice(0, 2), 3)).toEqual({
      ok: true,
      document: { version: 2, days: 7 },
    });
  });

  it('does not change the document it was given', () => {
    const document = { version: 1, practiceName: 'S', days: 7 };
    migrateSettingsDocument(document, history, 3);
    expect(document).toEqual({ version: 1, practiceName: 'S', days: 7 });
  });

  it('refuses a step that does not move forward, as a programming mistake', () => {
    const backwards: SettingsMigration[] = [{ from: 1, to: 1, migrate: (document) => ({ ...document }) }];
    expect(() => migrateSettingsDocument({ version: 1 }, backwards, 2)).toThrow(/must move forward/);
  });

  it('leaves anything that is not a document for the schema to report', () => {
    expect(migrateSettingsDocument('text')).toEqual({ ok: true, document: 'text' });
  });
});

describe('exportSettings', () => {
  const settings = settingsOf(contractExample);

  it('leaves tokens out by default', () => {
    const exported = exportSettings(settings, { includeTokens: false });
    expect(exported.linkWorkers[0]?.delivery).toEqual({
      method: 'fhir',
      endpoint: 'https://sp.example.org/fhir/$process-message',
    });
  });

  it('includes tokens when asked', () => {
    const exported = exportSettings(settings, { includeTokens: true });
    expect(exported.linkWorkers[0]?.delivery).toEqual({
      method: 'fhir',
      endpoint: 'https://sp.example.org/fhir/$process-message',
      token: '...',
    });
  });

  it('does not change the settings in force', () => {
    exportSettings(settings, { includeTokens: false });
    expect(settings).toEqual(contractExample);
  });

  it('gives back the same settings when the export is imported, tokens included', () => {
    const text = JSON.stringify(exportSettings(settings, { includeTokens: true }), null, 2);
    expect(parseSettingsText(text)).toEqual({ ok: true, settings });
  });

  it('gives back the same settings apart from tokens when tokens are left out', () => {
    const text = JSON.stringify(exportSettings(settings, { includeTokens: false }));
    const reimported = parseSettingsText(text);
    expect(reimported.ok && reimported.settings).toEqual({
      ...settings,
      linkWorkers: [
        {
          ...contractExample.linkWorkers[0],
          delivery: { method: 'fhir', endpoint: 'https://sp.example.org/fhir/$process-message' },
        },
        contractExample.linkWorkers[1],
      ],
    });
  });
});

type SchemaNode = Record<string, unknown>;

// Whether Chrome's policy parser takes the schema itself is checked in Chrome, not by a copy of its
// rules here: tests/e2e/options-policy.e2e.ts loads it as the manifest's managed_schema, sends the
// policy through a real policy file and finds every value arrive unchanged, with chrome://policy OK.

// Checks a value against the subset of JSON Schema the generator writes, as Chrome does before publishing a policy.
function fitsSchema(value: unknown, node: SchemaNode): boolean {
  switch (node.type) {
    case 'string':
      return (
        typeof value === 'string' &&
        (!Array.isArray(node.enum) || node.enum.includes(value)) &&
        (typeof node.pattern !== 'string' || new RegExp(node.pattern).test(value))
      );
    case 'integer':
      return (
        Number.isInteger(value) &&
        (!Array.isArray(node.enum) || node.enum.includes(value)) &&
        (typeof node.minimum !== 'number' || (value as number) >= node.minimum) &&
        (typeof node.maximum !== 'number' || (value as number) <= node.maximum)
      );
    case 'array':
      return Array.isArray(value) && value.every((item) => fitsSchema(item, node.items as SchemaNode));
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      const properties = (node.properties ?? {}) as Record<string, SchemaNode>;
      const required = (node.required ?? []) as string[];
      return (
        required.every((name) => name in value) &&
        Object.entries(value).every(([name, child]) => {
          const childSchema = properties[name];
          return childSchema !== undefined && fitsSchema(child, childSchema);
        })
      );
    }
    default:
      return false;
  }
}

describe('isGrantableAddress', () => {
  it.each([
    'https://sp.example.org/fhir/$process-message',
    'https://museum.example.org:8443/offers.json',
    'http://localhost:8453/fhir',
    'http://127.0.0.1:8451',
    'http://[::1]:3000/fhir',
  ])('is true for %s, which the manifest’s optional_host_permissions cover', (address) => {
    expect(isGrantableAddress(address)).toBe(true);
  });

  it.each([
    'http://museum.example.org/offers.json',
    'http://localhost.example.org/fhir',
    'http://192.168.1.20/fhir',
    'ftp://museum.example.org/offers.json',
    'https://me:pw@sp.example.org/fhir',
    'not an address',
  ])('is false for %s, which the browser could never grant', (address) => {
    expect(isGrantableAddress(address)).toBe(false);
  });
});

describe('fhirDeliveryProblems', () => {
  it('finds nothing wrong with a good endpoint and token', () => {
    expect(
      fhirDeliveryProblems({ method: 'fhir', endpoint: 'https://sp.example.org/fhir', token: 't' }),
    ).toEqual([]);
  });

  it('gives the same words as a settings document, at paths inside the delivery', () => {
    expect(
      fhirDeliveryProblems({ method: 'fhir', endpoint: 'http://sp.example.org/fhir', token: ' ' }),
    ).toEqual([
      { path: 'endpoint', message: 'must be https' },
      {
        path: 'token',
        message: 'must not be empty (leave the setting out if there is nothing to put)',
      },
    ]);
  });
});

describe('settingsJsonSchema', () => {
  const schema = settingsJsonSchema();

  it('is an object at the top with no additionalProperties, as Chrome requires', () => {
    expect(schema.type).toBe('object');
    expect(schema).not.toHaveProperty('additionalProperties');
  });

  it('describes every top-level setting', () => {
    expect(Object.keys(schema.properties as SchemaNode)).toEqual([
      'version',
      'practice',
      'linkWorkers',
      'recordSites',
      'offerFeeds',
      'retentionDays',
    ]);
  });

  it('makes delivery one object whose method is "fhir" or "email"', () => {
    const linkWorker = ((schema.properties as SchemaNode).linkWorkers as SchemaNode).items as SchemaNode;
    const delivery = (linkWorker.properties as SchemaNode).delivery as SchemaNode;
    expect(delivery.required).toEqual(['method']);
    expect((delivery.properties as SchemaNode).method).toEqual({ type: 'string', enum: ['fhir', 'email'] });
    expect(Object.keys(delivery.properties as SchemaNode)).toEqual(['method', 'endpoint', 'token', 'to']);
  });

  it('marks the token as sensitive so chrome://policy masks it', () => {
    const linkWorker = ((schema.properties as SchemaNode).linkWorkers as SchemaNode).items as SchemaNode;
    const delivery = (linkWorker.properties as SchemaNode).delivery as SchemaNode;
    expect((delivery.properties as SchemaNode).token).toMatchObject({ type: 'string', sensitiveValue: true });
  });

  it('keeps the retention range', () => {
    expect((schema.properties as SchemaNode).retentionDays).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 365,
    });
  });

  it('lets a policy leave out the version, as an import may', () => {
    expect(schema.required).toEqual(['practice']);
  });

  it('accepts the contract example, so Chrome publishes it as policy', () => {
    expect(fitsSchema(contractExample, schema)).toBe(true);
  });

  it('accepts what parseSettings accepts for the smallest document', () => {
    expect(fitsSchema({ practice: { name: 'S' } }, schema)).toBe(true);
  });

  it('survives a JSON round trip, as it is written to settings.schema.json', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
