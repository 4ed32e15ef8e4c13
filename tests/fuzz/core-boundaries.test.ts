import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { refusalReason } from '../../src/core/delivery-policy';
import { offerSchema } from '../../src/core/offer';
import { parseOfferFeed } from '../../src/core/open-referral';
import { parseReferral } from '../../src/core/referral';
import { parseSettings, parseSettingsText } from '../../src/core/settings';
import hsds3Page from '../fixtures/feeds/hsds3-page.json';
import oruk1Page from '../fixtures/feeds/oruk1-page.json';
import { fullReferral } from '../fixtures/referrals';
import { mutationOf } from './mutate';
import { count, FUZZ_RUNS, tried } from './runs';

// Every boundary where outside data enters: arbitrary and mutated inputs must never throw out of it,
// and must always come back as a valid value or a clear problem.

const contractSettings = {
  version: 1,
  practice: { name: 'Severnside Surgery', odsCode: 'L84001' },
  linkWorkers: [
    {
      id: 'pcn-lw',
      name: 'Severnside PCN link worker',
      delivery: { method: 'fhir', endpoint: 'https://sp.example.org/fhir/$process-message', token: 't' },
    },
    { id: 'vcs', name: 'Community Connections', delivery: { method: 'email', to: 'connections@nhs.net' } },
  ],
  recordSites: [{ origin: 'https://gp.example.nhs.uk', selectors: { nhsNumber: '#banner .nhs' } }],
  offerFeeds: [{ url: 'https://museum.example.org/offers.json' }],
  retentionDays: 30,
};

const problemsAreClear = (problems: { path: string; message: string }[]) =>
  problems.length > 0 &&
  problems.every((problem) => typeof problem.path === 'string' && problem.message.trim().length > 3);

/** How many services a feed holds, by the shapes CONTRACT.md section 5 accepts; undefined when none fits. */
function servicesIn(json: unknown): number | undefined {
  if (Array.isArray(json)) return json.length;
  if (typeof json !== 'object' || json === null) return undefined;
  const page = json as Record<string, unknown>;
  if (Array.isArray(page.contents)) return page.contents.length;
  if (Array.isArray(page.content)) return page.content.length;
  return 'name' in page && !('contents' in page) && !('content' in page) ? 1 : undefined;
}

describe('offer feed parser', () => {
  const check = (json: unknown) => {
    count('offer feed');
    const feed = parseOfferFeed(json);
    for (const offer of feed.offers) expect(z.safeParse(offerSchema, offer).success).toBe(true);
    for (const problem of feed.problems) expect(problem.trim().length).toBeGreaterThan(15);
    const services = servicesIn(json);
    if (services === undefined) {
      // Not a feed at all: said so, in words, and nothing shown.
      expect(feed.format).toBe('unknown');
      expect(feed.offers).toEqual([]);
      expect(feed.problems[0]).toMatch(/not an Open Referral UK offers feed/);
      return;
    }
    expect(feed.format).not.toBe('unknown');
    // Every service is accounted for: shown, left out as inactive, or skipped with a problem.
    expect(feed.offers.length + feed.skipped + feed.inactive).toBe(services);
    expect(feed.problems.length).toBeGreaterThanOrEqual(Math.min(feed.skipped, 51));
    if (feed.skipped > 0) count('offer feed: services skipped with a problem');
    if (feed.offers.length > 0) count('offer feed: offers shown');
  };
  it('answers any JSON value with valid offers, or a problem in words for what it left out', () => {
    fc.assert(fc.property(fc.jsonValue(), check), { numRuns: FUZZ_RUNS });
  });
  it('answers mutated HSDS 3.0 and ORUK 1.0 pages with valid offers, or a problem for each service left out', () => {
    fc.assert(fc.property(fc.oneof(mutationOf(hsds3Page), mutationOf(oruk1Page)), check), {
      numRuns: FUZZ_RUNS,
    });
  });
});

describe('settings importer', () => {
  const check = (result: ReturnType<typeof parseSettings>) => {
    count('settings import');
    if (result.ok) expect(parseSettings(result.settings)).toEqual(result);
    else expect(problemsAreClear(result.problems)).toBe(true);
  };
  it('answers any text with settings or a list of problems', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => check(parseSettingsText(text))),
      {
        numRuns: FUZZ_RUNS,
      },
    );
  });
  it('answers mutated settings documents with settings or a list of problems', () => {
    fc.assert(
      fc.property(mutationOf(contractSettings), (document) => check(parseSettings(document))),
      {
        numRuns: FUZZ_RUNS,
      },
    );
  });
});

describe('referral check', () => {
  it('answers mutated referrals with a referral or a list of problems', () => {
    fc.assert(
      fc.property(mutationOf(fullReferral), (input) => {
        count('referral');
        const result = parseReferral(input);
        if (result.ok) expect(parseReferral(result.referral).ok).toBe(true);
        else expect(problemsAreClear(result.problems)).toBe(true);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe("receiver's refusal", () => {
  it('always gives a short, printable reason', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 400, max: 499 }),
        fc.string(),
        fc.oneof(fc.string(), fc.json()),
        (status, text, body) => {
          count('refusal reason');
          const reason = refusalReason(status, text, body);
          expect(reason.length).toBeGreaterThan(0);
          expect(reason.length).toBeLessThanOrEqual(500);
          // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is that none get through
          expect(reason).not.toMatch(/[\u0000-\u001f\u007f]/);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

afterAll(() => {
  if (process.env.FUZZ_RUNS) {
    for (const [boundary, inputs] of tried)
      process.stdout.write(`fuzz: ${boundary}: ${inputs} inputs tried\n`);
  }
});
