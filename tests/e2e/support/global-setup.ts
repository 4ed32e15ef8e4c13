import { existsSync } from 'node:fs';
import { chromiumPath } from './browser';

/** Fails the whole run early, with the fix in words, when the build or the browser is missing. */
export default function checkPrerequisites(): void {
  chromiumPath();
  for (const output of [
    'dist/chrome/manifest.json',
    'dist/firefox/manifest.json',
    'dist/widget/linkwell-offers.js',
  ]) {
    if (!existsSync(output))
      throw new Error(`${output} is missing: run \`npm run build\` first (npm test does).`);
  }
}
