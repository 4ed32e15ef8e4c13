import { useState } from 'preact/hooks';
import { exportSettings, formatSettingsProblem, parseSettingsText, type Settings } from '../core/settings';
import type { OptionsConnector } from './connector';

type ImportState =
  | { state: 'idle' }
  | { state: 'refused'; fileName: string; problems: string[] }
  | { state: 'imported'; fileName: string; withoutToken: string[] };

/** The names of the FHIR link workers with no access token: an export leaves tokens out by default. */
function withoutToken(settings: Settings): string[] {
  return settings.linkWorkers
    .filter((linkWorker) => linkWorker.delivery.method === 'fhir' && linkWorker.delivery.token === undefined)
    .map((linkWorker) => linkWorker.name);
}

/** Import and export of the settings document (CONTRACT.md section 2). */
export function ImportExportSection(props: {
  connector: OptionsConnector;
  /** The settings in force, as saved or set by policy. */
  settings: Settings | undefined;
  managed: boolean;
  onImported: (settings: Settings) => void;
}) {
  const [importState, setImportState] = useState<ImportState>({ state: 'idle' });
  const [includeTokens, setIncludeTokens] = useState(false);

  const importFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    const text = await file.text();
    // Reset the input, so choosing the same file again (after fixing it) is seen as a change.
    input.value = '';
    const parsed = parseSettingsText(text);
    if (!parsed.ok) {
      setImportState({
        state: 'refused',
        fileName: file.name,
        problems: parsed.problems.map(formatSettingsProblem),
      });
      return;
    }
    const saved = await props.connector.saveSettings(parsed.settings);
    if (!saved.ok) {
      setImportState({
        state: 'refused',
        fileName: file.name,
        problems: saved.problems.map(formatSettingsProblem),
      });
      return;
    }
    setImportState({ state: 'imported', fileName: file.name, withoutToken: withoutToken(saved.settings) });
    props.onImported(saved.settings);
  };

  const exportFile = () => {
    if (!props.settings) return;
    // A token set by the organisation is never exported, whatever the box says.
    const document = exportSettings(props.settings, { includeTokens: includeTokens && !props.managed });
    props.connector.download(
      'linkwell-settings.json',
      'application/json',
      `${JSON.stringify(document, null, 2)}\n`,
    );
  };

  return (
    <section class="options-section" aria-labelledby="import-export-title" id="import-export">
      <h2 id="import-export-title">Import and export</h2>
      <div class="options-columns">
        <div>
          <h3>Import</h3>
          <p>
            Replace these settings with a settings file. The whole file is checked first; a file with mistakes
            changes nothing.
          </p>
          <div class="nhs-form-group">
            <label class="nhs-label" for="import-settings">
              Import settings
            </label>
            <input
              class="options-file"
              id="import-settings"
              type="file"
              accept=".json,application/json"
              disabled={props.managed}
              onChange={(event) => void importFile(event.currentTarget)}
            />
          </div>
          <div role="alert">
            {importState.state === 'refused' ? (
              <div class="nhs-error-summary options-import-problems">
                <h4>{importState.fileName} was not imported</h4>
                <p>Nothing has changed. Correct the file and import it again:</p>
                <ul>
                  {importState.problems.map((problem) => (
                    <li key={problem}>{problem}</li>
                  ))}
                </ul>
              </div>
            ) : null}
          </div>
          <p role="status">
            {importState.state === 'imported' ? (
              <>
                <strong class="nhs-tag nhs-tag--green">Imported</strong> Settings from {importState.fileName}{' '}
                are saved and in use. The browser only asks for permissions when you press a button: under
                Record sites, press “Ask for permission” beside any site that needs it, and if the page shows
                “Linkwell is not allowed to contact some systems yet”, press “Allow Linkwell to contact these
                systems”.
              </>
            ) : null}
          </p>
          {importState.state === 'imported' && importState.withoutToken.length > 0 ? (
            <div class="nhs-inset options-warning">
              <p>
                <strong>No access token in this file for:</strong>
              </p>
              <ul>
                {importState.withoutToken.map((name) => (
                  <li key={name}>{name}</li>
                ))}
              </ul>
              <p>
                Exported files leave access tokens out unless asked. If their system needs a token, type it in
                under Link workers and press Save settings: until then their system may refuse referrals.
              </p>
            </div>
          ) : null}
        </div>
        <div>
          <h3>Export</h3>
          <p>Save the settings in use as a file, to set up another computer or keep a copy.</p>
          {props.managed ? (
            <p>Access tokens set by your organisation are never exported.</p>
          ) : (
            <div class="nhs-checkbox">
              <input
                type="checkbox"
                id="export-tokens"
                checked={includeTokens}
                onChange={(event) => setIncludeTokens(event.currentTarget.checked)}
              />
              <label for="export-tokens">
                Include access tokens (keep such a file as safe as a password)
              </label>
            </div>
          )}
          <button
            type="button"
            class="nhs-button nhs-button--secondary"
            disabled={!props.settings}
            onClick={exportFile}
          >
            Export settings
          </button>
          {props.settings ? null : <p class="nhs-hint">There are no saved settings to export yet.</p>}
        </div>
      </div>
    </section>
  );
}
