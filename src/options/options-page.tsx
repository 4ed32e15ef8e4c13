import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Settings, SettingsProblem } from '../core/settings';
import { ActivityReportSection } from './activity-report-section';
import type { OptionsConnector, SettingsState } from './connector';
import { DestinationAccess } from './destination-access';
import {
  checkDraft,
  describePath,
  destinationsOf,
  documentFromDraft,
  draftFromSettings,
  fieldId,
  problemsByPath,
  type SettingsDraft,
} from './draft';
import { ErrorSummary, ReadOnly, TextField } from './fields';
import { ImportExportSection } from './import-export-section';
import { LinkWorkersSection } from './link-workers-section';
import { OfferFeedsSection } from './offer-feeds-section';
import { RecordSitesSection } from './record-sites-section';
import type { SectionProps } from './section';

// The options page (CONTRACT.md sections 2 and 3): the practice manager's settings, import and export,
// the organisation's settings shown read-only when policy sets them, and the activity report.

const documentText = (draft: SettingsDraft) => JSON.stringify(documentFromDraft(draft));

/** `next` with the row keys of `previous` where rows line up, so saving does not rebuild the form under the cursor. */
function keepKeys(next: SettingsDraft, previous: SettingsDraft): SettingsDraft {
  const keep = <T extends { key: string }>(rows: T[], old: T[]) =>
    rows.length === old.length
      ? rows.map((row, index) => ({ ...row, key: old[index]?.key ?? row.key }))
      : rows;
  return {
    ...next,
    linkWorkers: keep(next.linkWorkers, previous.linkWorkers),
    recordSites: keep(next.recordSites, previous.recordSites),
    offerFeeds: keep(next.offerFeeds, previous.offerFeeds),
  };
}

