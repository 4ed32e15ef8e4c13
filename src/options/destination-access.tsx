import { useState } from 'preact/hooks';
import type { OptionsConnector } from './connector';
import type { Destination } from './draft';

// Whether the browser lets Linkwell contact the link workers' systems and the offer feeds. Without
// that access a request depends on the server's CORS headers; most FHIR servers send none, so the
// browser blocks the referral, which looks like a network failure and is retried for ever as Queued.

type AskState = { state: 'idle' } | { state: 'asking' } | { state: 'refused' };

/** One system's access, beside its address: granted, not granted, or not known yet. */
export function AccessTag(props: { origin: string | undefined; granted: boolean | undefined; what: string }) {
  if (props.origin === undefined) return null;
  return (
    <p class="options-permission">
      {props.granted === undefined ? (
        <span class="nhs-tag nhs-tag--grey">Checking access…</span>
      ) : props.granted ? (
        <span class="nhs-tag nhs-tag--green">Allowed to contact {props.origin}</span>
      ) : (
        <>
          <span class="nhs-tag nhs-tag--yellow">Not allowed to contact {props.origin}</span>{' '}
          <span>{props.what}</span>
        </>
      )}
    </p>
  );
}

/**
 * The systems Linkwell is not allowed to contact yet, with one button that asks the browser for all
 * of them. It works while the settings are managed too: access belongs to this browser, not to the
 * settings, so IT's policy cannot grant it and the Save button (which also asks) is not there.
 */
export function DestinationAccess(props: {
  destinations: Destination[];
  granted: Record<string, boolean>;
  connector: OptionsConnector;
}) {
  const [ask, setAsk] = useState<AskState>({ state: 'idle' });
  const missing = props.destinations.filter((destination) => props.granted[destination.origin] === false);
  if (missing.length === 0) return null;

  const allow = () => {
    // Asked first, inside the click: the browser only prompts during a user gesture.
    const asking = props.connector.requestDestinationAccess(missing.map((destination) => destination.origin));
    setAsk({ state: 'asking' });
    void asking.then((granted) => setAsk(granted ? { state: 'idle' } : { state: 'refused' }));
  };

  return (
    <section class="nhs-inset options-warning options-access" aria-labelledby="access-title">
      <h2 id="access-title">Linkwell is not allowed to contact some systems yet</h2>
      <p>
        Until this browser allows it, referrals to these systems wait as Queued and are not delivered, and
        offers cannot be fetched from these feeds:
      </p>
      <ul>
        {missing.map((destination) => (
          <li key={destination.origin}>
            <code>{destination.origin}</code> ({destination.uses.join(', ')})
          </li>
        ))}
      </ul>
      <button type="button" class="nhs-button nhs-button--secondary" onClick={allow}>
        Allow Linkwell to contact these systems
      </button>
      <p role="status">
        {ask.state === 'asking' ? 'Choose Allow in the browser’s question about Linkwell.' : null}
        {ask.state === 'refused'
          ? 'The browser did not allow it. Press the button again and choose Allow.'
          : null}
      </p>
    </section>
  );
}
