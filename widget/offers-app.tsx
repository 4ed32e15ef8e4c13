import { Component, type ComponentChildren } from 'preact';
import { nextPageUrl, readOfferFeed } from '../src/core/feed-reader';
import type { Offer } from '../src/core/offer';
import {
  categoriesOf,
  hasAges,
  indexOffers,
  NO_FILTERS,
  type OfferFilters,
  type OfferIndex,
  searchOffers,
} from '../src/core/offer-search';
import { downloadCalendar } from '../src/ui/calendar-download';
import { OfferCard } from '../src/ui/offer-card';
import { OfferFiltersForm } from '../src/ui/offer-filters';
import { FeedError, feedUrl, fetchFeed, MAX_OFFERS, MAX_PAGES, parseJson } from './feed';

/** How many offers are drawn at a time: typing stays instant at thousands of offers. */
const PAGE = 20;
/** Services read before the first offers are drawn, then per step after: first paint does not wait for 5,000. */
const FIRST_SLICE = 100;
const SLICE = 1000;

/** The feed cut into feeds of a few services each, in order; anything but a list of services stays whole. */
function slices(json: unknown): unknown[] {
  const page = json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  const key = Array.isArray(json) ? '' : ['contents', 'content'].find((name) => Array.isArray(page[name]));
  if (key === undefined) return [json];
  const services = (key ? page[key] : json) as unknown[];
  const parts: unknown[] = [];
  for (let at = 0; at < services.length || !at; at += at ? SLICE : FIRST_SLICE) {
    const part = services.slice(at, at + (at ? SLICE : FIRST_SLICE));
    parts.push(key ? { ...page, [key]: part } : part);
  }
  return parts;
}
const NO_FEED = 'No feed is set.';
const NOT_A_FEED = 'The offers feed is not in a format this list can read (Open Referral UK).';

export interface OffersAppProps {
  /** The feed URL as written; relative URLs resolve against the page. */
  src?: string | undefined;
  /** The inline feed's JSON text, when there is no `src`. */
  inline?: string | undefined;
  category: string;
  heading: string;
}

interface Loaded {
  offers: Offer[];
  skipped: number;
  /** Said under the list: offers left out, or the cap reached. */
  notes: string[];
  /** Set while more pages are coming. */
  progress?: string | undefined;
  /** The page to start from on "Try again" after a failure. */
  resumeUrl?: string | undefined;
  pages: number;
  error?: string | undefined;
}

const START: Loaded = { offers: [], skipped: 0, notes: [], pages: 0 };
const plural = (n: number, word: string) => `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`;

interface ListState {
  feed: Loaded;
  filters: OfferFilters;
  /** How many of the results are drawn. */
  shown: number;
}

/**
 * The list: loads the feed (following `nextPageUrl` page after page, within the caps), then searches and
 * filters it. A class rather than hooks: preact/hooks would cost a kilobyte of the 15 kB budget.
 */
class OffersList extends Component<OffersAppProps, ListState> {
  override state: ListState = {
    feed: START,
    filters: { ...NO_FILTERS, category: this.props.category },
    shown: PAGE,
  };
  #abort?: AbortController;
  #root: HTMLDivElement | null = null;
  // Worked out again only when what they come from changes, so a keystroke only searches.
  #indexed?: { offers: Offer[]; index: OfferIndex; categories: string[]; ages: boolean };
  #searched?: { index: OfferIndex; filters: OfferFilters; results: Offer[] };

  override componentDidMount() {
    this.#load(false);
  }

  override componentDidUpdate(previous: OffersAppProps) {
    const { src, inline, category } = this.props;
    if (previous.src !== src || previous.inline !== inline) this.#load(false);
    if (previous.category !== category) this.#filter({ ...this.state.filters, category });
  }

  override componentWillUnmount() {
    this.#abort?.abort();
  }

