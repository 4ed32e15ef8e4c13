import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import hostile from '../../tests/fixtures/feeds/hostile.json';
import hsds3Locations from '../../tests/fixtures/feeds/hsds3-locations.json';
import hsds3Page from '../../tests/fixtures/feeds/hsds3-page.json';
import oruk1Page from '../../tests/fixtures/feeds/oruk1-page.json';
import { readOfferFeed } from './feed-reader';
import { offerSchema } from './offer';
import { parseOfferFeed } from './open-referral';

// The widget reads feeds with `readOfferFeed` alone (no zod, for its size budget). These properties show
// that leaving out `parseOfferFeed`'s final zod check changes nothing: every offer read satisfies the schema.

/** A copy of `value` with the thing at a pseudo-random path replaced. */
function mutate(value: unknown, path: number[], replacement: unknown): unknown {
  const [step, ...rest] = path;
  if (step === undefined || value === null || typeof value !== 'object') return replacement;
  if (Array.isArray(value)) {
    if (!value.length) return replacement;
    const at = step % value.length;
    return value.map((item, i) => (i === at ? mutate(item, rest, replacement) : item));
  }
  const keys = Object.keys(value);
  const key = keys[step % Math.max(keys.length, 1)];
  if (key === undefined) return replacement;
  return { ...value, [key]: mutate((value as Record<string, unknown>)[key], rest, replacement) };
}
const mutated = (seed: unknown) =>
  fc
    .tuple(fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }))
    .map(([path, replacement]) => mutate(seed, path, replacement));

describe('readOfferFeed', () => {
  const check = (json: unknown) => {
    const read = readOfferFeed(json);
    for (const offer of read.offers) expect(z.safeParse(offerSchema, offer).success).toBe(true);
    expect(read).toEqual(parseOfferFeed(json));
  };

  it('reads the fixtures exactly as parseOfferFeed does', () => {
    for (const feed of [hsds3Page, hsds3Locations, oruk1Page, hostile]) check(feed);
  });

  it('returns only offers that satisfy offerSchema, for mutated feeds', () => {
    fc.assert(
      fc.property(
        fc.oneof(mutated(hsds3Page), mutated(hsds3Locations), mutated(oruk1Page), mutated(hostile)),
        check,
      ),
      {
        numRuns: 300,
      },
    );
  });

  it('applies a given last check and counts what fails it', () => {
    const feed = readOfferFeed(hsds3Page, {
      check: (offer) => (offer.name.startsWith('Shared') ? 'name' : undefined),
    });
    expect(feed.offers.map((offer) => offer.name)).not.toContain('Shared Reading Group');
    expect(
      feed.problems.some((problem) => problem.includes('(Shared Reading Group): `name` is not valid')),
    ).toBe(true);
  });
});
