import browser, { type Runtime, type Tabs } from 'webextension-polyfill';
import { z } from 'zod';
import { type Offer, offerSchema } from '../core/offer';
import { type FeedPage, pageAfter, parseOfferFeed } from '../core/open-referral';
import { parseReferral } from '../core/referral';
import { formatDateTime } from '../core/referral-text';
import type { OfferFeed } from '../core/settings';
import {
  askBackground,
  outboxChangedSchema,
  recordPatientChangedSchema,
  recordReadingSchema,
} from '../shared/messages';
import { readSettings } from '../shared/settings-store';
import type { PanelConnector, Referrer, SuggestedOffers, TabPatient } from './connector';
import { createReadingOrder } from './reading-order';

// The panel's connector in the extension: messages to the background and the tab's content script,
// storage.local for what is not patient data (the referrer's name, cached offer feeds).

const REFERRER_KEY = 'referrer';
const OFFER_CACHE_KEY = 'offerFeedCache';
const FEED_TIMEOUT_MS = 10_000;
const FEED_MAX_PAGES = 5;
const FEED_MAX_OFFERS = 500;

const referrerSchema = z.object({ name: z.string().min(1).max(200), role: z.string().max(200).optional() });
// Offers are checked again when they are read back from the cache: storage is a boundary too.
const offerCacheSchema = z.record(
  z.string(),
  z.object({ fetchedAt: z.number(), offers: z.array(z.unknown()).max(FEED_MAX_OFFERS) }),
);

/** The tab this panel is for: `?tabId=N`, else the active tab of its window, followed as it changes. */
function tabBinding(search: string) {
  const fromUrl = Number.parseInt(new URLSearchParams(search).get('tabId') ?? '', 10);
  const bound = Number.isInteger(fromUrl) && fromUrl >= 0 ? fromUrl : undefined;
  let current: Promise<number | undefined> =
    bound !== undefined
      ? Promise.resolve(bound)
      : browser.tabs.query({ active: true, currentWindow: true }).then(([tab]) => tab?.id);
  return {
    bound: bound !== undefined,
    tabId: () => current,
    follow(tabId: number) {
      current = Promise.resolve(tabId);
    },
  };
}

export function createExtensionConnector(search = location.search): PanelConnector {
  const binding = tabBinding(search);
  // The newest reading per tab: a reply that arrives after a newer broadcast does not undo it.
  const readings = createReadingOrder();

  async function tabPatient(): Promise<TabPatient> {
    const tabId = await binding.tabId();
    if (tabId === undefined) return { state: 'no-page' };
    let reply: unknown;
    try {
      reply = await browser.tabs.sendMessage(tabId, { name: 'panel-to-content:get-patient' });
    } catch {
      // No record-page script in that tab: not a record site, or not granted.
      return { state: 'no-page' };
    }
    const parsed = recordReadingSchema.safeParse(reply);
    return parsed.success ? readings.take(tabId, parsed.data).patient : { state: 'no-page' };
  }

  return {
    async settings() {
      const inForce = await readSettings();
      return inForce.source === 'none' ? undefined : inForce.settings;
    },
    tabPatient,
    onTabPatientChanged(listener) {
      const onMessage = (message: unknown, sender: Runtime.MessageSender) => {
        const changed = recordPatientChangedSchema.safeParse(message);
        const from = sender.tab?.id;
        if (!changed.success || sender.id !== browser.runtime.id || from === undefined) return undefined;
        void binding.tabId().then((tabId) => {
          if (from !== tabId) return;
          const { patient, newer } = readings.take(from, changed.data.reading);
          if (newer) listener(patient);
        });
        return undefined;
      };
      // A page that navigates or closes takes its patient with it: never show a patient that has gone.
      const onUpdated = (tabId: number, change: Tabs.OnUpdatedChangeInfoType) => {
        if (change.status === 'loading') readings.navigated(tabId);
        void binding.tabId().then(async (bound) => {
          if (tabId !== bound) return;
          if (change.status === 'loading') listener({ state: 'no-page' });
          if (change.status === 'complete') listener(await tabPatient());
        });
      };
      const onRemoved = (tabId: number) => {
        readings.forget(tabId);
        void binding.tabId().then((bound) => {
          if (tabId === bound) listener({ state: 'no-page' });
        });
      };
      // A panel not bound to one tab follows the active tab of its window.
      const onActivated = (info: Tabs.OnActivatedActiveInfoType) => {
        void browser.windows.getCurrent().then(async (window) => {
          if (binding.bound || info.windowId !== window.id) return;
          binding.follow(info.tabId);
          listener(await tabPatient());
        });
      };
      browser.runtime.onMessage.addListener(onMessage);
      browser.tabs.onUpdated.addListener(onUpdated);
      browser.tabs.onRemoved.addListener(onRemoved);
      browser.tabs.onActivated.addListener(onActivated);
      return () => {
        browser.runtime.onMessage.removeListener(onMessage);
        browser.tabs.onUpdated.removeListener(onUpdated);
        browser.tabs.onRemoved.removeListener(onRemoved);
        browser.tabs.onActivated.removeListener(onActivated);
      };
    },
    async referrer() {
      const stored = (await browser.storage.local.get(REFERRER_KEY))[REFERRER_KEY];
      const parsed = referrerSchema.safeParse(stored);
      return parsed.success ? withoutUndefined(parsed.data) : undefined;
    },
    async saveReferrer(referrer) {
      await browser.storage.local.set({ [REFERRER_KEY]: referrer });
    },
    send: (referral, replaces) =>
      askBackground('panel-to-bg:send-referral', replaces ? { referral, replaces } : { referral }),
    recent: (limit) => askBackground('ext-to-bg:list-referrals', { limit }),
    referralStatus: (id) => askBackground('ext-to-bg:get-referral', { id }),
    cancel: (id) => askBackground('panel-to-bg:cancel-referral', { id }),
    retry: (id) => askBackground('panel-to-bg:retry-referral', { id }),
    async referralToEdit(id) {
      const reply = await askBackground('panel-to-bg:get-referral-to-edit', { id });
      if (!reply.ok || reply.value === null) return reply.ok ? { ok: true, value: null } : reply;
      const parsed = parseReferral(reply.value);
      return parsed.ok
        ? { ok: true, value: parsed.referral }
        : { ok: false, problem: 'The stored referral could not be read.' };
    },
    recordDecline: (id, reasons, linkWorkerId) =>
      askBackground(
        'panel-to-bg:record-decline',
        linkWorkerId ? { id, reasons, linkWorkerId } : { id, reasons },
      ),
    onOutboxChanged(listener) {
      const onMessage = (message: unknown, sender: Runtime.MessageSender) => {
        const changed = outboxChangedSchema.safeParse(message);
        if (changed.success && sender.id === browser.runtime.id) listener(changed.data.item);
        return undefined;
      };
      browser.runtime.onMessage.addListener(onMessage);
      return () => browser.runtime.onMessage.removeListener(onMessage);
    },
    async suggestedOffers() {
      const inForce = await readSettings();
      const feeds = inForce.source === 'none' ? [] : inForce.settings.offerFeeds;
      return loadOffers(feeds);
    },
    copyText,
    openEmail(to, subject) {
      // Address and subject only: the referral itself goes by the clipboard, never in a URL.
      const link = document.createElement('a');
      link.href = `mailto:${encodeURIComponent(to)}?subject=${encodeURIComponent(subject)}`;
      link.click();
    },
    print: () => window.print(),
    newId: () => crypto.randomUUID(),
    now: () => new Date(),
  };
}

