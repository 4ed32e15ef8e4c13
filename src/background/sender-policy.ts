import type { Runtime } from 'webextension-polyfill';
import type { BackgroundMessageName } from '../shared/messages';

/**
 * Who may ask the background what. Extension pages (panel, options) may ask anything but the
 * content-script messages; a content script, running in a web page's tab, may ask only
 * `content-to-bg:` messages. Another extension is never trusted.
 * @example mayAsk('panel-to-bg:send-referral', { id, url: 'https://gp.example/…', tab }, id, 'chrome-extension://id/') // false
 */
export function mayAsk(
  name: BackgroundMessageName,
  sender: Runtime.MessageSender,
  extensionId: string,
  extensionOrigin: string,
): boolean {
  if (sender.id !== extensionId) return false;
  // A content script's sender.url is the web page's; only the extension's own pages have its origin.
  const fromExtensionPage = (sender.url ?? '').startsWith(extensionOrigin);
  return name.startsWith('content-to-bg:')
    ? !fromExtensionPage && sender.tab?.id !== undefined
    : fromExtensionPage;
}
