import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The hazard log (docs/clinical-safety.md) names, for each control, the tests that prove it, by their
// exact titles: `file › describe › test`. A test renamed, moved or deleted must not leave the log
// pointing at nothing, so every citation is checked against the test files themselves.

const LOG = readFileSync(path.resolve('docs/clinical-safety.md'), 'utf8');

/** Every `file › describe › … › test` citation in the log. */
const citations = [...LOG.matchAll(/`((?:src|tests|widget)\/[^`]+ › [^`]+)`/g)].map(
  (match) => match[1] as string,
);

interface Titles {
  describes: RegExp[];
  tests: RegExp[];
}

/**
 * The titles a test file gives to `describe` and `it`/`test` (`.each` too), each as a pattern: a
 * `${…}` in a template title, or a `%s` of `.each`, stands for whatever it is filled with when run.
 */
function titlesIn(file: string): Titles {
  const source = readFileSync(path.resolve(file), 'utf8');
  const call =
    /\b(describe|it|test)(?:\.each\([\s\S]*?\))?\(\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`)/g;
  const titles: Titles = { describes: [], tests: [] };
  for (const [, kind, literal = ''] of source.matchAll(call)) {
    const text = literal.slice(1, -1).replace(/\\(.)/g, '$1');
    const pattern = text
      .split(/\$\{[^}]*\}|%[sdijo]/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+?');
    (kind === 'describe' ? titles.describes : titles.tests).push(new RegExp(`^${pattern}$`));
  }
  return titles;
}

describe('the hazard log’s evidence', () => {
  it('cites tests for every hazard', () => {
    const rows = LOG.split('\n').filter((line) => /^\| H\d+ \|/.test(line));
    expect(rows.length).toBeGreaterThanOrEqual(11);
    for (const row of rows) expect(row.includes(' › '), row.slice(0, 60)).toBe(true);
    expect(citations.length).toBeGreaterThan(40);
  });

  it.each(citations)('cites a test that exists: %s', (citation) => {
    const [file = '', ...titles] = citation.split(' › ');
    expect(existsSync(path.resolve(file)), `${file} exists`).toBe(true);
    const test = titles.pop() ?? '';
    const found = titlesIn(file);
    expect(titles.length, 'a describe and a test').toBeGreaterThanOrEqual(1);
    for (const title of titles) {
      expect(
        found.describes.some((pattern) => pattern.test(title)),
        `describe "${title}" in ${file}`,
      ).toBe(true);
    }
    expect(
      found.tests.some((pattern) => pattern.test(test)),
      `test "${test}" in ${file}`,
    ).toBe(true);
  });

  it('would notice a title that is not there', () => {
    const found = titlesIn('tests/e2e/faults.e2e.ts');
    expect(found.tests.some((pattern) => pattern.test('sends every referral twice'))).toBe(false);
    expect(
      found.describes.some((pattern) =>
        pattern.test('a soak of 200 referrals through an unreliable receiver'),
      ),
    ).toBe(true);
  });
});
