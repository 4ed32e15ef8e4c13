// @vitest-environment happy-dom
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFeed } from '../bench/generate-feed.mjs';
import { INTERNAL_NAMES } from './internal-names';

// The widget build renames these properties. A feed field or a browser property of the same name would be
// renamed too and stop working in the widget only, so none may be either.

/** Every key of every object in `value`. */
function keysOf(value: unknown, keys = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysOf(item, keys);
  else if (value && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) keysOf(child, keys.add(key));
  return keys;
}

describe('INTERNAL_NAMES', () => {
  it('are no field of any feed the widget is tested with', () => {
    const dir = path.resolve('tests/fixtures/feeds');
    const feeds: unknown[] = [
      ...readdirSync(dir).map((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8'))),
      JSON.parse(readFileSync('demo/museum/offers.json', 'utf8')),
      generateFeed(3),
    ];
    const fields = keysOf(feeds);
    expect(fields.size).toBeGreaterThan(50);
    expect(INTERNAL_NAMES.filter((name) => fields.has(name))).toEqual([]);
  });

  it('are no property of the browser objects the widget uses', () => {
    const objects: object[] = [
      document.createElement('input'),
      document.createElement('select'),
      document.createElement('a'),
      document.createElement('div'),
      document.createElement('linkwell-offers'),
      new URL('https://example.org/'),
      new Blob([]),
      new Response(''),
      new AbortController(),
      new AbortController().signal,
      new Event('input'),
      new Date(),
      new Intl.ListFormat('en-GB'),
      // Option names count as much as properties: `{ day: 'numeric' }` renamed is no day at all.
      new Intl.DateTimeFormat('en-GB', {
        weekday: 'long',
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        timeZone: 'UTC',
      }).resolvedOptions(),
      new Request('https://example.org/', { credentials: 'omit' }),
      Object.fromEntries(
        ['childList', 'subtree', 'characterData', 'attributes', 'once', 'mode', 'type'].map((name) => [
          name,
          1,
        ]),
      ),
      new Intl.DateTimeFormat('en-GB'),
      new TextEncoder(),
      new MutationObserver(() => {}),
      new CSSStyleSheet(),
      document,
      window,
      Promise.resolve(),
      new Set(),
      new Map(),
      0,
      /x/.exec('x') ?? [],
      [],
      Object(''),
    ];
    const clashes = INTERNAL_NAMES.filter((name) => objects.some((object) => name in Object(object)));
    expect(clashes).toEqual([]);
  });
});
