import browser from 'webextension-polyfill';
import { z } from 'zod';
import { originPattern } from '../core/origin-pattern';
import { isGrantableAddress } from '../core/settings';
import { askBackground } from '../shared/messages';
import { onSettingsChanged, readSettings, saveSettings } from '../shared/settings-store';
import type { OptionsConnector, SelectorField, Selectors } from './connector';
import { checkOfferFeed } from './feed-check';

// The options page's connector inside the extension.

// Host permissions leave the port out, which Firefox refuses in a pattern (src/core/origin-pattern.ts).
const pattern = originPattern;

// What the selector test brings back from a web page: someone else's page, so it goes through a schema.
const pageChecksSchema = z.array(
  z.object({
    field: z.enum(['nhsNumber', 'name', 'birthDate']),
    selector: z.string(),
    found: z.string().max(200).nullable(),
    invalid: z.boolean().optional(),
  }),
);

/** Runs in the record page (scripting.executeScript): it must use nothing from outside its own body. */
function readSelectorsInPage(selectors: [string, string][]) {
  return selectors.map(([field, selector]) => {
    try {
      const element = document.querySelector(selector);
      const text = element?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
      return { field, selector, found: text === null ? null : text.slice(0, 200) };
    } catch {
      return { field, selector, found: null, invalid: true };
    }
  });
}

// An origin outside the manifest's optional_host_permissions is simply not granted.
const hasSitePermission = (origin: string) =>
  browser.permissions.contains({ origins: [pattern(origin)] }).catch(() => false);

export function browserConnector(): OptionsConnector {
  return {
    readSettings,
    saveSettings: (settings) => saveSettings(settings),
    onSettingsChanged,
    hasSitePermission,
    requestSitePermission: (origin) =>
      browser.permissions.request({ origins: [pattern(origin)] }).catch(() => false),
    requestDestinationAccess(origins) {
      // One origin the manifest does not cover makes Chrome refuse the whole request ("Only
      // permissions specified in the manifest may be requested"): ask only for those it can grant.
      const grantable = origins.filter(isGrantableAddress);
      if (grantable.length === 0) return Promise.resolve(grantable.length === origins.length);
      return browser.permissions
        .request({ origins: grantable.map(pattern) })
        .then((granted) => granted && grantable.length === origins.length)
        .catch(() => false);
    },
    async releaseSitePermission(origin) {
      // Sites granted in the manifest itself (a test build) cannot be given back; that is fine.
      await browser.permissions.remove({ origins: [pattern(origin)] }).catch(() => false);
    },
    onPermissionsChanged(listener) {
      const handle = () => listener();
      browser.permissions.onAdded.addListener(handle);
      browser.permissions.onRemoved.addListener(handle);
      return () => {
        browser.permissions.onAdded.removeListener(handle);
        browser.permissions.onRemoved.removeListener(handle);
      };
    },
    sendTestMessage: (target) =>
      askBackground('options-to-bg:send-test-message', {
        endpoint: target.endpoint,
        ...(target.token ? { token: target.token } : {}),
        ...(target.practiceName ? { practiceName: target.practiceName } : {}),
      }),
    activity: () => askBackground('options-to-bg:activity', {}),
    checkFeed: (url) => checkOfferFeed(url, (...args) => fetch(...args), hasSitePermission),
    async testSelectors(origin, selectors: Selectors) {
      if (!(await browser.permissions.contains({ origins: [pattern(origin)] }))) {
        return {
          ok: false,
          problem: 'Linkwell has not been allowed to read this site yet: ask for permission first.',
        };
      }
      // The pattern covers every port of the host: take only this origin's tabs.
      const tabs = (await browser.tabs.query({ url: pattern(origin) })).filter(
        (candidate) => candidate.url?.startsWith(`${origin}/`) ?? false,
      );
      const tab = tabs.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0];
      if (tab?.id === undefined) {
        return {
          ok: false,
          problem: `Open a patient’s record at ${origin} in another tab, then test again.`,
        };
      }
      const wanted = Object.entries(selectors).filter(
        (entry): entry is [SelectorField, string] => typeof entry[1] === 'string' && entry[1].trim() !== '',
      );
      if (wanted.length === 0) return { ok: false, problem: 'Fill in at least one selector to test.' };
      try {
        const [injection] = await browser.scripting.executeScript({
          target: { tabId: tab.id },
          func: readSelectorsInPage,
          args: [wanted],
        });
        const checks = pageChecksSchema.safeParse(injection?.result);
        if (!checks.success)
          return { ok: false, problem: 'The page gave an answer Linkwell does not understand.' };
        return {
          ok: true,
          value: { tabTitle: tab.title ?? origin, checks: checks.data },
        };
      } catch {
        return { ok: false, problem: 'Linkwell could not read that tab. Reload it and test again.' };
      }
    },
    download(fileName, mimeType, text) {
      const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  };
}
