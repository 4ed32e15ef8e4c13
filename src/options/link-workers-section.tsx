import { useState } from 'preact/hooks';
import type { TestMessageResult } from './connector';
import { AccessTag } from './destination-access';
import { emptyLinkWorker, fieldId, grantableOrigin, idFromName, type LinkWorkerDraft } from './draft';
import { TextField } from './fields';
import { move, replaceAt, type SectionProps } from './section';

// Each answer is kept with the endpoint it was for: once the address changes, an old answer says nothing.
type TestState = { endpoint: string } & (
  | { state: 'asking'; origin: string }
  | { state: 'sending' }
  | { state: 'done'; result: TestMessageResult }
  | { state: 'error'; problem: string }
);

/** Link workers: who clinicians refer to and how referrals reach them. */
export function LinkWorkersSection(props: SectionProps) {
  const { draft, edit } = props;
  const [tests, setTests] = useState<Record<string, TestState>>({});

  const change = (index: number, field: string, patch: (linkWorker: LinkWorkerDraft) => LinkWorkerDraft) =>
    edit(`linkWorkers[${index}].${field}`, (current) => ({
      ...current,
      linkWorkers: replaceAt(current.linkWorkers, index, patch),
    }));

  const add = () => {
    edit('linkWorkers', (current) => ({
      ...current,
      linkWorkers: [...current.linkWorkers, emptyLinkWorker()],
    }));
    const index = draft.linkWorkers.length;
    // Focus the new link worker's name once it is on the page.
    requestAnimationFrame(() => document.getElementById(fieldId(`linkWorkers[${index}].name`))?.focus());
  };

  const sendTest = async (linkWorker: LinkWorkerDraft) => {
    const endpoint = linkWorker.endpoint.trim();
    const origin = grantableOrigin(endpoint);
    // Asked first, inside the click: the browser only prompts during a user gesture. A refusal still
    // lets the test go, so the answer (or the background's words about access) says what happens.
    const access = origin === undefined ? undefined : props.connector.requestDestinationAccess([origin]);
    if (access !== undefined && origin !== undefined) {
      setTests((all) => ({ ...all, [linkWorker.key]: { endpoint, state: 'asking', origin } }));
      await access;
    }
    setTests((all) => ({ ...all, [linkWorker.key]: { endpoint, state: 'sending' } }));
    const reply = await props.connector.sendTestMessage({
      endpoint,
      token: linkWorker.policyToken ? props.policyToken(linkWorker.id) : linkWorker.token.trim() || undefined,
      practiceName: draft.practiceName.trim() || undefined,
    });
    setTests((all) => ({
      ...all,
      [linkWorker.key]: reply.ok
        ? { endpoint, state: 'done', result: reply.value }
        : { endpoint, state: 'error', problem: reply.problem },
    }));
  };

  return (
    <section class="options-section" aria-labelledby="link-workers-title" id="link-workers">
      <h2 id="link-workers-title">Link workers</h2>
      <p>
        The people clinicians refer to, in the order the referral panel lists them. Referrals reach each one
        as a FHIR message to their system, or as an email.
      </p>
      {draft.linkWorkers.length === 0 ? <p class="options-empty">No link workers yet.</p> : null}
      {draft.linkWorkers.map((linkWorker, index) => {
        const at = (field: string) => `linkWorkers[${index}].${field}`;
        const title = linkWorker.name.trim() || 'New link worker';
        const answer = tests[linkWorker.key];
        const test = answer?.endpoint === linkWorker.endpoint.trim() ? answer : undefined;
        return (
          <fieldset class="options-card" key={linkWorker.key}>
            <legend class="options-card__title">
              <span class="visually-hidden">Link worker {index + 1}: </span>
              {title}
            </legend>
            <div class="options-grid">
              <TextField
                path={at('name')}
                label="Name"
                hint="As clinicians will see it."
                value={linkWorker.name}
                error={props.errorFor(at('name'))}
                onInput={(name) =>
                  change(index, 'name', (current) => ({
                    ...current,
                    name,
                    id: current.idTouched
                      ? current.id
                      : idFromName(
                          name,
                          draft.linkWorkers
                            .filter((other) => other.key !== current.key)
                            .map((other) => other.id),
                        ),
                  }))
                }
              />
              <TextField
                path={at('id')}
                label="Short name"
                hint="Lower-case letters, digits and hyphens; kept with each referral."
                value={linkWorker.id}
                error={props.errorFor(at('id'))}
                onInput={(id) => change(index, 'id', (current) => ({ ...current, id, idTouched: true }))}
              />
              <TextField
                path={at('role')}
                label="Role (optional)"
                value={linkWorker.role}
                error={props.errorFor(at('role'))}
                onInput={(role) => change(index, 'role', (current) => ({ ...current, role }))}
              />
              <TextField
                path={at('organisation')}
                label="Organisation (optional)"
                value={linkWorker.organisation}
                error={props.errorFor(at('organisation'))}
                onInput={(organisation) =>
                  change(index, 'organisation', (current) => ({ ...current, organisation }))
                }
              />
              <TextField
                path={at('email')}
                label="Email (optional)"
                type="email"
                value={linkWorker.email}
                error={props.errorFor(at('email'))}
                onInput={(email) => change(index, 'email', (current) => ({ ...current, email }))}
              />
              <TextField
                path={at('phone')}
                label="Phone (optional)"
                type="tel"
                value={linkWorker.phone}
                error={props.errorFor(at('phone'))}
                onInput={(phone) => change(index, 'phone', (current) => ({ ...current, phone }))}
              />
            </div>
            <fieldset class="nhs-fieldset">
              <legend>How referrals reach {linkWorker.name.trim() || 'this link worker'}</legend>
              {(['fhir', 'email'] as const).map((method) => (
                <div class="nhs-radio" key={method}>
                  <input
                    type="radio"
                    id={`${fieldId(at('delivery.method'))}-${method}`}
                    name={`${linkWorker.key}-method`}
                    checked={linkWorker.method === method}
                    disabled={props.managed}
                    onChange={() => change(index, 'delivery.method', (current) => ({ ...current, method }))}
                  />
                  <label for={`${fieldId(at('delivery.method'))}-${method}`}>
                    {method === 'fhir' ? 'FHIR message to their system' : 'Email'}
                  </label>
                </div>
              ))}
            </fieldset>
            {linkWorker.method === 'fhir' ? (
              <div class="options-delivery">
                <TextField
                  path={at('delivery.endpoint')}
                  label="FHIR endpoint"
                  hint="Their $process-message address, starting with https:// (http:// only for a system on this computer)"
                  type="url"
                  inputMode="url"
                  value={linkWorker.endpoint}
                  error={props.errorFor(at('delivery.endpoint'))}
                  onInput={(endpoint) =>
                    change(index, 'delivery.endpoint', (current) => ({ ...current, endpoint }))
                  }
                />
                <AccessTag
                  origin={grantableOrigin(linkWorker.endpoint)}
                  granted={props.granted[grantableOrigin(linkWorker.endpoint) ?? '']}
                  what="Referrals to them wait as Queued until this browser allows it (see the top of this page)."
                />
                {props.managed ? (
                  <div class="nhs-form-group">
                    <p class="nhs-label">Access token</p>
                    <p>
                      {linkWorker.policyToken
                        ? 'Set by your organisation. It is not shown here and is never exported.'
                        : 'None set.'}
                    </p>
                  </div>
                ) : (
                  <TextField
                    path={at('delivery.token')}
                    label="Access token (optional)"
                    hint="Sent as a bearer token with each referral. Kept in this browser; left out of exports unless you ask."
                    type="password"
                    autoComplete="new-password"
                    value={linkWorker.token}
                    error={props.errorFor(at('delivery.token'))}
                    onInput={(token) => change(index, 'delivery.token', (current) => ({ ...current, token }))}
                  />
                )}
                <button
                  type="button"
                  class="nhs-button nhs-button--secondary nhs-button--small"
                  disabled={
                    test?.state === 'sending' || test?.state === 'asking' || linkWorker.endpoint.trim() === ''
                  }
                  onClick={() => void sendTest(linkWorker)}
                >
                  Send test message
                  <span class="visually-hidden"> to {title}</span>
                </button>
                <p class="options-result" role="status">
                  {test?.state === 'asking'
                    ? `Asking the browser to let Linkwell contact ${test.origin}: choose Allow if it asks.`
                    : null}
                  {test?.state === 'sending' ? 'Sending a test message…' : null}
                  {test?.state === 'done' ? (
                    <>
                      <strong
                        class={`nhs-tag ${test.result.outcome === 'accepted' ? 'nhs-tag--green' : test.result.outcome === 'refused' ? 'nhs-tag--red' : 'nhs-tag--yellow'}`}
                      >
                        {test.result.outcome === 'accepted' ? 'Test accepted' : 'Test not accepted'}
                      </strong>{' '}
                      {test.result.message}
                    </>
                  ) : null}
                  {test?.state === 'error' ? (
                    <>
                      <strong class="nhs-tag nhs-tag--red">Test not sent</strong> {test.problem}
                    </>
                  ) : null}
                </p>
              </div>
            ) : (
              <div class="options-delivery">
                <TextField
                  path={at('delivery.to')}
                  label="Email referrals to"
                  type="email"
                  value={linkWorker.to}
                  error={props.errorFor(at('delivery.to'))}
                  onInput={(to) => change(index, 'delivery.to', (current) => ({ ...current, to }))}
                />
              </div>
            )}
            {props.managed ? null : (
              <div class="options-row-actions">
                <button
                  type="button"
                  class="nhs-button nhs-button--secondary nhs-button--small"
                  disabled={index === 0}
                  onClick={() =>
                    edit('linkWorkers', (current) => ({
                      ...current,
                      linkWorkers: move(current.linkWorkers, index, -1),
                    }))
                  }
                >
                  Move up<span class="visually-hidden">: {title}</span>
                </button>
                <button
                  type="button"
                  class="nhs-button nhs-button--secondary nhs-button--small"
                  disabled={index === draft.linkWorkers.length - 1}
                  onClick={() =>
                    edit('linkWorkers', (current) => ({
                      ...current,
                      linkWorkers: move(current.linkWorkers, index, 1),
                    }))
                  }
                >
                  Move down<span class="visually-hidden">: {title}</span>
                </button>
                <button
                  type="button"
                  class="nhs-button nhs-button--warning nhs-button--small"
                  onClick={() =>
                    edit('linkWorkers', (current) => ({
                      ...current,
                      linkWorkers: current.linkWorkers.filter((_, at) => at !== index),
                    }))
                  }
                >
                  Remove<span class="visually-hidden"> {title}</span>
                </button>
              </div>
            )}
          </fieldset>
        );
      })}
      {props.managed ? null : (
        <button type="button" class="nhs-button nhs-button--secondary" onClick={add}>
          Add link worker
        </button>
      )}
    </section>
  );
}
