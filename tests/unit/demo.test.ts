import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isValidNhsNumber } from '../../src/core/nhs-number';
import { parseSettings } from '../../src/core/settings';

// The demo files a newcomer imports and sees: they must be what Linkwell itself accepts.

const settingsText = readFileSync('demo/settings.json', 'utf8');
const startScript = readFileSync('demo/start.mjs', 'utf8');
const recordScript = readFileSync('demo/record/record.js', 'utf8');

/** The default port start.mjs gives a server, read from its source. */
function defaultPort(variable: string): number {
  const match = new RegExp(`'${variable}', (\\d+)\\)`).exec(startScript);
  if (!match?.[1]) throw new Error(`no default for ${variable} in demo/start.mjs`);
  return Number(match[1]);
}

describe('demo/settings.json', () => {
  it('imports without a problem', () => {
    const result = parseSettings(JSON.parse(settingsText));
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('points at the demo servers on their default ports', () => {
    const result = parseSettings(JSON.parse(settingsText));
    if (!result.ok) throw new Error('settings did not parse');
    const { settings } = result;
    expect(settings.recordSites.map((site) => site.origin)).toEqual([
      `http://127.0.0.1:${defaultPort('LINKWELL_DEMO_RECORD_PORT')}`,
    ]);
    expect(settings.offerFeeds.map((feed) => feed.url)).toEqual([
      `http://127.0.0.1:${defaultPort('LINKWELL_DEMO_MUSEUM_PORT')}/offers.json`,
    ]);
    const fhir = settings.linkWorkers.filter((linkWorker) => linkWorker.delivery.method === 'fhir');
    expect(fhir.map((linkWorker) => linkWorker.delivery)).toEqual([
      {
        method: 'fhir',
        endpoint: `http://127.0.0.1:${defaultPort('LINKWELL_DEMO_INBOX_PORT')}/fhir/$process-message`,
        token: 'demo-inbox-token',
      },
    ]);
    expect(startScript).toContain("const INBOX_TOKEN = 'demo-inbox-token';");
  });

  it('has one FHIR and one email link worker', () => {
    const result = parseSettings(JSON.parse(settingsText));
    if (!result.ok) throw new Error('settings did not parse');
    expect(result.settings.linkWorkers.map((linkWorker) => linkWorker.delivery.method)).toEqual([
      'fhir',
      'email',
    ]);
  });
});

describe('demo/record patients', () => {
  const nhsNumbers = [...recordScript.matchAll(/nhsNumber: '(\d+)'/g)].map((match) => match[1] ?? '');

  it('are four fictional patients with test NHS numbers that pass Modulus 11', () => {
    expect(nhsNumbers).toHaveLength(4);
    for (const nhsNumber of nhsNumbers) {
      // The 999 range is never issued to real patients.
      expect(nhsNumber).toMatch(/^999\d{7}$/);
      expect(isValidNhsNumber(nhsNumber), nhsNumber).toBe(true);
    }
    expect(new Set(nhsNumbers).size).toBe(4);
  });
});
