import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

// Mozilla's addons-linter (the checks addons.mozilla.org runs on upload), run as its command line does.

const run = promisify(execFile);
const LINTER = path.resolve('node_modules/addons-linter/bin/addons-linter');

const lintMessage = z.object({ code: z.string(), message: z.string(), file: z.string().optional() });
const lintReport = z.object({
  summary: z.object({ errors: z.number(), warnings: z.number(), notices: z.number() }),
  errors: z.array(lintMessage),
  warnings: z.array(lintMessage),
  notices: z.array(lintMessage),
});
export type LintReport = z.infer<typeof lintReport>;

/** Runs addons-linter on a folder or zip and returns its JSON report (it exits 1 when it finds errors). */
export async function addonsLint(target: string): Promise<LintReport> {
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, [LINTER, '--output', 'json', '--boring', target], {
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (error) {
    const output = (error as { stdout?: unknown }).stdout;
    if (typeof output !== 'string' || output === '') throw error;
    stdout = output;
  }
  return lintReport.parse(JSON.parse(stdout));
}
