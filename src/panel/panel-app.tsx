import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { displayPatientName } from '../core/patient-name';
import type { Referral } from '../core/referral';
import { referralEmailSubject, referralToText } from '../core/referral-text';
import type { Settings } from '../core/settings';
import { REFERRAL_TO_SOCIAL_PRESCRIBING, SOCIAL_PRESCRIBING_DECLINED } from '../core/snomed';
import type { OutboxItem } from '../shared/messages';
import type { PanelConnector, Referrer, SuggestedOffers, TabPatient } from './connector';
import { CopyCode } from './copy-code';
import {
  buildReferral,
  type Draft,
  type DraftPatient,
  draftFromReferral,
  fieldIdFor,
  hasContent,
  newDraft,
} from './draft';
import type { FieldProblem } from './error-summary';
import { PatientEntry, PatientSummary, tabProblemText } from './patient';
import { RecentReferrals } from './recent-referrals';
import { ReferralForm } from './referral-form';
import { statusSentence, statusTagClass, statusWords } from './status';

// The referral panel: the patient at the top, always; one draft per patient, never carried across
// when the tab moves to another patient; sending, the outcome and the code to record; recent referrals.

const RECENT_LIMIT = 20;

type Outcome =
  | { kind: 'sent'; referral: Referral; item: OutboxItem; emailTo?: string; copied?: boolean }
  | { kind: 'declined' }
  /** Not stored, so not sent: the GP gets the text to send another way. */
  | { kind: 'unsaved'; referral: Referral; problem: string };

interface Session {
  draft: Draft;
  problems: FieldProblem[];
  outcome?: Outcome;
}

/** The tab's patient as a draft holds it (the message's optional fields made exact). */
function toDraftPatient(patient: Extract<TabPatient, { state: 'patient' }>['patient']): DraftPatient {
  const { name, birthDate, nhsNumber } = patient;
  return {
    nhsNumber,
    ...(name
      ? {
          name: {
            family: name.family,
            given: name.given,
            text: name.text,
            ...(name.prefix ? { prefix: name.prefix } : {}),
          },
        }
      : {}),
    ...(birthDate ? { birthDate } : {}),
  };
}

const keyOf = (patient: DraftPatient | undefined) => patient?.nhsNumber;