export function OptionsPage(props: { connector: OptionsConnector }) {
  const { connector } = props;
  const [inForce, setInForce] = useState<SettingsState | undefined>();
  const [draft, setDraft] = useState<SettingsDraft>(() => draftFromSettings(undefined));
  const [baseline, setBaseline] = useState(() => documentText(draftFromSettings(undefined)));
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [saveProblems, setSaveProblems] = useState<SettingsProblem[]>([]);
  const [status, setStatus] = useState('');
  const [changedElsewhere, setChangedElsewhere] = useState(false);
  const [granted, setGranted] = useState<Record<string, boolean>>({});
  const [summaryFocus, setSummaryFocus] = useState(0);
  const summaryRef = useRef<HTMLDivElement | null>(null);

  // The listeners below outlive renders: they read the latest draft through refs.
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const baselineRef = useRef(baseline);
  baselineRef.current = baseline;

  const showSettings = (settings: Settings | undefined, fromPolicy = false) => {
    const next = keepKeys(draftFromSettings(settings, { fromPolicy }), draftRef.current);
    setDraft(next);
    setBaseline(documentText(next));
    setTouched(new Set());
    setSubmitted(false);
    setSaveProblems([]);
    setChangedElsewhere(false);
  };

  const load = async (first: boolean) => {
    const state = await connector.readSettings();
    setInForce(state);
    const settings = state.source === 'none' ? undefined : state.settings;
    const fromPolicy = state.source === 'policy';
    const incoming = documentText(draftFromSettings(settings, { fromPolicy }));
    if (incoming === baselineRef.current && !first) return;
    const clean = documentText(draftRef.current) === baselineRef.current;
    // Policy always wins; otherwise unsaved edits are kept and the person is told.
    if (first || clean || fromPolicy) showSettings(settings, fromPolicy);
    else setChangedElsewhere(true);
  };

  useEffect(() => {
    void load(true);
    return connector.onSettingsChanged(() => void load(false));
    // Subscribed once, for the life of the page.
  }, []);

  // Whether the browser lets Linkwell read each record site and contact each link worker's system and
  // offer feed, kept current as permissions change.
  const destinations = useMemo(() => destinationsOf(draft), [draft]);
  const watched = (current: SettingsDraft) => [
    ...new Set([
      ...current.recordSites.map((site) => site.origin),
      ...destinationsOf(current).map((destination) => destination.origin),
    ]),
  ];
  const origins = watched(draft).join(' ');
  useEffect(() => {
    const check = async () => {
      const entries = await Promise.all(
        watched(draftRef.current).map(
          async (origin) => [origin, await connector.hasSitePermission(origin)] as const,
        ),
      );
      setGranted(Object.fromEntries(entries));
    };
    void check();
    return connector.onPermissionsChanged(() => void check());
  }, [origins, connector]);

  useEffect(() => {
    if (summaryFocus > 0) summaryRef.current?.focus();
  }, [summaryFocus]);

  const managed = inForce?.source === 'policy';
  const result = useMemo(() => checkDraft(draft), [draft]);
  const problems = result.ok ? [] : result.problems;
  const visible = useMemo(() => problemsByPath(problems), [problems]);
  const dirty = documentText(draft) !== baseline;

  const sectionProps: SectionProps = {
    draft,
    managed,
    connector,
    granted,
    policyToken: (linkWorkerId) => {
      if (inForce?.source !== 'policy') return undefined;
      const delivery = inForce.settings.linkWorkers.find((worker) => worker.id === linkWorkerId)?.delivery;
      return delivery?.method === 'fhir' ? delivery.token : undefined;
    },
    errorFor: (path) => (submitted || touched.has(path) ? visible.get(path) : undefined),
    edit: (path, change) => {
      setDraft((current) => change(current));
      setTouched((current) => new Set(current).add(path));
      setStatus('');
    },
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (managed) return;
    setSubmitted(true);
    setSaveProblems([]);
    if (!result.ok) {
      setStatus('');
      setSummaryFocus((count) => count + 1);
      return;
    }
    // Asked first, inside the click: the browser only prompts during a user gesture.
    const asked = destinationOrigins(result.settings);
    const access = connector.requestDestinationAccess(asked);
    const before = inForce?.source === 'local' ? inForce.settings.recordSites.map((site) => site.origin) : [];
    const reply = await connector.saveSettings(result.settings);
    if (!reply.ok) {
      setSaveProblems(reply.problems);
      setSummaryFocus((count) => count + 1);
      return;
    }
    showSettings(reply.settings);
    setInForce({ source: 'local', settings: reply.settings });
    setStatus(
      (await access)
        ? 'Saved'
        : `Saved. Linkwell was not allowed to contact ${asked.join(', ')}: referrals and offers from there will not arrive until it is. Press Save settings again and choose Allow.`,
    );
    // A site that is no longer a record site has no need of access to it (unless referrals or offers use it).
    const kept = new Set([...reply.settings.recordSites.map((site) => site.origin), ...asked]);
    for (const origin of before) if (!kept.has(origin)) void connector.releaseSitePermission(origin);
  };

  const summaryItems = [...problems, ...saveProblems].map((problem) => {
    const id = fieldId(problem.path);
    return {
      href: `#${typeof document !== 'undefined' && document.getElementById(id) ? id : 'settings-form'}`,
      text: `${describePath(problem.path, draft)} ${problem.message}`,
    };
  });
  const settingsInForce = inForce && inForce.source !== 'none' ? inForce.settings : undefined;
  const policyProblems = inForce && inForce.source !== 'policy' ? inForce.policyProblems : undefined;

  return (
    <>
      <header class="options-header">
        <div class="options-header__inner">
          <span class="options-header__brand">Linkwell</span>
          <span class="options-header__service">Social prescribing referrals</span>
        </div>
      </header>
      <main class="options-main" id="main">
        <h1>Linkwell settings</h1>
        {inForce === undefined ? <p>Loading settings…</p> : null}
        {managed ? (
          <div class="nhs-inset options-managed">
            <h2>Managed by your organisation</h2>
            <p>
              Your organisation’s IT team sets these settings for every computer. You can see them here, but
              not change them. To change them, contact your IT team.
            </p>
          </div>
        ) : null}
        {policyProblems && policyProblems.length > 0 ? (
          <div class="nhs-inset options-warning" role="alert">
            <h2>Your organisation’s settings could not be used</h2>
            <p>Tell your IT team. These settings, set on this computer, are in use instead. The problems:</p>
            <ul>
              {policyProblems.map((problem) => (
                <li key={problem.path + problem.message}>
                  {problem.path}: {problem.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {inForce === undefined ? null : (
          <DestinationAccess destinations={destinations} granted={granted} connector={connector} />
        )}
        <nav class="options-contents" aria-label="On this page">
          <ul>
            <li>
              <a href="#practice">Practice</a>
            </li>
            <li>
              <a href="#link-workers">Link workers</a>
            </li>
            <li>
              <a href="#record-sites">Record sites</a>
            </li>
            <li>
              <a href="#offer-feeds">Offer feeds</a>
            </li>
            <li>
              <a href="#retention">Retention</a>
            </li>
            <li>
              <a href="#import-export">Import and export</a>
            </li>
            <li>
              <a href="#activity">Activity report</a>
            </li>
          </ul>
        </nav>
        {submitted && summaryItems.length > 0 ? (
          <ErrorSummary items={summaryItems} summaryRef={summaryRef} />
        ) : null}
        <form id="settings-form" noValidate onSubmit={(event) => void save(event)}>
          <ReadOnly.Provider value={managed}>
            <section class="options-section" aria-labelledby="practice-title" id="practice">
              <h2 id="practice-title">Practice</h2>
              <TextField
                path="practice.name"
                label="Practice name"
                autoComplete="organization"
                spellCheck
                value={draft.practiceName}
                error={sectionProps.errorFor('practice.name')}
                onInput={(practiceName) =>
                  sectionProps.edit('practice.name', (current) => ({ ...current, practiceName }))
                }
              />
              <TextField
                path="practice.odsCode"
                label="ODS code"
                hint="Your practice’s Organisation Data Service code, like L84001. Needed when any link worker receives referrals by FHIR message."
                width="short"
                value={draft.odsCode}
                error={sectionProps.errorFor('practice.odsCode')}
                onInput={(odsCode) =>
                  sectionProps.edit('practice.odsCode', (current) => ({ ...current, odsCode }))
                }
              />
            </section>
            <LinkWorkersSection {...sectionProps} />
            <RecordSitesSection
              {...sectionProps}
              onGranted={(origin, isGranted) => setGranted((all) => ({ ...all, [origin]: isGranted }))}
            />
            <OfferFeedsSection {...sectionProps} />
            <section class="options-section" aria-labelledby="retention-title" id="retention">
              <h2 id="retention-title">Retention</h2>
              <TextField
                path="retentionDays"
                label="Days to keep referral details"
                hint="After a referral is delivered, failed or cancelled, its patient details stay in this browser for this many days (1 to 365), then only an anonymous count remains."
                width="short"
                inputMode="numeric"
                value={draft.retentionDays}
                error={sectionProps.errorFor('retentionDays')}
                onInput={(retentionDays) =>
                  sectionProps.edit('retentionDays', (current) => ({ ...current, retentionDays }))
                }
              />
            </section>
            {managed ? null : (
              <div class="options-save">
                <button type="submit" class="nhs-button">
                  Save settings
                </button>
                <p class="options-save__status" role="status">
                  {status ? <strong class="nhs-tag nhs-tag--green">{status}</strong> : null}
                  {!status && dirty && !managed ? (
                    <span>You have changes that are not saved yet.</span>
                  ) : null}
                </p>
                {changedElsewhere ? (
                  <p class="nhs-hint">
                    The settings were changed in another window. Saving here will replace those changes.
                  </p>
                ) : null}
              </div>
            )}
          </ReadOnly.Provider>
        </form>
        <ImportExportSection
          connector={connector}
          settings={settingsInForce}
          managed={managed}
          onImported={(settings) => {
            showSettings(settings);
            setInForce({ source: 'local', settings });
            setStatus('');
          }}
        />
        <ActivityReportSection connector={connector} linkWorkers={settingsInForce?.linkWorkers ?? []} />
      </main>
    </>
  );
}

/** The origins referrals are sent to and offers are fetched from. */
function destinationOrigins(settings: Settings): string[] {
  const urls = [
    ...settings.linkWorkers.flatMap((worker) =>
      worker.delivery.method === 'fhir' ? [worker.delivery.endpoint] : [],
    ),
    ...settings.offerFeeds.map((feed) => feed.url),
  ];
  return [...new Set(urls.map((url) => new URL(url).origin))];
}
