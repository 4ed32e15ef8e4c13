import baseManifest from '../manifest.json' with { type: 'json' };
import pkg from '../package.json' with { type: 'json' };

export type TargetBrowser = 'chrome' | 'firefox';

/** The Firefox add-on id; fixed so that policies and updates find the same add-on. */
export const GECKO_ID = 'linkwell@linkwell.health';

/** The add-on's name on addons.mozilla.org, which allows 45 characters at most. */
export const FIREFOX_NAME = 'Linkwell: social prescribing referrals';

/**
 * The manifest for one browser, from the one in the repo root. The version always comes from
 * package.json, so a release bumps one number.
 * Firefox has no side panel API: the same page is its `sidebar_action`
 * (https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/manifest.json/sidebar_action),
 * its MV3 background is an event page (`background.scripts`), and `key` is a Chrome-only field.
 */
export function manifestFor(browser: TargetBrowser) {
  const manifest = { ...baseManifest, version: pkg.version };
  if (browser === 'chrome') return manifest;
  const { key: _key, side_panel, minimum_chrome_version: _min, background, commands, ...rest } = manifest;
  return {
    ...rest,
    // Firefox's toolbar button does not open the sidebar; its own command does.
    commands: { _execute_sidebar_action: commands._execute_action },
    // addons.mozilla.org allows at most 45 characters in `name` (addons-linter JSON_INVALID /name).
    name: FIREFOX_NAME,
    permissions: rest.permissions.filter((permission) => permission !== 'sidePanel'),
    background: { scripts: [background.service_worker], type: background.type },
    sidebar_action: {
      default_panel: side_panel.default_path,
      default_title: rest.action.default_title,
      default_icon: rest.action.default_icon,
      open_at_install: false,
    },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        // 140 (the current ESR) is the first with Firefox's built-in data consent
        // (https://extensionworkshop.com/documentation/develop/firefox-builtin-data-consent/): a referral
        // carries the patient's identity and health needs to the practice's chosen link worker.
        strict_min_version: '140.0',
        data_collection_permissions: { required: ['personallyIdentifyingInfo', 'healthInfo'] },
      },
      // Firefox for Android reads the same consent from 142.
      gecko_android: { strict_min_version: '142.0' },
    },
  };
}
