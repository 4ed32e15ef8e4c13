import { useState } from 'preact/hooks';
import type { FeedCheck } from './connector';
import { AccessTag } from './destination-access';
import { grantableOrigin, newKey, type OfferFeedDraft } from './draft';
import { TextField } from './fields';
import { replaceAt, type SectionProps } from './section';

// Each answer is kept with the address it was for: once the address changes, an old answer says nothing.
type FeedState = { url: string } & (
  | { state: 'asking'; origin: string }
  | { state: 'checking' }
  | { state: 'done'; check: FeedCheck }
  | { state: 'error'; problem: string }
);

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** Offer feeds: Open Referral UK feeds of community offers the panel can suggest. */
export function OfferFeedsSection(props: SectionProps) {
  const { draft, edit, connector } = props;
  const [checks, setChecks] = useState<Record<string, FeedState>>({});

  const check = async (feed: OfferFeedDraft) => {
    const url = feed.url.trim();
    const origin = grantableOrigin(url);
    // Asked first, inside the click: the browser only prompts during a user gesture.
    const access = origin === undefined ? undefined : connector.requestDestinationAccess([origin]);
    if (access !== undefined && origin !== undefined) {
      setChecks((all) => ({ ...all, [feed.key]: { url, state: 'asking', origin } }));
      await access;
    }
    setChecks((all) => ({ ...all, [feed.key]: { url, state: 'checking' } }));
    const reply = await connector.checkFeed(url);
    setChecks((all) => ({
      ...all,
      [feed.key]: reply.ok
        ? { url, state: 'done', check: reply.value }
        : { url, state: 'error', problem: reply.problem },
    }));
  };

  return (
    <section class="options-section" aria-labelledby="offer-feeds-title" id="offer-feeds">
      <h2 id="offer-feeds-title">Offer feeds</h2>
      <p>
        Open Referral UK feeds of local groups and activities that clinicians can suggest with a referral.
      </p>
      {draft.offerFeeds.length === 0 ? <p class="options-empty">No offer feeds yet.</p> : null}
      {draft.offerFeeds.map((feed, index) => {
        const at = (field: string) => `offerFeeds[${index}].${field}`;
        const title = feed.label.trim() || feed.url.trim() || 'New feed';
        const answer = checks[feed.key];
        const state = answer?.url === feed.url.trim() ? answer : undefined;
        const urlError = props.errorFor(at('url'));
        return (
          <fieldset class="options-card" key={feed.key}>
            <legend class="options-card__title">
              <span class="visually-hidden">Offer feed {index + 1}: </span>
              {title}
            </legend>
            <TextField
              path={at('url')}
              label="Feed address"
              type="url"
              inputMode="url"
              value={feed.url}
              error={urlError}
              onInput={(url) =>
                edit(at('url'), (current) => ({
                  ...current,
                  offerFeeds: replaceAt(current.offerFeeds, index, (item) => ({ ...item, url })),
                }))
              }
            />
            <AccessTag
              origin={grantableOrigin(feed.url)}
              granted={props.granted[grantableOrigin(feed.url) ?? '']}
              what="Offers from this feed cannot be fetched until this browser allows it (see the top of this page)."
            />
            <TextField
              path={at('label')}
              label="Label (optional)"
              value={feed.label}
              error={props.errorFor(at('label'))}
              onInput={(label) =>
                edit(at('label'), (current) => ({
                  ...current,
                  offerFeeds: replaceAt(current.offerFeeds, index, (item) => ({ ...item, label })),
                }))
              }
            />
            <div class="options-row-actions">
              <button
                type="button"
                class="nhs-button nhs-button--secondary nhs-button--small"
                disabled={
                  state?.state === 'checking' ||
                  state?.state === 'asking' ||
                  feed.url.trim() === '' ||
                  urlError !== undefined
                }
                onClick={() => void check(feed)}
              >
                Check feed<span class="visually-hidden"> {title}</span>
              </button>
              {props.managed ? null : (
                <button
                  type="button"
                  class="nhs-button nhs-button--warning nhs-button--small"
                  onClick={() =>
                    edit('offerFeeds', (current) => ({
                      ...current,
                      offerFeeds: current.offerFeeds.filter((_, at) => at !== index),
                    }))
                  }
                >
                  Remove<span class="visually-hidden"> {title}</span>
                </button>
              )}
            </div>
            <div class="options-result" role="status">
              {state?.state === 'asking'
                ? `Asking the browser to let Linkwell fetch from ${state.origin}: choose Allow if it asks.`
                : null}
              {state?.state === 'checking' ? 'Fetching the feed…' : null}
              {state?.state === 'error' ? (
                <>
                  <strong class="nhs-tag nhs-tag--red">Not read</strong> {state.problem}
                </>
              ) : null}
              {state?.state === 'done' ? <FeedSummary check={state.check} /> : null}
            </div>
          </fieldset>
        );
      })}
      {props.managed ? null : (
        <button
          type="button"
          class="nhs-button nhs-button--secondary"
          onClick={() =>
            edit('offerFeeds', (current) => ({
              ...current,
              offerFeeds: [...current.offerFeeds, { key: newKey(), url: '', label: '' }],
            }))
          }
        >
          Add offer feed
        </button>
      )}
    </section>
  );
}

function FeedSummary(props: { check: FeedCheck }) {
  const { check } = props;
  return (
    <>
      <p>
        <strong class={`nhs-tag ${check.offers > 0 ? 'nhs-tag--green' : 'nhs-tag--yellow'}`}>
          {plural(check.offers, 'offer', 'offers')}
        </strong>{' '}
        {check.pages > 1 ? `across ${check.pages} pages. ` : ''}
        {check.skipped > 0
          ? `${plural(check.skipped, 'service was', 'services were')} skipped. `
          : 'Nothing skipped. '}
        {check.inactive > 0
          ? `${plural(check.inactive, 'inactive service', 'inactive services')} left out.`
          : ''}
      </p>
      {check.problems.length > 0 ? (
        <ul class="options-problems">
          {check.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
