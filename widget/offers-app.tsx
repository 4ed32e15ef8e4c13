import { Component } from 'preact';
import { isoDay } from '../src/core/calendar-file';
import { type FeedPage, pageAfter, pagesFrom, readOfferFeed } from '../src/core/feed-reader';
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

const NO_FEED = 'No feed is set.';

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
  /** Offers left out because their details are incomplete: said under the list. */
  skipped: number;
  /** Set when the feed has more than the caps allow: said under the list. */
  capped?: boolean;
  /** Set while more pages are coming. */
  progress?: string | undefined;
  /** Pages read: "Try again" after a failure carries on with the next. */
  pages: number;
  /** Services read on those pages, valid or not: services without an id are numbered on from here. */
  seen: number;
  /** The first page's paging, from which the widget counts the pages itself. */
  firstPage?: FeedPage | undefined;
  error?: string | undefined;
}

const START: Loaded = { offers: [], skipped: 0, pages: 0, seen: 0 };
const plural = (n: number, word: string) => `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`;

interface ListState {
  feed: Loaded;
  filters: OfferFilters;
  /** How many of the results are drawn. */
  shown: number;
  /** The offer whose calendar file could not be made, if any. */
  failed?: string | undefined;
  /** Set when drawing the list failed: it says so instead. */
  broken?: boolean;
}

/**
 * The list of offers (CONTRACT.md section 5): loads the feed (following its pages, counted here, within the
 * caps), then searches and filters it. A class rather than hooks: preact/hooks would cost a kilobyte of the
 * 15 kB budget.
 */
export class OffersApp extends Component<OffersAppProps, ListState> {
  override state: ListState = {
    feed: START,
    filters: { ...NO_FILTERS, category: this.props.category },
    shown: PAGE,
  };
  #abort?: AbortController;
  #root: HTMLDivElement | null = null;
  /** Where focus goes after the next render, when the control that had it goes away. */
  #focus?: string | undefined;
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
    const root = this.#root;
    if (this.#focus && root) {
      // The chosen place, else the heading, else the list itself: never <body>, where keyboard users get lost.
      (root.querySelector<HTMLElement>(this.#focus) ?? root.querySelector('h2') ?? root).focus();
      this.#focus = undefined;
    }
  }

  override componentWillUnmount() {
    this.#abort?.abort();
  }

  // Whatever goes wrong while drawing, the host page is never broken: the widget says so instead. Errors in the
  // offers and filters arrive here; the list's own drawing is guarded in render().
  override componentDidCatch() {
    this.setState({ broken: true });
  }

  #filter(filters: OfferFilters) {
    // "Clear filters" and "Clear search and filters" go away when pressed: focus goes to the search box.
    if (filters === NO_FILTERS) this.#focus = 'input';
    this.setState({ filters, shown: PAGE });
  }

