import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addonsLint, type LintReport } from './support/addons-lint';

// Mozilla's addons-linter is what addons.mozilla.org runs on every upload: the Firefox build must pass it
// with no errors. Warnings are printed so they stay visible.

function describeMessages(kind: string, messages: LintReport['errors']): string[] {
  return messages.map(
    (message) => `${kind} ${message.code}${message.file ? ` (${message.file})` : ''}: ${message.message}`,
  );
}

describe('addons-linter on dist/firefox', () => {
  it('finds no errors', async () => {
    const report = await addonsLint(path.resolve('dist/firefox'));
    const lines = [
      ...describeMessages('warning', report.warnings),
      ...describeMessages('notice', report.notices),
    ];
    console.log(
      `addons-linter: ${report.summary.errors} errors, ${report.summary.warnings} warnings, ${report.summary.notices} notices` +
        (lines.length ? `\n  ${lines.join('\n  ')}` : ''),
    );
    expect(describeMessages('error', report.errors)).toEqual([]);
    // Reviewers on addons.mozilla.org ask about every use of eval, even one that never runs.
    expect(report.warnings.filter((warning) => warning.code === 'DANGEROUS_EVAL')).toEqual([]);
  });
});
