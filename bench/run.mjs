// The benchmark suite (`npm run bench`, after a build): runs every bench/*.bench.mjs in turn, prints one
// line per figure and writes them all to bench/results.json. Exits non-zero when a figure is over budget.
//
// A bench file exports `async function run({ record })` and calls, for each figure,
//   record(name, value, unit, budget?)  budget: the most allowed, as a number or { max, text }

import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const files = (await readdir(here)).filter((file) => file.endsWith('.bench.mjs')).sort();
const figures = {};
let over = 0;

for (const file of files) {
  const bench = await import(pathToFileURL(path.join(here, file)).href);
  const record = (name, value, unit, limit) => {
    const budget = typeof limit === 'number' ? { max: limit, text: `≤ ${limit} ${unit}` } : limit;
    const rounded = Math.round(value * 100) / 100;
    const within = budget ? value <= budget.max : undefined;
    if (within === false) over += 1;
    figures[name] = { value: rounded, unit, bench: file, ...(budget ? { budget: budget.text, within } : {}) };
    const verdict = budget ? ` (budget ${budget.text}: ${within ? 'ok' : 'OVER'})` : '';
    console.log(`${name}: ${rounded} ${unit}${verdict}`);
  };
  await bench.run({ record });
}

const results = { date: new Date().toISOString(), node: process.version, figures };
await writeFile(path.join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${Object.keys(figures).length} figures written to bench/results.json`);
if (over) {
  console.error(`${over} figure(s) over budget`);
  process.exitCode = 1;
}
