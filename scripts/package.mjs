// `npm run package`: the release files, from what `npm run build` wrote.
//   dist/linkwell-chrome-<version>.zip   for the Chrome Web Store and Edge Add-ons
//   dist/linkwell-firefox-<version>.zip  for addons.mozilla.org
//   dist/widget/linkwell-offers-<version>.js, with its Subresource Integrity hash printed for the embed
//   dist/linkwell-widget-<version>.zip   for a museum or library: the widget, the offer builder, and a
//                                        README.txt saying what each file is, with the embed snippet
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

const embedSnippet = `<script src="https://example.org/${versionedName}"
        integrity="${integrity}" crossorigin="anonymous" defer></script>
<linkwell-offers src="https://example.org/offers.json"></linkwell-offers>`;

// What a volunteer reads first on opening the zip, in plain words (the embedding guide has the rest).
const column = (name) => name.padEnd(Math.max(26, versionedName.length + 2));
const widgetReadme = `Linkwell offers widget, version ${version}

Shows your social prescribing offers (walks, groups, classes) on your own website, from one file
of offers that you make and keep up to date yourself.

What each file is
  ${column(versionedName)}the widget. Upload it to your website; the two tags below load it.
  ${column('linkwell-offers.js')}the same file without the version in its name.
  ${column('builder.html')}the offer builder: open it in a web browser, straight from this folder,
  ${column('')}to write your offers and download them as offers.json.
  ${column('builder.js, builder.css')}what builder.html needs beside it (and linkwell-offers.js, for its preview).
  ${column('integrity.json')}the integrity hash below, for tools that read it.
  ${column('README.txt')}this file.

Putting it on your website
  1. Open builder.html, fill in your offers, and download offers.json.
  2. Upload linkwell-offers-${version}.js and offers.json to your website.
  3. Paste these two tags into the page where the offers should appear, with your website's
     address instead of https://example.org/:

${embedSnippet.replace(/^/gm, '     ')}

The integrity="…" part makes visitors' browsers refuse the script if anyone has changed the file.
It belongs to this version only: when you upload a newer version, use the tags from its README.
More help, including colours and fonts: docs/embedding.md in the Linkwell repository.
`;
const widgetFiles = [
  { name: 'README.txt', data: Buffer.from(widgetReadme) },
  ...(await Promise.all(
    (
      await filesUnder(path.join(DIST, 'widget'))
    ).map(async (name) => ({
      name,
      data: await readFile(path.join(DIST, 'widget', name)),
    })),
  )),
];
const widgetZip = createZip(widgetFiles);
const widgetTarget = path.join(DIST, `linkwell-widget-${version}.zip`);
await writeFile(widgetTarget, widgetZip);

const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
console.log(`Linkwell ${version} packages:

  ${path.relative(ROOT, chrome.target)}   ${kB(chrome.bytes)}, ${chrome.count} files (Chrome Web Store, Edge Add-ons; no "key")
  ${path.relative(ROOT, firefox.target)}  ${kB(firefox.bytes)}, ${firefox.count} files (addons.mozilla.org)
  ${path.relative(ROOT, widgetTarget)}   ${kB(widgetZip.length)}, ${widgetFiles.length} files (for a museum or library: widget, offer builder, README.txt)
  dist/widget/${versionedName}

Embed snippet for a pinned widget version (host the file and the feed on your own site; the integrity
hash makes the browser refuse the script if it was changed):

${embedSnippet.replace(/^/gm, '  ')}
`);
