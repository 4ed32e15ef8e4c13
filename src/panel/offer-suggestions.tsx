import { useMemo, useState } from 'preact/hooks';
import type { Offer } from '../core/offer';
import { indexOffers, NO_FILTERS, searchOffers } from '../core/offer-search';
import type { SuggestedOffers } from './connector';
import type { SuggestedOffer } from './draft';

// Community offers from the practice's feeds that the GP may suggest with the referral. The widget's
// search (src/core/offer-search.ts) does the matching; feed text is shown as text only.

const SHOWN = 8;

export function offerToSuggestion(offer: Offer): SuggestedOffer {
  const contact = [offer.contact?.phone, offer.contact?.email].filter(Boolean).join(', ');
  return {
    name: offer.name,
    ...(offer.organisation ? { organisation: offer.organisation.name } : {}),
    ...(offer.url ? { url: offer.url } : offer.contact?.url ? { url: offer.contact.url } : {}),
    ...(contact ? { contact } : {}),
  };
}

export function OfferSuggestions(props: {
  offers: SuggestedOffers | 'loading';
  chosen: SuggestedOffer[];
  onChange: (chosen: SuggestedOffer[]) => void;
}) {
  const [query, setQuery] = useState('');
  const loaded = props.offers === 'loading' ? undefined : props.offers;
  const index = useMemo(() => indexOffers(loaded?.offers ?? []), [loaded]);
  const found = useMemo(() => searchOffers(index, { ...NO_FILTERS, query }), [index, query]);
  const isChosen = (offer: Offer) => props.chosen.some((chosen) => chosen.name === offer.name);
  const toggle = (offer: Offer, on: boolean) => {
    const others = props.chosen.filter((chosen) => chosen.name !== offer.name);
    props.onChange(on ? [...others, offerToSuggestion(offer)] : others);
  };
  // Feeds may reuse ids: the position in the combined list names each offer's checkbox.
  const idOf = (offer: Offer) => `offer-${loaded?.offers.indexOf(offer) ?? 0}`;
  // Chosen offers stay listed whatever the search, so they can be unticked.
  const shown = [
    ...(loaded?.offers.filter(isChosen) ?? []),
    ...found.filter((offer) => !isChosen(offer)).slice(0, SHOWN),
  ];

  return (
    <fieldset class="nhs-fieldset offers" aria-describedby="offers-hint">
      <legend>Suggested offers (optional)</legend>
      <span class="nhs-hint" id="offers-hint">
        Community activities from your practice’s offer lists that the link worker could start with.
      </span>
      {props.offers === 'loading' ? (
        <p>Loading offers…</p>
      ) : loaded && loaded.offers.length === 0 && loaded.problems.length === 0 ? (
        <p>Your practice has no offer lists set up.</p>
      ) : (
        <>
          {loaded?.problems.map((problem) => (
            <p class="nhs-hint" key={problem}>
              {problem}
            </p>
          ))}
          <div class="nhs-form-group">
            <label class="nhs-label" for="offer-search">
              Search community offers
            </label>
            <input
              class="nhs-input"
              id="offer-search"
              type="search"
              value={query}
              onInput={(event) => setQuery(event.currentTarget.value)}
            />
          </div>
          <p class="visually-hidden" aria-live="polite">
            {found.length === 1 ? '1 offer found' : `${found.length} offers found`}
          </p>
          <ul class="offer-list">
            {shown.map((offer) => (
              <li key={idOf(offer)} class="nhs-checkbox offer-item">
                <input
                  type="checkbox"
                  id={idOf(offer)}
                  checked={isChosen(offer)}
                  onChange={(event) => toggle(offer, event.currentTarget.checked)}
                />
                <label for={idOf(offer)}>
                  <span class="offer-name">{offer.name}</span>
                  {offer.organisation ? <span class="nhs-hint">{offer.organisation.name}</span> : null}
                  {offer.categories.length > 0 ? (
                    <span class="nhs-hint">{offer.categories.slice(0, 3).join(', ')}</span>
                  ) : null}
                </label>
              </li>
            ))}
          </ul>
        </>
      )}
    </fieldset>
  );
}