function withoutUndefined(referrer: { name: string; role?: string | undefined }): Referrer {
  return referrer.role === undefined ? { name: referrer.name } : { name: referrer.name, role: referrer.role };
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // The side panel may not have focus for the async clipboard; the old way still works there.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const copied = document.execCommand('copy');
    area.remove();
    return copied;
  }
}

/** Reads one feed, following its pages, up to a limit. */
async function fetchFeed(feed: OfferFeed): Promise<Offer[]> {
  const offers: Offer[] = [];
  let url: string | undefined = feed.url;
  // Pages are counted from the first one read, so an API counting from 0 is neither skipped nor repeated,
  // and services are numbered across pages, so those without an id keep unique ones.
  let first: FeedPage | undefined;
  let services = 0;
  for (let read = 0; url && read < FEED_MAX_PAGES && offers.length < FEED_MAX_OFFERS; ) {
    const response = await fetch(url, {
      credentials: 'omit',
      headers: { Accept: 'application/json' },
      signal: AbortSignal.timeout(FEED_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const parsed = parseOfferFeed(await response.json(), {
      maxOffers: FEED_MAX_OFFERS - offers.length,
      firstIndex: services,
    });
    if (parsed.format === 'unknown') throw new Error('not an Open Referral UK feed');
    offers.push(...parsed.offers);
    services += parsed.services;
    first ??= parsed.page;
    read += 1;
    url = pageAfter(feed.url, first, read);
  }
  return offers;
}

/**
 * Offers from every configured feed, fresh when the feed answers and from the cache when it does not
 * (the panel must work offline). Offers are public listings, not patient data.
 */
async function loadOffers(feeds: readonly OfferFeed[]): Promise<SuggestedOffers> {
  const stored = offerCacheSchema.safeParse(
    (await browser.storage.local.get(OFFER_CACHE_KEY))[OFFER_CACHE_KEY],
  );
  const cache = stored.success ? stored.data : {};
  const offers: Offer[] = [];
  const problems: string[] = [];
  let cachedAt: number | undefined;
  const fresh: Record<string, { fetchedAt: number; offers: Offer[] }> = {};
  await Promise.all(
    feeds.map(async (feed) => {
      const label = feed.label ?? new URL(feed.url).host;
      try {
        const fetched = await fetchFeed(feed);
        fresh[feed.url] = { fetchedAt: Date.now(), offers: fetched };
      } catch {
        const cached = cache[feed.url];
        if (cached) {
          // Re-check each cached offer: a stored value is read like any other input.
          const again = cached.offers.flatMap((offer) => {
            const checked = offerSchema.safeParse(offer);
            return checked.success ? [checked.data] : [];
          });
          fresh[feed.url] = { fetchedAt: cached.fetchedAt, offers: again };
          cachedAt = Math.min(cachedAt ?? cached.fetchedAt, cached.fetchedAt);
          problems.push(
            `${label} could not be reached; showing its offers as they were on ${formatDateTime(new Date(cached.fetchedAt))}.`,
          );
        } else {
          problems.push(`${label} could not be reached, and no offers from it were saved earlier.`);
        }
      }
    }),
  );
  for (const feed of feeds) offers.push(...(fresh[feed.url]?.offers ?? []));
  await browser.storage.local.set({ [OFFER_CACHE_KEY]: fresh }).catch(() => {});
  return cachedAt === undefined ? { offers, problems } : { offers, problems, cachedAt };
}
