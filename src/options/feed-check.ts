import { type FeedPage, pageAfter, parseOfferFeed } from '../core/open-referral';
import type { FeedCheck, Outcome } from './connector';

/** Pages read at most: a feed is checked, not mirrored. */
const MAX_PAGES = 20;

/**
 * Fetches an offer feed, following its pages, and counts what Linkwell can use: offers, services skipped
 * (with the reasons) and inactive services. Feed text is only counted and quoted as text, never shown as markup.
 */
export async function checkOfferFeed(
  url: string,
  fetchFn: typeof fetch,
  mayContact?: (origin: string) => Promise<boolean>,
): Promise<Outcome<FeedCheck>> {
  const check: FeedCheck = { offers: 0, skipped: 0, inactive: 0, pages: 0, problems: [] };
  let pageUrl: string | undefined = url;
  // Counted from the first page read, so an API counting its pages from 0 is read exactly once each.
  let first: FeedPage | undefined;
  while (pageUrl !== undefined && check.pages < MAX_PAGES) {
    let json: unknown;
    try {
      const response = await fetchFn(pageUrl, {
        headers: { Accept: 'application/json' },
        credentials: 'omit',
        cache: 'no-store',
        signal: AbortSignal.timeout(20_000),
      });
      if (!response.ok) {
        return {
          ok: false,
          problem: `The feed could not be fetched: the server answered HTTP ${response.status}.`,
        };
      }
      json = await response.json();
    } catch (error) {
      if (error instanceof SyntaxError) {
        return { ok: false, problem: 'The address answered, but not with a JSON feed.' };
      }
      // Without access, the server's CORS headers decide, and a refusal looks like a network failure.
      const origin = new URL(pageUrl).origin;
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      if (!timedOut && mayContact && !(await mayContact(origin))) {
        return {
          ok: false,
          problem: `Linkwell has not been allowed to fetch from ${origin}. Press Check feed again and choose Allow when the browser asks.`,
        };
      }
      return {
        ok: false,
        problem:
          'The feed could not be fetched. Check the address, and that the server lets Linkwell read it.',
      };
    }
    const feed = parseOfferFeed(json, { firstIndex: check.offers + check.skipped + check.inactive });
    check.pages += 1;
    check.offers += feed.offers.length;
    check.skipped += feed.skipped;
    check.inactive += feed.inactive;
    check.problems.push(...feed.problems);
    if (feed.format === 'unknown') break;
    first ??= feed.page;
    pageUrl = pageAfter(url, first, check.pages);
  }
  if (pageUrl !== undefined && check.pages >= MAX_PAGES) {
    check.problems.push(`Only the first ${MAX_PAGES} pages were checked.`);
  }
  return { ok: true, value: check };
}
