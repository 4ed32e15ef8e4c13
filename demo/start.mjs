// `npm start`: the local demo (CONTRACT.md section 6). Serves, on 127.0.0.1 only, a demo clinical
// record, the demo museum site with the offers widget, and a demo link-worker inbox that receives the
// FHIR referrals; prints their addresses and how to load the extension and import the demo settings.
// `npm start -- --open` also launches Chromium (or Chrome for Testing) with the extension and the demo
// settings loaded.
// Ctrl-C stops the servers and the browser it launched.
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeServer, listenOnLoopback, sendText, serveStatic } from './http.mjs';
import { createInbox, FHIR_PATH } from './inbox/inbox-server.mjs';

const DEMO = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(DEMO, '..');
const DIST_CHROME = path.join(ROOT, 'dist/chrome');
const WIDGET_DIR = path.join(ROOT, 'dist/widget');
const MUSEUM_DIR = path.join(DEMO, 'museum');
const SETTINGS_FILE = path.join(DEMO, 'settings.json');
// The token demo/settings.json gives the FHIR link worker; the inbox refuses messages without it.
const INBOX_TOKEN = 'demo-inbox-token';

// Fixed ports, so demo/settings.json works as it is; each can be moved with an environment variable
// (the end-to-end test does, so it never meets a demo someone left running).
const ports = {
  record: portFromEnv('LINKWELL_DEMO_RECORD_PORT', 8451),
  museum: portFromEnv('LINKWELL_DEMO_MUSEUM_PORT', 8452),
  inbox: portFromEnv('LINKWELL_DEMO_INBOX_PORT', 8453),
};
const wantsBrowser = process.argv.includes('--open');

function portFromEnv(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${name} must be a port number from 0 to 65535, not "${value}".`);
    process.exit(2);
  }
  return port;
}

for (const [file, what] of [
  [path.join(DIST_CHROME, 'manifest.json'), 'the Chrome extension'],
  [path.join(WIDGET_DIR, 'linkwell-offers.js'), 'the offers widget'],
]) {
  if (!existsSync(file)) {
    console.error(
      `${path.relative(ROOT, file)} is missing (${what}). Run \`npm run build\` first; \`npm start\` does.`,
    );
    process.exit(1);
  }
}

/** @type {{ record: string; museum: string; inbox: string }} */
const origins = { record: '', museum: '', inbox: '' };
const baseSettings = JSON.parse(readFileSync(SETTINGS_FILE, 'utf8'));

/** demo/settings.json with the addresses the servers actually got (they differ only when a port was busy). */
function currentSettings() {
  return {
    ...baseSettings,
    linkWorkers: baseSettings.linkWorkers.map((linkWorker) =>
      linkWorker.delivery.method === 'fhir'
        ? { ...linkWorker, delivery: { ...linkWorker.delivery, endpoint: `${origins.inbox}${FHIR_PATH}` } }
        : linkWorker,
    ),
    recordSites: baseSettings.recordSites.map((site) => ({ ...site, origin: origins.record })),
    offerFeeds: baseSettings.offerFeeds.map((feed) => ({ ...feed, url: `${origins.museum}/offers.json` })),
  };
}

const inbox = createInbox({ token: INBOX_TOKEN, settings: currentSettings });

/** The museum site as the widget's author left it in demo/museum/, with the built widget beside it. */
async function museum(request, response) {
  const pathname = new URL(request.url ?? '/', 'http://demo.invalid').pathname;
  // A feed is public data that other sites (and the extension's panel) read: allow them to.
  const feedHeaders = pathname.endsWith('.json') ? { 'Access-Control-Allow-Origin': '*' } : {};
  if (existsSync(path.join(MUSEUM_DIR, decodeURIComponentSafe(pathname)))) {
    return serveStatic(request, response, MUSEUM_DIR, feedHeaders);
  }
  // `linkwell-offers.js` and anything else the widget build wrote, at the site's root and under /dist/widget/.
  const widgetPath = pathname.startsWith('/dist/widget/') ? pathname.slice('/dist/widget'.length) : pathname;
  request.url = widgetPath;
  return serveStatic(request, response, WIDGET_DIR);
}

function decodeURIComponentSafe(text) {
  try {
    const decoded = decodeURIComponent(text);
    return decoded.endsWith('/') ? `${decoded}index.html` : decoded;
  } catch {
    return '\0';
  }
}

/** @type {Record<string, import('node:http').Server>} */
const servers = {};
const handlers = {
  record: (request, response) =>
    serveStatic(request, response, path.join(DEMO, 'record')).catch(() => sendText(response, 500, 'Error')),
  museum: (request, response) => museum(request, response).catch(() => sendText(response, 500, 'Error')),
  inbox: (request, response) =>
    inbox.handle(request, response).catch(() => {
      if (!response.headersSent) sendText(response, 500, 'Error');
      else response.end();
    }),
};

