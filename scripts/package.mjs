// `npm run package`: the release files, from what `npm run build` wrote.
//   dist/linkwell-chrome-<version>.zip   for the Chrome Web Store and Edge Add-ons
//   dist/linkwell-firefox-<version>.zip  for addons.mozilla.org
//   dist/widget/linkwell-offers-<version>.js, with its Subresource Integrity hash printed for the embed
// The version is package.json's, as in the manifests.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createZip } from './zip.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));

/** Every file under `dir`, as `/`-separated paths relative to it, in a stable order. */
async function filesUnder(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((name) => !name.split('/').some((part) => part.startsWith('.')))
    .sort();
}

/**
 * Zips one built extension with manifest.json first (stores read it first) and returns the zip's size.
 * @param {string} browser
 * @param {(manifest: Record<string, unknown>) => Record<string, unknown>} prepareManifest
 */
async function packageExtension(browser, prepareManifest) {
  const dir = path.join(DIST, browser);
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(`dist/${browser}/manifest.json is missing: run \`npm run build\` first.`);
  }
  const manifest = prepareManifest(JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')));
  if (manifest.version !== version) {
    throw new Error(`dist/${browser} is version ${manifest.version}, package.json says ${version}: rebuild.`);
  }
  const files = [{ name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) }];
  for (const name of await filesUnder(dir)) {
    if (name !== 'manifest.json') files.push({ name, data: await readFile(path.join(dir, name)) });
  }
  const zip = createZip(files);
  const target = path.join(DIST, `linkwell-${browser}-${version}.zip`);
  await writeFile(target, zip);
  return { target, bytes: zip.length, count: files.length };
}

const chrome = await packageExtension('chrome', (manifest) => {
  // `key` pins the extension id for unpacked installs (development, tests, policy trials). The Chrome
  // Web Store refuses an upload that has one ("key field is not allowed in manifest") and gives the
  // listing its own id, so the store copy leaves it out; dist/chrome keeps it.
  const { key: _key, ...rest } = manifest;
  return rest;
});
const firefox = await packageExtension('firefox', (manifest) => manifest);

// The widget, once as `linkwell-offers.js` (always the latest) and once with its version in the name,
// so a site can pin one version and check it with Subresource Integrity.
const widget = path.join(DIST, 'widget', 'linkwell-offers.js');
if (!existsSync(widget))
  throw new Error('dist/widget/linkwell-offers.js is missing: run `npm run build` first.');
const versionedName = `linkwell-offers-${version}.js`;
await copyFile(widget, path.join(DIST, 'widget', versionedName));
const integrity = `sha384-${createHash('sha384')
  .update(await readFile(widget))
  .digest('base64')}`;
await writeFile(
  path.join(DIST, 'widget', 'integrity.json'),
  `${JSON.stringify({ [versionedName]: integrity, 'linkwell-offers.js': integrity }, null, 2)}\n`,
);

const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
console.log(`Linkwell ${version} packages:

  ${path.relative(ROOT, chrome.target)}   ${kB(chrome.bytes)}, ${chrome.count} files (Chrome Web Store, Edge Add-ons; no "key")
  ${path.relative(ROOT, firefox.target)}  ${kB(firefox.bytes)}, ${firefox.count} files (addons.mozilla.org)
  dist/widget/${versionedName}

Embed snippet for a pinned widget version (host the file and the feed on your own site; the integrity
hash makes the browser refuse the script if it was changed):

  <script src="https://example.org/${versionedName}"
          integrity="${integrity}" crossorigin="anonymous" defer></script>
  <linkwell-offers src="https://example.org/offers.json"></linkwell-offers>
`);
