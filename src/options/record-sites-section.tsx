import { useState } from 'preact/hooks';
import type { SelectorField, SelectorTest } from './connector';
import { fieldId, newKey, originFromAddress, type RecordSiteDraft } from './draft';
import { TextField } from './fields';
import { replaceAt, type SectionProps } from './section';

const SELECTOR_FIELDS: readonly [SelectorField, string][] = [
  ['nhsNumber', 'NHS number selector (optional)'],
  ['name', 'Name selector (optional)'],
  ['birthDate', 'Date of birth selector (optional)'],
];
const SELECTOR_WORDS: Record<SelectorField, string> = {
  nhsNumber: 'NHS number',
  name: 'Name',
  birthDate: 'Date of birth',
};

type SelectorTestState =
  | { state: 'testing' }
  | { state: 'done'; test: SelectorTest }
  | { state: 'error'; problem: string };

/** Record sites: the clinical systems where Linkwell looks for the patient, each with the browser's permission. */
export function RecordSitesSection(
  props: SectionProps & {
    onGranted: (origin: string, granted: boolean) => void;
  },
) {
  const { draft, edit, connector } = props;
  const [address, setAddress] = useState('');
  const [addError, setAddError] = useState<string | undefined>();
  const [tests, setTests] = useState<Record<string, SelectorTestState>>({});
  // Open or closed as the person left it: clearing the last selector must not fold the fields away.
  const [expanded, setExpanded] = useState<Record<string, boolean>>({});

  // Permission is asked for in the same click that adds the site: browsers only ask during a user gesture,
  // so nothing may be awaited before `requestSitePermission`.
  const ask = (origin: string) => {
    const asking = connector.requestSitePermission(origin);
    void asking.then((granted) => props.onGranted(origin, granted));
  };

  const add = () => {
    const result = originFromAddress(address);
    if (!result.ok) {
      setAddError(result.message);
      return;
    }
    if (draft.recordSites.some((site) => site.origin === result.origin)) {
      setAddError(`${result.origin} is already a record site`);
      return;
    }
    ask(result.origin);
    setAddError(undefined);
    setAddress('');
    const site: RecordSiteDraft = {
      key: newKey(),
      origin: result.origin,
      label: '',
      nhsNumber: '',
      name: '',
      birthDate: '',
    };
    edit('recordSites', (current) => ({ ...current, recordSites: [...current.recordSites, site] }));
  };

  const runTest = async (site: RecordSiteDraft) => {
    setTests((all) => ({ ...all, [site.key]: { state: 'testing' } }));
    const reply = await connector.testSelectors(site.origin, {
      nhsNumber: site.nhsNumber,
      name: site.name,
      birthDate: site.birthDate,
    });
    setTests((all) => ({
      ...all,
      [site.key]: reply.ok
        ? { state: 'done', test: reply.value }
        : { state: 'error', problem: reply.problem },
    }));
  };

  const addId = fieldId('new-record-site');
  return (
    <section class="options-section" aria-labelledby="record-sites-title" id="record-sites">
      <h2 id="record-sites-title">Record sites</h2>
      <p>
        The web addresses of your clinical system. Linkwell reads only these pages, and only once this browser
        has allowed it: adding a site asks for that permission.
      </p>
      {draft.recordSites.length === 0 ? <p class="options-empty">No record sites yet.</p> : null}
      {draft.recordSites.map((site, index) => {
        const at = (field: string) => `recordSites[${index}].${field}`;
        const granted = props.granted[site.origin];
        const test = tests[site.key];
        const change = (field: string, patch: Partial<RecordSiteDraft>) =>
          edit(at(field), (current) => ({
            ...current,
            recordSites: replaceAt(current.recordSites, index, (item) => ({ ...item, ...patch })),
          }));
        return (
          <fieldset class="options-card" key={site.key}>
            <legend class="options-card__title">
              <span class="visually-hidden">Record site {index + 1}: </span>
              {site.origin}
            </legend>
            <p class="options-permission" id={`${fieldId(at('origin'))}`}>
              {granted === undefined ? (
                <span class="nhs-tag nhs-tag--grey">Checking permission…</span>
              ) : granted ? (
                <span class="nhs-tag nhs-tag--green">Permission granted</span>
              ) : (
                <>
                  <span class="nhs-tag nhs-tag--yellow">Permission not granted</span>{' '}
                  <span>Linkwell will not run on this site until the browser allows it.</span>{' '}
                  <button
                    type="button"
                    class="nhs-button nhs-button--secondary nhs-button--small"
                    onClick={() => ask(site.origin)}
                  >
                    Ask for permission<span class="visually-hidden"> for {site.origin}</span>
                  </button>
                </>
              )}
            </p>
            {props.errorFor(at('origin')) ? (
              <p class="nhs-error-message">Address {props.errorFor(at('origin'))}</p>
            ) : null}
            <TextField
              path={at('label')}
              label="Label (optional)"
              hint="What your practice calls this system."
              value={site.label}
              error={props.errorFor(at('label'))}
              onInput={(label) => change('label', { label })}
            />
            <details
              class="options-details"
              open={expanded[site.key] ?? Boolean(site.nhsNumber || site.name || site.birthDate)}
              onToggle={(event) => {
                const open = event.currentTarget.open;
                setExpanded((all) => ({ ...all, [site.key]: open }));
              }}
            >
              <summary>Patient selectors (optional)</summary>
              <p class="nhs-hint">
                Only needed when Linkwell cannot find the patient banner by itself: CSS selectors for where
                the page shows each detail, like <code>#banner .nhs</code>.
              </p>
              {SELECTOR_FIELDS.map(([field, label]) => (
                <TextField
                  key={field}
                  path={at(`selectors.${field}`)}
                  label={label}
                  value={site[field]}
                  error={props.errorFor(at(`selectors.${field}`))}
                  onInput={(value) => change(`selectors.${field}`, { [field]: value })}
                />
              ))}
              <button
                type="button"
                class="nhs-button nhs-button--secondary nhs-button--small"
                disabled={test?.state === 'testing'}
                onClick={() => void runTest(site)}
              >
                Test on open tab<span class="visually-hidden"> of {site.origin}</span>
              </button>
              <span class="nhs-hint">
                Tries the selectors on the tab of this site you used most recently: open a patient’s record
                there first.
              </span>
              <div class="options-result" role="status">
                {test?.state === 'testing' ? 'Testing…' : null}
                {test?.state === 'error' ? test.problem : null}
                {test?.state === 'done' ? (
                  <>
                    <p>Tried on “{test.test.tabTitle}”:</p>
                    <ul>
                      {test.test.checks.map((check) => (
                        <li key={check.field}>
                          {SELECTOR_WORDS[check.field]} (<code>{check.selector}</code>):{' '}
                          {check.invalid
                            ? 'this is not a valid CSS selector'
                            : check.found === null
                              ? 'nothing found'
                              : `found “${check.found}”`}
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
              </div>
            </details>
            {props.managed ? null : (
              <div class="options-row-actions">
                <button
                  type="button"
                  class="nhs-button nhs-button--warning nhs-button--small"
                  onClick={() =>
                    edit('recordSites', (current) => ({
                      ...current,
                      recordSites: current.recordSites.filter((_, at) => at !== index),
                    }))
                  }
                >
                  Remove<span class="visually-hidden"> {site.origin}</span>
                </button>
              </div>
            )}
          </fieldset>
        );
      })}
      {props.managed ? null : (
        <div class={`nhs-form-group options-add${addError ? ' nhs-form-group--error' : ''}`}>
          <label class="nhs-label" for={addId}>
            Record site address
          </label>
          <span class="nhs-hint" id={`${addId}-hint`}>
            For example https://gp.example.nhs.uk. Paste any page of the system; only its address is kept.
          </span>
          {addError ? (
            <span class="nhs-error-message" id={`${addId}-error`}>
              <span class="visually-hidden">Error: </span>
              {addError}
            </span>
          ) : null}
          <div class="options-inline">
            <input
              class={`nhs-input${addError ? ' nhs-input--error' : ''}`}
              id={addId}
              type="url"
              inputMode="url"
              autoComplete="off"
              spellcheck={false}
              value={address}
              aria-invalid={addError ? 'true' : undefined}
              aria-describedby={`${addId}-hint${addError ? ` ${addId}-error` : ''}`}
              onInput={(event) => setAddress(event.currentTarget.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') {
                  event.preventDefault();
                  add();
                }
              }}
            />
            <button type="button" class="nhs-button nhs-button--secondary" onClick={add}>
              Add record site
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