/** @type {import('playwright-core').BrowserContext | undefined} */
let browserContext;
let browserProfile = '';
/** When the demo began to stop (ms since 1970), or 0 while it runs. */
let stopping = 0;
// How long --open waits for Linkwell's service worker once the browser is up (it takes about a second).
const SERVICE_WORKER_WAIT_MS = 15_000;

/** --open's browser started, but the extension never did (a browser that ignores --load-extension). */
class ExtensionDidNotLoad extends Error {
  constructor(cause) {
    super('Linkwell did not load in the browser', { cause });
  }
}

/** Closes the browser --open launched, if any, and removes its temporary profile. */
async function closeBrowser() {
  const context = browserContext;
  browserContext = undefined;
  await context?.close().catch(() => {});
  if (browserProfile) await rm(browserProfile, { recursive: true, force: true }).catch(() => {});
  browserProfile = '';
}

async function stop(signal) {
  if (stopping) {
    // A second Ctrl-C: the user wants out now. One Ctrl-C in a terminal arrives twice at once (from the
    // terminal, and forwarded by npm, which execs this script), so only a later one counts.
    if (Date.now() - stopping > 1000) process.exit(130);
    return;
  }
  stopping = Date.now();
  console.log(`\n${signal}: stopping the demo…`);
  await closeBrowser();
  await Promise.all(Object.values(servers).map(closeServer));
  console.log('Stopped. Nothing is left running.');
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(signal));
// Run by `npm start`, this process is npm's shell's child. A signal sent to npm alone (an IDE's stop
// button, a service manager) ends npm and the shell but never reaches here, so the demo would be left
// running with nobody to stop it: when the parent goes, stop too. (Ctrl-C in a terminal reaches every
// process of the job, this one included.)
const parentAtStart = process.ppid;
setInterval(() => {
  if (process.ppid !== parentAtStart) void stop('The process that started the demo has ended');
}, 500).unref();

for (const name of /** @type {const} */ (['record', 'museum', 'inbox'])) {
  const { server, port } = await listenOnLoopback(handlers[name], ports[name]);
  servers[name] = server;
  origins[name] = `http://127.0.0.1:${port}`;
}

const settings = currentSettings();
const portsMoved = JSON.stringify(settings) !== JSON.stringify(baseSettings);
// The full path, as a file picker needs it (like dist/chrome's below).
let settingsToImport = SETTINGS_FILE;
if (portsMoved) {
  // A port was busy, so the shipped file points at the wrong addresses: write one that matches.
  const adjusted = path.join(ROOT, '.tmp', 'demo-settings.json');
  await mkdir(path.dirname(adjusted), { recursive: true });
  await writeFile(adjusted, `${JSON.stringify(settings, null, 2)}\n`);
  settingsToImport = adjusted;
}

console.log(`
Linkwell demo, on this computer only (127.0.0.1). All patients and people are fictional.

  Clinical record:    ${origins.record}/
  Museum site:        ${origins.museum}/
  Link worker inbox:  ${origins.inbox}/
  FHIR endpoint:      ${origins.inbox}${FHIR_PATH}
${portsMoved ? '\n  (These ports differ from the ones in demo/settings.json, so import the copy named below.)\n' : ''}
To try it in Chrome or Edge:
  1. Open chrome://extensions (edge://extensions), turn on Developer mode, choose "Load unpacked"
     and pick ${DIST_CHROME}
  2. Open Linkwell's options (on chrome://extensions: Linkwell → Details → Extension options).
     Under "Import settings" choose
     ${settingsToImport}
     (also downloadable from ${origins.inbox}/settings.json). Then, under "Record sites", press
     "Ask for permission" beside ${origins.record} and choose Allow; press "Save settings"
     and allow the inbox and museum addresses too.
  3. Open the clinical record, press "Refer to link worker" beside the patient banner, and send the
     referral. It appears in the link worker inbox. Use "Fail next requests" in the inbox to watch
     Linkwell queue a referral and retry.
  Firefox: about:debugging → This Firefox → Load Temporary Add-on, and pick
     ${path.join(ROOT, 'dist/firefox/manifest.json')}
     then steps 2 and 3 (Linkwell's options are in about:addons; the panel opens in the sidebar).
     Firefox removes a temporary add-on when it closes.

Or, on a machine with a screen, run \`npm start -- --open\`: it opens Chromium (or Chrome for Testing,
through CHROME_PATH) with all of this done.
`);

if (wantsBrowser) {
  try {
    await openBrowser();
  } catch (error) {
    // The servers are up and the steps above still work by hand: say what went wrong, keep serving.
    await closeBrowser();
    if (!stopping) console.log(openFailed(error));
  }
}
if (!stopping) console.log('Ready. Press Ctrl-C to stop.');

