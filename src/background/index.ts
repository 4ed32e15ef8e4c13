// Service worker entry: wires the background's parts together. Each part lives in its own file.
import browser from 'webextension-polyfill';
import { listenForMessages } from '../shared/messages';
import { openLinkwellDb } from '../shared/outbox-db';
import { onSettingsChanged, readSettings } from '../shared/settings-store';
import { listActivity, sendTestMessage } from './options-requests';
import { createOutboxRunner } from './outbox-runner';
import { oneAtATime, originPattern, recordSiteFor, syncRecordSiteScripts } from './record-sites';
import { createReferralService, toOutboxItem } from './referrals';
import { mayAsk } from './sender-policy';
import { bindPanelToTab, openPanelForTab } from './side-panel';

const OUTBOX_ALARM = 'linkwell:outbox';
/** A wait shorter than this is also kept as a timer: alarms fire at most every 30 s in Chrome 120+. */
const TIMER_HORIZON_MS = 60_000;

const manifest = browser.runtime.getManifest();

// Content scripts run inside the record page's process and need no storage (they talk by message), so
// the settings and any access token in storage.local are kept from them. Chrome lets this be set for
// every area; Firefox only for storage.session, which is trusted-only already.
// https://developer.chrome.com/docs/extensions/reference/api/storage#method-StorageArea-setAccessLevel
for (const area of [chrome.storage?.local, chrome.storage?.sync]) {
  try {
    area?.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' }).catch(() => {});
  } catch {
    // A browser that knows the method only for storage.session may throw at once: nothing to do.
  }
}
const currentSettings = async () => {
  const inForce = await readSettings();
  return inForce.source === 'none' ? undefined : inForce.settings;
};

/** Whether the browser lets Linkwell contact (or read) an origin; one outside the manifest is not granted. */
const mayContact = (origin: string) =>
  browser.permissions.contains({ origins: [originPattern(origin)] }).catch(() => false);

let wakeTimer: ReturnType<typeof setTimeout> | undefined;
const runOutbox = createOutboxRunner({
  db: openLinkwellDb,
  settings: currentSettings,
  fetch: (...args) => fetch(...args),
  now: Date.now,
  software: { name: 'Linkwell', version: manifest.version },
  sourceEndpoint: browser.runtime.getURL(''),
  mayContact,
  async wakeAt(at) {
    clearTimeout(wakeTimer);
    if (at === undefined) {
      await browser.alarms.clear(OUTBOX_ALARM);
      return;
    }
    // The alarm survives the service worker and the browser stopping; the timer is for short waits.
    await browser.alarms.create(OUTBOX_ALARM, { when: Math.max(at, Date.now() + 1_000) });
    const wait = at - Date.now();
    if (wait < TIMER_HORIZON_MS) wakeTimer = setTimeout(() => void runOutbox(), Math.max(0, wait));
  },
  announce(entry) {
    // No panel open is the usual case: the rejection that follows is expected.
    browser.runtime
      .sendMessage({ name: 'bg-to-ext:outbox-changed', item: toOutboxItem(entry) })
      .catch(() => {});
  },
});

const referrals = createReferralService({
  db: openLinkwellDb,
  settings: currentSettings,
  now: Date.now,
  newId: () => crypto.randomUUID(),
  runOutbox,
  announce(entry) {
    browser.runtime
      .sendMessage({ name: 'bg-to-ext:outbox-changed', item: toOutboxItem(entry) })
      .catch(() => {});
  },
});

listenForMessages(
  {
    'panel-to-bg:send-referral': ({ referral, replaces }) => referrals.send(referral, replaces),
    'panel-to-bg:cancel-referral': ({ id }) => referrals.cancel(id),
    'panel-to-bg:retry-referral': ({ id }) => referrals.retry(id),
    'panel-to-bg:record-decline': ({ id, reasons, linkWorkerId }) =>
      referrals.recordDecline(id, reasons, linkWorkerId),
    'ext-to-bg:list-referrals': ({ limit }) => referrals.list(limit),
    'ext-to-bg:get-referral': ({ id }) => referrals.get(id),
    'ext-to-bg:process-outbox': async () => ({ processed: await runOutbox() }),
    'panel-to-bg:get-referral-to-edit': async ({ id }) =>
      (await (await openLinkwellDb()).get('outbox', id))?.referral ?? null,
    'content-to-bg:open-panel': (_request, sender) => openPanelForTab(sender.tab),
    'content-to-bg:get-record-site': async (_request, sender) => {
      const site = recordSiteFor((await currentSettings())?.recordSites ?? [], sender.url);
      // A site whose permission was withdrawn is no longer one, even for a script already in its tab.
      if (!site || !(await mayContact(site.origin))) return null;
      if (sender.tab?.id !== undefined) bindPanelToTab(sender.tab.id);
      return { label: site.label, selectors: site.selectors };
    },
    'options-to-bg:send-test-message': ({ endpoint, token, practiceName }) =>
      sendTestMessage(
        { endpoint, token },
        {
          fetch: (...args) => fetch(...args),
          now: Date.now,
          newId: () => crypto.randomUUID(),
          software: { name: 'Linkwell', version: manifest.version },
          sourceEndpoint: browser.runtime.getURL(''),
          practiceName,
          mayContact,
        },
      ),
    'options-to-bg:activity': () => listActivity(openLinkwellDb),
  },
  (name, sender) => mayAsk(name, sender, browser.runtime.id, browser.runtime.getURL('')),
);

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === OUTBOX_ALARM) void runOutbox();
});

/** Registers the record-page script for exactly the configured sites the browser has granted. */
const syncRecordSites = oneAtATime(async () => {
  const sites = (await currentSettings())?.recordSites ?? [];
  await syncRecordSiteScripts(
    sites,
    (origin) => browser.permissions.contains({ origins: [originPattern(origin)] }),
    chrome.scripting,
  );
});
onSettingsChanged(() => void syncRecordSites());
browser.permissions.onAdded.addListener(() => void syncRecordSites());
browser.permissions.onRemoved.addListener(() => void syncRecordSites());
void syncRecordSites();

// Chrome and Edge: the toolbar button opens the referral panel beside the page.
// https://developer.chrome.com/docs/extensions/reference/api/sidePanel#open-action-icon
chrome.sidePanel?.setPanelBehavior({ openPanelOnActionClick: true }).catch(() => {
  // Firefox has no sidePanel; its sidebar_action opens from the toolbar by itself.
});

// Every start of the service worker (browser start, alarm, message) picks up what is waiting:
// a referral queued before a restart or a crash is never left behind.
void runOutbox();
