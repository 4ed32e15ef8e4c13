// Fetching the feed: bounded in bytes, pages and offers, and every failure turned into words for people.

/** The most the widget reads, so an enormous feed cannot freeze the page. Stated in docs/embedding.md. */
export const MAX_BYTES = 20_000_000;
export const MAX_PAGES = 50;
export const MAX_OFFERS = 10_000;

/** A failure whose message is written for the person looking at the page. */
export class FeedError extends Error {}

/** The feed's address resolved against the page (CONTRACT.md section 5); only http(s) is fetched. */
export function feedUrl(src: string): string {
  try {
    const url = new URL(src, document.baseURI);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
  } catch {}
  throw new FeedError('The feed address is not a web address (http or https).');
}

/** How long a feed may stay silent (before it answers, or between parts of its answer) before the list gives up. */
export const FEED_TIMEOUT = 30_000;
const NOT_JSON = 'The offers feed is not valid JSON.';

/**
 * The feed's JSON from `url`, no cookies sent; throws FeedError, also after `timeout` ms of silence. `signal` is
 * the list's own, for this fetch alone: aborting it (the list going away) aborts the fetch.
 */
export async function fetchFeed(url: string, signal: AbortSignal, timeout = FEED_TIMEOUT): Promise<unknown> {
  const stop = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Started again whenever the feed sends something: what ends the wait is silence, not a slow, steady feed.
  const wait = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stop.abort(), timeout);
  };
  signal.onabort = () => stop.abort();
  wait();
  try {
    const response = await fetch(url, {
      signal: stop.signal,
      credentials: 'omit',
      headers: { Accept: 'application/json' },
    });
    wait();
    if (!response.ok)
      throw new FeedError(`The offers feed answered with an error (HTTP ${response.status}).`);
    const tooBig = new FeedError('The offers feed is larger than 20 MB, more than this list can show.');
    const length = Number(response.headers.get('content-length'));
    if (length > MAX_BYTES) throw tooBig;
    // A same-origin feed with a stated length within the cap, not compressed, is read in one go: the body ends
    // at that length. Otherwise (Content-Encoding is hidden from cross-origin reads) read in chunks to the cap.
    if (length && response.type === 'basic' && !response.headers.get('content-encoding'))
      return await response.json();
    const reader = response.body?.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) {
      wait();
      size += chunk.value.length;
      if (size > MAX_BYTES) {
        await reader?.cancel();
        throw tooBig;
      }
      chunks.push(chunk.value);
    }
    return JSON.parse(await new Blob(chunks as BlobPart[]).text());
  } catch (error) {
    if (signal.aborted || error instanceof FeedError) throw error;
    throw new FeedError(
      error instanceof SyntaxError
        ? NOT_JSON
        : `The offers could not be fetched: the feed ${stop.signal.aborted ? 'took too long to answer' : 'did not answer'}.`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** JSON text as a value; throws FeedError. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new FeedError(NOT_JSON);
  }
}