/** Why --open did not work, and what to do, in words (the first line of the browser's error only). */
function openFailed(error) {
  const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';
  if (error instanceof ExtensionDidNotLoad) {
    return (
      `--open: the browser at ${executablePath} started, but Linkwell did not load in it within\n` +
      `${SERVICE_WORKER_WAIT_MS / 1000} seconds, so it was closed again. Google Chrome 137 and later ignore\n` +
      '--load-extension, which --open relies on: set CHROME_PATH to Chromium or Chrome for Testing\n' +
      '(https://googlechromelabs.github.io/chrome-for-testing/), or follow steps 1 to 3 above by hand.\n' +
      'The demo keeps running.\n'
    );
  }
  const reason = launchFailure(error instanceof Error ? error.message : String(error));
  const screen = process.env.DISPLAY
    ? `DISPLAY=${process.env.DISPLAY}`
    : `WAYLAND_DISPLAY=${process.env.WAYLAND_DISPLAY}`;
  return (
    `--open: the browser at ${executablePath} did not start (${reason}).\n` +
    `Check that it starts on its own on this screen (${screen}); CHROME_PATH must be Chromium or\n` +
    'Chrome for Testing. Or follow steps 1 to 3 above by hand. The demo keeps running.\n'
  );
}

/** The browser's own complaint from Playwright's launch error (e.g. "Missing X server or $DISPLAY"), else its first line. */
function launchFailure(message) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Playwright colours its call log with ANSI escapes
  const plain = message.replace(/\u001b\[[0-9;]*m/g, '');
  const logged = /:ERROR:[^\]\n]*\]\s*([^\n]+)/.exec(plain)?.[1];
  return (logged ?? plain.split('\n')[0] ?? '').trim().slice(0, 200);
}

async function openBrowser() {
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.log(
      '--open: there is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so no browser was\n' +
        'launched. Open the addresses above in a browser on a machine with a screen.\n',
    );
    return;
  }
  const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.log(
      `--open: no Chromium at ${executablePath}. Install one (Debian: apt-get install chromium) or set\n` +
        'CHROME_PATH to Chromium or Chrome for Testing.\n',
    );
    return;
  }
  const { chromium } = await import('playwright-core');
  // A copy of dist/chrome that already has access to 127.0.0.1, standing in for the "Allow" click
  // on the record site, which a browser only shows to a person. Only loopback is granted.
  const extension = path.join(ROOT, '.tmp', 'demo-chrome');
  await rm(extension, { recursive: true, force: true });
  await cp(DIST_CHROME, extension, { recursive: true });
  const manifestFile = path.join(extension, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
  manifest.host_permissions = ['http://127.0.0.1/*'];
  await writeFile(manifestFile, JSON.stringify(manifest, null, 2));

  browserProfile = await mkdtemp(path.join(tmpdir(), 'linkwell-demo-profile-'));
  const args = [
    `--disable-extensions-except=${extension}`,
    `--load-extension=${extension}`,
    '--no-first-run',
    '--no-default-browser-check',
  ];
  // Chromium refuses to start its sandbox as root (containers); a demo profile on loopback only.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  browserContext = await chromium.launchPersistentContext(browserProfile, {
    executablePath,
    headless: false,
    viewport: null,
    args,
    // This script stops the browser itself on Ctrl-C, after which it removes the profile and the servers.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const worker =
    browserContext.serviceWorkers().find((candidate) => candidate.url().startsWith('chrome-extension://')) ??
    (await browserContext
      .waitForEvent('serviceworker', { timeout: SERVICE_WORKER_WAIT_MS })
      .catch((error) => {
        throw new ExtensionDidNotLoad(error);
      }));
  // The settings as the options page saves them after an import; the background then registers the
  // record-page script for the record site. Wait for that (up to 15 s: machines are sometimes busy), or
  // the first page load would miss it.
  const registered = await worker.evaluate(
    async ({ value, origin }) => {
      await chrome.storage.local.set({ settings: value });
      for (let tries = 0; tries < 150; tries += 1) {
        const scripts = await chrome.scripting.getRegisteredContentScripts();
        if (scripts.some((script) => script.matches?.some((match) => match.startsWith(origin)))) return true;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return false;
    },
    { value: settings, origin: origins.record },
  );
  if (!registered) {
    console.log(
      'Linkwell has not registered its script for the record page yet: reload the page if no button shows.',
    );
  }
  const [first] = browserContext.pages();
  const recordPage = first ?? (await browserContext.newPage());
  await recordPage.goto(`${origins.record}/`);
  const inboxPage = await browserContext.newPage();
  await inboxPage.goto(`${origins.inbox}/`);
  const museumPage = await browserContext.newPage();
  await museumPage.goto(`${origins.museum}/`);
  await recordPage.bringToFront();
  browserContext.on('close', () => {
    browserContext = undefined;
    if (!stopping) console.log('Chromium was closed. The demo servers keep running until Ctrl-C.');
  });
  console.log(
    `Chromium is open with Linkwell loaded (a copy of dist/chrome allowed on 127.0.0.1) and the demo\n` +
      'settings in place, on the clinical record. Its profile is temporary and is removed on Ctrl-C.\n',
  );
}
