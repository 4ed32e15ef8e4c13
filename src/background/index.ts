// Service worker entry: wires the background's parts together. Each part lives in its own file.
import browser from 'webextension-polyfill';

// Chrome and Edge: the toolbar button opens the referral panel beside the page.
// https://developer.chrome.com/docs/extensions/reference/api/sidePanel#open-action-icon
chrome.sidePanel?.setPanelBehavior({ openPanelOnActionClick: true }).catch(() => {
  // Firefox has no sidePanel; its sidebar_action opens from the toolbar by itself.
});

browser.runtime.onInstalled.addListener(() => {
  // Deliberately quiet: no tabs opened, nothing logged (logs may be collected on clinical machines).
});