export function PanelApp(props: { connector: PanelConnector }) {
  const { connector } = props;
  const [settings, setSettings] = useState<Settings | undefined | 'loading'>('loading');
  const [referrer, setReferrer] = useState<Referrer>({ name: '' });
  const [tab, setTab] = useState<TabPatient | 'loading'>('loading');
  const [typed, setTyped] = useState<DraftPatient | undefined>();
  const [sessions, setSessions] = useState<ReadonlyMap<string, Session>>(new Map());
  const [offers, setOffers] = useState<SuggestedOffers | 'loading'>('loading');
  const [recent, setRecent] = useState<OutboxItem[]>([]);
  const [notice, setNotice] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const [busy, setBusy] = useState(false);
  const sending = useRef(false);
  const shownKey = useRef<string | undefined>(undefined);
  const outcomeHeading = useRef<HTMLHeadingElement>(null);

  const tabPatient = tab !== 'loading' && tab.state === 'patient' ? toDraftPatient(tab.patient) : undefined;
  const patient: DraftPatient | undefined = tabPatient ?? typed;
  const key = keyOf(patient);
  const ready = settings !== 'loading' && tab !== 'loading';
  const session = key === undefined ? undefined : sessions.get(key);

  const refreshRecent = useCallback(async () => {
    const reply = await connector.recent(RECENT_LIMIT);
    if (reply.ok) setRecent(reply.value);
  }, [connector]);

  useEffect(() => {
    void connector.settings().then(setSettings);
    void connector.referrer().then((stored) => stored && setReferrer(stored));
    void connector.tabPatient().then(setTab);
    void connector.suggestedOffers().then(setOffers, () => setOffers({ offers: [], problems: [] }));
    void refreshRecent();
    const stopTab = connector.onTabPatientChanged(setTab);
    const stopOutbox = connector.onOutboxChanged((item) => {
      setRecent((items) =>
        items.some((existing) => existing.id === item.id)
          ? items.map((existing) => (existing.id === item.id ? item : existing))
          : [item, ...items].slice(0, RECENT_LIMIT),
      );
      setSessions((current) => {
        let changed = false;
        const next = new Map(current);
        for (const [nhsNumber, each] of current) {
          if (each.outcome?.kind === 'sent' && each.outcome.item.id === item.id) {
            next.set(nhsNumber, { ...each, outcome: { ...each.outcome, item } });
            changed = true;
          }
        }
        return changed ? next : current;
      });
      setAnnouncement(statusSentence(item));
    });
    return () => {
      stopTab();
      stopOutbox();
    };
  }, [connector, refreshRecent]);

  // A draft for each patient, started when the panel first shows them. When the tab moves to another
  // patient, the draft stays with the one it was written for, and the GP is told.
  useEffect(() => {
    if (settings === 'loading') return;
    // The last patient shown, kept across a moment with none (the record page reloading).
    const previous = shownKey.current;
    if (key === undefined || !patient) return;
    shownKey.current = key;
    setSessions((current) => {
      if (current.has(key)) return current;
      return new Map(current).set(key, {
        draft: newDraft(connector.newId(), patient, settings),
        problems: [],
      });
    });
    if (previous !== undefined && previous !== key) {
      const before = sessions.get(previous);
      const name = patient.name ? displayPatientName(patient.name) : 'another patient';
      setNotice(
        before && !before.outcome && hasContent(before.draft)
          ? `The patient changed to ${name}. Your unsent referral for the previous patient is kept with them; it was not carried across.`
          : `The patient changed to ${name}.`,
      );
    } else if (previous === undefined) {
      setNotice('');
    }
  }, [key, settings]);

  const update = (change: (current: Session) => Session) => {
    if (key === undefined) return;
    setSessions((current) => {
      const existing = current.get(key);
      return existing ? new Map(current).set(key, change(existing)) : current;
    });
  };
  const changeDraft = (change: Partial<Draft>) =>
    update((current) => ({ ...current, draft: { ...current.draft, ...change } }));

  const send = async () => {
    if (sending.current || !session || settings === 'loading') return;
    const built = buildReferral(session.draft, { settings, referrer, now: connector.now() });
    if (!built.ok) {
      update((current) => ({
        ...current,
        problems: built.problems.map((problem) => ({
          fieldId: fieldIdFor(problem.path),
          message: problem.message,
        })),
      }));
      return;
    }
    // Set before the first await: a second click while this one is under way does nothing.
    sending.current = true;
    setBusy(true);
    setAnnouncement('Sending the referral…');
    try {
      await connector.saveReferrer(referrer);
      const reply = await connector.send(built.referral, session.draft.replaces);
      const answer = reply.ok ? reply.value : undefined;
      const unsaved = !reply.ok
        ? reply.problem
        : answer?.ok === false && answer.unsaved
          ? answer.problems[0]?.message
          : undefined;
      if (unsaved !== undefined) {
        // Nothing may be lost silently: the GP keeps the referral as text to copy or print.
        const problem = unsaved;
        setAnnouncement('The referral was not sent.');
        update((current) => ({
          ...current,
          problems: [],
          outcome: { kind: 'unsaved', referral: built.referral, problem },
        }));
        return;
      }
      if (!answer?.ok) {
        const problems = answer
          ? answer.problems.map((problem) => ({
              fieldId: fieldIdFor(problem.path),
              message: problem.message,
            }))
          : [{ fieldId: 'referral-form', message: reply.ok ? 'The referral was not sent.' : reply.problem }];
        setAnnouncement('');
        update((current) => ({ ...current, problems }));
        return;
      }
      const item = answer.item;
      const worker = settings?.linkWorkers.find((candidate) => candidate.id === built.referral.linkWorker.id);
      let outcome: Outcome = { kind: 'sent', referral: built.referral, item };
      if (item.method === 'email' && worker?.delivery.method === 'email') {
        const copied = await connector.copyText(referralToText(built.referral));
        connector.openEmail(worker.delivery.to, referralEmailSubject(built.referral));
        outcome = { ...outcome, emailTo: worker.delivery.to, copied };
      }
      update((current) => ({ ...current, problems: [], outcome }));
      setAnnouncement(statusSentence(item));
      void refreshRecent();
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };

  const decline = async () => {
    if (!session) return;
    const reply = await connector.recordDecline(
      session.draft.reasons,
      session.draft.linkWorkerId || undefined,
    );
    if (!reply.ok) {
      update((current) => ({ ...current, problems: [{ fieldId: 'referral-form', message: reply.problem }] }));
      return;
    }
    update((current) => ({ ...current, problems: [], outcome: { kind: 'declined' } }));
    setAnnouncement('Recorded that the patient declined. No referral was sent.');
  };

  const startAgain = (draft?: Draft) =>
    update((current) => ({
      draft:
        draft ??
        newDraft(connector.newId(), current.draft.patient, settings === 'loading' ? undefined : settings),
      problems: [],
    }));

  const editFailed = async (id: string) => {
    const reply = await connector.referralToEdit(id);
    if (!reply.ok || !reply.value) {
      setNotice(reply.ok ? 'The details of that referral are no longer kept.' : reply.problem);
      return;
    }
    const referral = reply.value;
    const draft = draftFromReferral(
      connector.newId(),
      referral,
      settings === 'loading' ? undefined : settings,
    );
    const theirs = referral.patient.nhsNumber;
    if (tabPatient && tabPatient.nhsNumber !== theirs) {
      setNotice(
        `That referral is for ${displayPatientName(referral.patient.name)}. Open their record to edit it.`,
      );
      return;
    }
    if (!tabPatient) setTyped(draft.patient);
    setSessions((current) => new Map(current).set(theirs, { draft, problems: [] }));
    setNotice('');
  };

  useEffect(() => {
    if (session?.outcome) outcomeHeading.current?.focus();
  }, [session?.outcome?.kind]);

  return (
    <main class="panel">
      <h1 class="visually-hidden">Refer to link worker</h1>
      <PatientSummary
        patient={patient}
        typed={!tabPatient && typed !== undefined}
        onChange={() => setTyped(undefined)}
      />
      {notice ? (
        <div class="nhs-inset notice" role="alert">
          {notice}
        </div>
      ) : null}
      <div class="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>
      {!ready ? (
        <p>Loading…</p>
      ) : settings === undefined ? (
        <div class="nhs-card">
          <h2>Linkwell is not set up yet</h2>
          <p>Ask your practice manager to import the practice’s settings on Linkwell’s options page.</p>
        </div>
      ) : !patient ? (
        <>
          <p class="tab-problem">{tabProblemText(tab)}</p>
          <PatientEntry onUse={(entered) => setTyped(entered)} />
        </>
      ) : !session ? null : session.outcome ? (
        <OutcomeView
          outcome={session.outcome}
          connector={connector}
          headingRef={outcomeHeading}
          onNew={() => startAgain()}
          onEdit={(id) => void editFailed(id)}
          onRetry={() => {
            update(({ outcome: _unsent, ...rest }) => rest);
            void send();
          }}
          onCancel={async (id) => {
            const reply = await connector.cancel(id);
            if (reply.ok && reply.value) {
              const cancelled = reply.value;
              update((current) =>
                current.outcome?.kind === 'sent'
                  ? { ...current, outcome: { ...current.outcome, item: cancelled } }
                  : current,
              );
              setAnnouncement(statusSentence(cancelled));
              void refreshRecent();
            }
          }}
        />
      ) : (
        <ReferralForm
          draft={session.draft}
          settings={settings}
          referrer={referrer}
          offers={offers}
          problems={session.problems}
          busy={busy}
          onChange={changeDraft}
          onReferrerChange={setReferrer}
          onSend={() => void send()}
          onDecline={() => void decline()}
        />
      )}
      {ready && settings ? (
        <RecentReferrals
          items={recent}
          onCancel={async (item) => {
            await connector.cancel(item.id);
            void refreshRecent();
          }}
          onRetry={async (item) => {
            await connector.retry(item.id);
            void refreshRecent();
          }}
          onEdit={(item) => void editFailed(item.id)}
        />
      ) : null}
    </main>
  );
}

function OutcomeView(props: {
  outcome: Outcome;
  connector: PanelConnector;
  headingRef: { current: HTMLHeadingElement | null };
  onNew: () => void;
  onEdit: (id: string) => void;
  onCancel: (id: string) => void;
  onRetry: () => void;
}) {
  const { outcome, connector } = props;
  if (outcome.kind === 'declined') {
    return (
      <section class="nhs-card outcome" aria-labelledby="outcome-heading">
        <h2 id="outcome-heading" tabIndex={-1} ref={props.headingRef}>
          Patient declined
        </h2>
        <p>
          No referral was sent. The decline is counted, without the patient’s details, in the practice report.
        </p>
        <CopyCode concept={SOCIAL_PRESCRIBING_DECLINED} copy={connector.copyText} />
        <button type="button" class="nhs-button nhs-button--secondary" onClick={props.onNew}>
          Start a referral for this patient
        </button>
      </section>
    );
  }
  if (outcome.kind === 'unsaved') {
    const text = referralToText(outcome.referral);
    return (
      <section class="nhs-card outcome outcome--unsaved" aria-labelledby="outcome-heading">
        <h2 id="outcome-heading" tabIndex={-1} ref={props.headingRef}>
          Referral not sent
        </h2>
        <p role="alert">{outcome.problem}</p>
        <TextActions text={text} connector={connector} />
        <div class="form-actions">
          <button type="button" class="nhs-button" onClick={props.onRetry}>
            Try sending again
          </button>
        </div>
      </section>
    );
  }
  const { item, referral } = outcome;
  const text = referralToText(referral);
  const emailHref = outcome.emailTo
    ? `mailto:${encodeURIComponent(outcome.emailTo)}?subject=${encodeURIComponent(referralEmailSubject(referral))}`
    : undefined;
  return (
    <section class="nhs-card outcome" aria-labelledby="outcome-heading">
      <h2 id="outcome-heading" tabIndex={-1} ref={props.headingRef}>
        Referral to {item.linkWorkerName}
      </h2>
      <p>
        Status: <span class={statusTagClass(item)}>{statusWords(item)}</span>
      </p>
      <p class="outcome-sentence">{statusSentence(item)}</p>
      {emailHref ? (
        <div class="email-steps">
          <p>
            {outcome.copied
              ? 'The referral text is on the clipboard. Paste it into the email that opened, then send it.'
              : 'Copy the referral text below, paste it into the email that opened, then send it.'}
          </p>
          <p>
            <a href={emailHref}>Open the email to {outcome.emailTo} again</a>
          </p>
          <TextActions text={text} connector={connector} />
        </div>
      ) : null}
      {item.status !== 'failed' && item.status !== 'cancelled' ? (
        <CopyCode concept={REFERRAL_TO_SOCIAL_PRESCRIBING} copy={connector.copyText} />
      ) : null}
      <div class="form-actions">
        {item.status === 'failed' ? (
          <button type="button" class="nhs-button" onClick={() => props.onEdit(item.id)}>
            Edit and send again
          </button>
        ) : null}
        {item.status === 'queued' || item.status === 'needs-attention' ? (
          <button
            type="button"
            class="nhs-button nhs-button--warning"
            onClick={() => props.onCancel(item.id)}
          >
            Cancel referral
          </button>
        ) : null}
        <button type="button" class="nhs-button nhs-button--secondary" onClick={props.onNew}>
          Start another referral
        </button>
      </div>
    </section>
  );
}

/** Copy and print for a referral's plain text, with the text itself to read. */
function TextActions(props: { text: string; connector: PanelConnector }) {
  const [note, setNote] = useState('');
  return (
    <div class="text-actions">
      <button
        type="button"
        class="nhs-button nhs-button--secondary nhs-button--small"
        onClick={async () =>
          setNote(
            (await props.connector.copyText(props.text))
              ? 'Referral text copied'
              : 'The text could not be copied',
          )
        }
      >
        Copy referral text
      </button>
      <button
        type="button"
        class="nhs-button nhs-button--secondary nhs-button--small"
        onClick={() => props.connector.print()}
      >
        Print referral
      </button>
      <span role="status">{note}</span>
      <details>
        <summary>Show the referral text</summary>
        <pre class="referral-text">{props.text}</pre>
      </details>
      <pre class="print-area" aria-hidden="true">
        {props.text}
      </pre>
    </div>
  );
}
