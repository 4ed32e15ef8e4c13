import browser, { type Tabs } from 'webextension-polyfill';

// Opening the referral panel beside a record page's tab. The panel page is bound to its tab by
// `?tabId=N` (CONTRACT.md section 3): Chrome and Edge give each tab its own side panel document with
// `sidePanel.setOptions({ tabId, path })`; Firefox gives the sidebar a per-tab page with `setPanel`.

/** The manifest's `side_panel.default_path` (and Firefox's `sidebar_action.default_panel`). */
export const PANEL_PATH = 'src/panel/index.html';

/** The panel page bound to one tab. The tab id is not patient data; nothing else goes in the URL. */
export function panelPathFor(tabId: number): string {
  return `${PANEL_PATH}?tabId=${tabId}`;
}

/**
 * Binds the tab's panel to it ahead of time, so that the toolbar button on a record page opens the
 * panel for that page, and so that a later `open` needs no setup first.
 */
export function bindPanelToTab(tabId: number): void {
  if (chrome.sidePanel) {
    chrome.sidePanel.setOptions({ tabId, path: panelPathFor(tabId), enabled: true }).catch(() => {});
  } else {
    browser.sidebarAction
      ?.setPanel({ tabId, panel: browser.runtime.getURL(panelPathFor(tabId)) })
      .catch(() => {});
  }
}

/**
 * Opens the panel for the tab whose `Refer to link worker` button was pressed. `sidePanel.open` only
 * works while the click that sent the message is still the user's gesture (Chrome 116+ carries it from
 * a content script's message: https://developer.chrome.com/docs/extensions/reference/api/sidePanel#user-interaction),
 * so it is the very first call, in the message handler's own turn; awaiting anything first (even
 * `setOptions`) loses the gesture (https://github.com/GoogleChrome/chrome-extensions-samples/issues/1477).
 * The tab's path was already bound by `bindPanelToTab` when its record page started.
 */
export function openPanelForTab(tab: Tabs.Tab | undefined): Promise<{ opened: boolean }> {
  const tabId = tab?.id;
  if (tabId === undefined) return Promise.resolve({ opened: false });
  if (chrome.sidePanel) {
    const opened = chrome.sidePanel.open({ tabId });
    const bound = chrome.sidePanel.setOptions({ tabId, path: panelPathFor(tabId), enabled: true });
    return Promise.all([opened, bound]).then(
      () => ({ opened: true }),
      () => ({ opened: false }),
    );
  }
  // Firefox opens the sidebar only from its own user-action handlers, which a message is not; the
  // page is bound all the same, and the content script tells the GP to open the sidebar.
  // https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/API/sidebarAction/open
  const sidebar = browser.sidebarAction;
  if (!sidebar) return Promise.resolve({ opened: false });
  const bound = sidebar.setPanel({ tabId, panel: browser.runtime.getURL(panelPathFor(tabId)) });
  return Promise.all([bound, sidebar.open()]).then(
    () => ({ opened: true }),
    () => ({ opened: false }),
  );
}