  /** Loads the feed; `resume` carries on after the pages already read ("Try again" after a later page). */
  #load(resume: boolean) {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    const { src, inline } = this.props;
    const previous = this.state.feed;
    let current: Loaded = resume && previous.pages ? { ...previous, error: undefined } : START;
    const ids = new Set(current.offers.map((offer) => offer.id));
    const set = (feed: Loaded) => {
      current = feed;
      if (!abort.signal.aborted) this.setState({ feed });
    };
    set(current);
    (async () => {
      const base = src ? feedUrl(src) : undefined;
      let url = current.pages ? base && pageAfter(base, current.firstPage, current.pages) : base;
      do {
        if (!url && inline === undefined) throw new FeedError(NO_FEED);
        const json = url ? await fetchFeed(url, abort.signal) : parseJson(inline ?? '');
        const pages = current.pages + 1;
        let { offers, skipped, seen, firstPage } = current;
        let next: string | undefined;
        // The page is read in parts: the first offers paint, and keystrokes get in, before the rest is read.
        for (let from = 0, to = FIRST_SLICE; ; from = to, to += SLICE) {
          if (from) await new Promise((resolve) => setTimeout(resolve));
          if (abort.signal.aborted) return;
          const feed = readOfferFeed(json, {
            maxOffers: MAX_OFFERS - offers.length,
            firstIndex: seen,
            from,
            to,
          });
          // Its one problem says so, in words for people.
          if (feed.format === 'unknown') throw new FeedError(feed.problems[0]);
          // Only the first page says how the API counts its pages; later pages are counted from it.
          if (pages === 1) firstPage ??= feed.page;
          const fresh = feed.offers.filter((offer) => !ids.has(offer.id) && ids.add(offer.id));
          if (fresh.length) offers = offers.concat(fresh);
          skipped += feed.skipped;
          const { stopped } = feed;
          const last = to >= feed.services || stopped;
          if (last) seen += feed.services;
          if (from && !last) continue;
          next = base && !stopped ? pageAfter(base, firstPage, pages) : undefined;
          // The page cap is checked once the whole page is read, so the last page allowed is read in full.
          const capped = stopped || Boolean(last && next && pages >= MAX_PAGES);
          if (capped) next = undefined;
          set({
            offers,
            skipped,
            pages,
            seen,
            firstPage,
            capped,
            progress: !last
              ? 'Loading more offers…'
              : next && firstPage
                ? `Loading more offers: page ${pages + 1} of ${pagesFrom(firstPage)}`
                : undefined,
          });
          if (last) break;
        }
        url = next;
      } while (url && !abort.signal.aborted);
    })().catch((error: unknown) => {
      set({
        ...current,
        progress: undefined,
        error: error instanceof FeedError ? error.message : 'The offers could not be loaded.',
      });
    });
  }

  override render() {
    try {
      if (!this.state.broken) return this.#draw();
    } catch {}
    return (
      <p class="lw-alert" role="alert">
        The offers could not be shown.
      </p>
    );
  }

  #draw() {
    const { heading } = this.props;
    const { state } = this;
    const { feed, filters, shown } = state;
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
    const today = isoDay(new Date());
    const ready = feed.pages > 0;
    return (
      <div
        ref={(element) => {
          this.#root = element;
        }}
        // Focusable by script only: the last place focus can go when the control that had it goes away.
        tabIndex={-1}
      >
        {heading && (
          <h2 class="lw-heading" tabIndex={-1}>
            {heading}
          </h2>
        )}
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
            <button
              type="button"
              class="lw-button"
              onClick={() => {
                // The alert and its button go while loading: focus goes to the search box, else the heading.
                this.#focus = ready ? 'input' : 'h2';
                this.#load(true);
              }}
            >
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
                today={today}
                onAddToCalendar={(chosen) => {
                  if (this.#root && !downloadCalendar(chosen, this.#root))
                    this.setState({ failed: chosen.id });
                }}
                calendarFailed={state.failed === offer.id}
              />
            ))}
          </div>
        )}
        {results.length > shown && (
          <p class="lw-more">
            <button
              type="button"
              class="lw-button"
              onClick={() => {
                // This button goes on the last step: focus goes to the first offer just shown, every time.
                this.#focus = `.lw-list > :nth-child(${shown + 1}) .lw-name`;
                this.setState({ shown: shown + PAGE });
              }}
            >
              Show {Math.min(PAGE, results.length - shown)} more offers
            </button>
          </p>
        )}
        {feed.progress && <p role="status">{feed.progress}</p>}
        {feed.skipped > 0 && (
          <p class="lw-note">
            {plural(feed.skipped, 'offer')} could not be shown: their details in the feed are incomplete.
          </p>
        )}
        {feed.capped && (
          <p class="lw-note">
            This feed has more offers than this list shows: it stops at {plural(MAX_OFFERS, 'offer')} or{' '}
            {MAX_PAGES} pages.
          </p>
        )}
      </div>
    );
  }
}