  #filter(filters: OfferFilters) {
    this.setState({ filters, shown: PAGE });
  }

  /** Loads the feed; `resume` carries on from the page that failed ("Try again" after a later page). */
  #load(resume: boolean) {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    const { src, inline } = this.props;
    const previous = this.state.feed;
    let current: Loaded = resume && previous.resumeUrl ? { ...previous, error: undefined } : START;
    const ids = new Set(current.offers.map((offer) => offer.id));
    let url = current.resumeUrl ?? src;
    const set = (feed: Loaded) => {
      current = feed;
      if (!abort.signal.aborted) this.setState({ feed });
    };
    set(current);
    (async () => {
      if (url) url = feedUrl(url);
      do {
        if (!url && inline === undefined) throw new FeedError(NO_FEED);
        const json = url ? await fetchFeed(url, abort.signal) : parseJson(inline ?? '');
        const parts = slices(json);
        const pages = current.pages + 1;
        let { offers, skipped } = current;
        let next: string | undefined;
        let capped = false;
        for (const [index, part] of parts.entries()) {
          // After the first slice: let the first offers paint, and keystrokes in, before reading on.
          if (index) await new Promise((resolve) => setTimeout(resolve));
          if (abort.signal.aborted) return;
          const feed = readOfferFeed(part, { maxOffers: MAX_OFFERS - offers.length });
          if (feed.format === 'unknown') throw new FeedError(NOT_A_FEED);
          const fresh = feed.offers.filter((offer) => !ids.has(offer.id) && ids.add(offer.id));
          if (fresh.length) offers = offers.concat(fresh);
          skipped += feed.skipped;
          next = url && nextPageUrl(url, feed.page);
          capped ||=
            feed.problems.some((problem) => problem.startsWith('Stopped at')) ||
            Boolean(next && pages >= MAX_PAGES);
          const last = index === parts.length - 1 || capped;
          if (index && !last) continue;
          set({
            offers,
            skipped,
            pages,
            notes: [
              skipped
                ? `${plural(skipped, 'offer')} could not be shown: their details in the feed are incomplete.`
                : '',
              capped
                ? `This feed has more offers than this list shows: it stops at ${plural(MAX_OFFERS, 'offer')} or ${MAX_PAGES} pages.`
                : '',
            ].filter(Boolean),
            progress: !last
              ? 'Loading more offers…'
              : next && !capped
                ? `Loading more offers: page ${pages + 1} of ${feed.page?.totalPages}`
                : undefined,
          });
          if (capped) break;
        }
        url = capped ? undefined : next;
      } while (url && !abort.signal.aborted);
    })().catch((error: unknown) => {
      set({
        ...current,
        progress: undefined,
        resumeUrl: current.pages ? url : undefined,
        error: error instanceof FeedError ? error.message : 'The offers could not be loaded.',
      });
    });
  }

  override render() {
    const { heading } = this.props;
    const { feed, filters, shown } = this.state;
    if (this.#indexed?.offers !== feed.offers) {
      const offers = feed.offers;
      this.#indexed = {
        offers,
        index: indexOffers(offers),
        categories: categoriesOf(offers),
        ages: hasAges(offers),
      };
    }
    const { index, categories, ages } = this.#indexed;
    if (this.#searched?.index !== index || this.#searched.filters !== filters)
      this.#searched = { index, filters, results: searchOffers(index, filters) };
    const { results } = this.#searched;
    const year = new Date().getFullYear();
    const ready = feed.pages > 0;
    return (
      <div
        ref={(element) => {
          this.#root = element;
        }}
      >
        {heading && <h2 class="lw-heading">{heading}</h2>}
        {ready && (
          <OfferFiltersForm
            filters={filters}
            categories={categories}
            showAge={ages}
            onChange={(next) => this.#filter(next)}
          />
        )}
        {!ready && !feed.error && <p role="status">Loading offers…</p>}
        {feed.error && (
          <div class="lw-alert" role="alert">
            <p>
              <strong>{ready ? 'Not all offers could be loaded.' : 'The offers could not be loaded.'}</strong>{' '}
              {feed.error}
            </p>
            <button type="button" class="lw-button" onClick={() => this.#load(true)}>
              Try again
            </button>
          </div>
        )}
        {/* Present from the first render so screen readers announce each change of count. */}
        <p class="lw-count" aria-live="polite">
          {ready &&
            (results.length > shown
              ? `Showing ${shown} of ${plural(results.length, 'offer')}`
              : results.length
                ? plural(results.length, 'offer')
                : feed.offers.length
                  ? 'No offers match your search'
                  : 'No offers are listed yet')}
        </p>
        {ready && !results.length && feed.offers.length > 0 && (
          <p>
            <button type="button" class="lw-button" onClick={() => this.#filter(NO_FILTERS)}>
              Clear search and filters
            </button>
          </p>
        )}
        {results.length > 0 && (
          <div class="lw-list">
            {results.slice(0, shown).map((offer) => (
              <OfferCard
                key={offer.id}
                offer={offer}
                year={year}
                onAddToCalendar={(chosen) => this.#root && downloadCalendar(chosen, this.#root)}
              />
            ))}
          </div>
        )}
        {results.length > shown && (
          <p class="lw-more">
            <button type="button" class="lw-button" onClick={() => this.setState({ shown: shown + PAGE })}>
              Show {Math.min(PAGE, results.length - shown)} more offers
            </button>
          </p>
        )}
        {feed.progress && <p role="status">{feed.progress}</p>}
        {feed.notes.map((note) => (
          <p class="lw-note">{note}</p>
        ))}
      </div>
    );
  }
}

/** Whatever goes wrong while drawing, the host page is never broken: the widget says so instead. */
class Guard extends Component<{ children: ComponentChildren }, { broken: boolean }> {
  override state = { broken: false };
  override componentDidCatch() {
    this.setState({ broken: true });
  }
  override render() {
    return this.state.broken ? (
      <p class="lw-alert" role="alert">
        The offers could not be shown.
      </p>
    ) : (
      this.props.children
    );
  }
}

export function OffersApp(props: OffersAppProps) {
  return (
    <Guard>
      <OffersList {...props} />
    </Guard>
  );
}
