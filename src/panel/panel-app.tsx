import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { formatNhsNumber } from '../core/nhs-number';
import { displayPatientName } from '../core/patient-name';
import type { Referral } from '../core/referral';
import { formatDate, referralEmailSubject, referralToText } from '../core/referral-text';
import type { Settings } from '../core/settings';
import { REFERRAL_TO_SOCIAL_PRESCRIBING, SOCIAL_PRESCRIBING_DECLINED } from '../core/snomed';
import type { OutboxItem } from '../shared/messages';
import type { PanelConnector, Referrer, SendReply, SuggestedOffers, TabPatient } from './connector';
import { CopyCode } from './copy-code';
import {
  buildReferral,
  type Draft,
  type DraftPatient,
  draftFromReferral,
  fieldIdFor,
  hasContent,
  newDraft,
  patientDetailsKey,
} from './draft';
import type { FieldProblem } from './error-summary';
import { PatientEntry, PatientSummary, tabProblemText } from './patient';
import { RecentReferrals } from './recent-referrals';
import { ReferralForm } from './referral-form';
import { cancelRefusalText, statusSentence, statusTagClass, statusWords } from './status';

// The referral panel: the patient at the top, always; one draft per patient, never carried across
// when the tab moves to another patient; sending, the outcome and the code to record; recent referrals.

const RECENT_LIMIT = 20;

/** Said when the patient shown at the top changes under a draft for the same NHS number. */
const DETAILS_CHANGED =
  'The patient’s details changed on the record page: check them at the top before sending. The referral will carry the details shown there.';
const DETAILS_CHANGED_AFTER =
  'The patient’s details changed on the record page after this referral was made: check the details it was sent with in Recent referrals.';

type Outcome =
  /** Stored in the outbox: `item` says how far it has got. `emailSent`: the GP says they sent the email. */
  | {
      kind: 'sent';
      referral: Referral;
      item: OutboxItem;
      emailTo?: string;
      copied?: boolean;
      emailSent?: boolean;
    }
  | { kind: 'declined' }
  /** Not stored, so not sent: the GP gets the text to send another way. */
  | { kind: 'unsaved'; referral: Referral; problem: string }
  /** The answer was lost and the outbox could not be asked either: whether it was stored is not known. */
  | { kind: 'unconfirmed'; referral: Referral; problem: string };

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
  /** What came of a Cancel press, by where it was pressed (`outcome:` or `list:`) and referral id. */
  const [cancelNotes, setCancelNotes] = useState<Readonly<Record<string, string>>>({});
  const sending = useRef(false);
  const declining = useRef(false);
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

  // Whatever the tab reports other than "no record page" (a patient, no patient, or a reason there is
  // none) replaces a typed-in patient: the panel never shows a typed patient beside a record page that
  // says something else.
  const showTab = useCallback((next: TabPatient) => {
    setTab(next);
    if (next.state !== 'no-page') setTyped(undefined);
  }, []);

  /** A referral's new state, wherever the panel shows it: the list, and the outcome of its draft. */
  const applyItem = useCallback((item: OutboxItem) => {
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
  }, []);

  useEffect(() => {
    void connector.settings().then(setSettings);
    void connector.referrer().then((stored) => stored && setReferrer(stored));
    void connector.tabPatient().then(showTab);
    void connector.suggestedOffers().then(setOffers, () => setOffers({ offers: [], problems: [] }));
    void refreshRecent();
    const stopTab = connector.onTabPatientChanged(showTab);
    const stopOutbox = connector.onOutboxChanged((item) => {
      applyItem(item);
      setAnnouncement(statusSentence(item));
    });
    return () => {
      stopTab();
      stopOutbox();
    };
  }, [connector, refreshRecent, showTab, applyItem]);

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

  // The referral carries the patient shown at the top. When the same NHS number is shown with other
  // details (the page filled in or changed the name or date of birth, or the GP typed them again), the
  // draft takes the details shown, and the GP is told to check them.
  const shownDetails = patient ? patientDetailsKey(patient) : undefined;
  const draftDetails = session ? patientDetailsKey(session.draft.patient) : undefined;
  useEffect(() => {
    if (!patient || !session || shownDetails === draftDetails) return;
    update((current) => ({ ...current, draft: { ...current.draft, patient } }));
    setNotice(session.outcome?.kind === 'sent' ? DETAILS_CHANGED_AFTER : DETAILS_CHANGED);
  }, [shownDetails, draftDetails]);

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
    if (sending.current || !session || !patient || settings === 'loading') return;
    // Checked again at the press itself: the details may have changed since the last render.
    if (patientDetailsKey(session.draft.patient) !== patientDetailsKey(patient)) {
      update((current) => ({ ...current, draft: { ...current.draft, patient } }));
      setNotice(DETAILS_CHANGED);
      return;
    }
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
      // The referrer's name is a convenience: failing to remember it must not stop the referral.
      await connector.saveReferrer(referrer).catch(() => {});
      const reply = await connector.send(built.referral, session.draft.replaces);
      let answer: SendReply | undefined = reply.ok ? reply.value : undefined;
      let unsaved = answer?.ok === false && answer.unsaved ? answer.problems[0]?.message : undefined;
      if (!reply.ok) {
        // The answer was lost, not necessarily the referral: the outbox may hold it and send it. Ask it
        // before saying anything, so the GP is never told "not sent" for a referral on its way.
        const stored = await connector.referralStatus(built.referral.id);
        if (!stored.ok) {
          setAnnouncement('Linkwell could not confirm whether the referral was saved.');
          update((current) => ({
            ...current,
            problems: [],
            outcome: { kind: 'unconfirmed', referral: built.referral, problem: reply.problem },
          }));
          return;
        }
        if (stored.value) answer = { ok: true, item: stored.value };
        else unsaved = `${reply.problem} The referral is not in Linkwell’s outbox, so it has not been sent.`;
      }
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
          : [{ fieldId: 'referral-form', message: 'The referral was not sent.' }];
        setAnnouncement('');
        update((current) => ({ ...current, problems }));
        return;
      }
      await showStored(built.referral, answer.item);
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };

  /** The outcome of a referral the outbox holds; an email one goes to the clipboard and mail program. */
  const showStored = async (referral: Referral, item: OutboxItem) => {
    const worker =
      settings === 'loading'
        ? undefined
        : settings?.linkWorkers.find((candidate) => candidate.id === referral.linkWorker.id);
    let outcome: Outcome = { kind: 'sent', referral, item };
    if (item.method === 'email' && worker?.delivery.method === 'email') {
      const copied = await connector.copyText(referralToText(referral));
      connector.openEmail(worker.delivery.to, referralEmailSubject(referral));
      outcome = { ...outcome, emailTo: worker.delivery.to, copied };
    }
    update((current) => ({ ...current, problems: [], outcome }));
    setAnnouncement(statusSentence(item));
    void refreshRecent();
  };

  /** Asks the outbox again about a referral whose answer was lost. */
  const checkAgain = async (referral: Referral) => {
    const stored = await connector.referralStatus(referral.id);
    if (!stored.ok) {
      setAnnouncement('Linkwell still could not confirm whether the referral was saved.');
      return;
    }
    if (stored.value) {
      await showStored(referral, stored.value);
      return;
    }
    update((current) => ({
      ...current,
      outcome: {
        kind: 'unsaved',
        referral,
        problem: 'The referral is not in Linkwell’s outbox, so it has not been sent.',
      },
    }));
  };

  const decline = async () => {
    // Like Send: a second press while the first is under way does nothing (one decline, one record).
    if (declining.current || !session) return;
    declining.current = true;
    try {
      const reply = await connector.recordDecline(
        session.draft.id,
        session.draft.reasons,
        session.draft.linkWorkerId || undefined,
      );
      if (!reply.ok) {
        update((current) => ({
          ...current,
          problems: [{ fieldId: 'referral-form', message: reply.problem }],
        }));
        return;
      }
      update((current) => ({ ...current, problems: [], outcome: { kind: 'declined' } }));
      setAnnouncement('Recorded that the patient declined. No referral was sent.');
    } finally {
      declining.current = false;
    }
  };

  /** Cancels a waiting referral, and says plainly when it could not be cancelled. */
  const cancelReferral = async (id: string, where: 'outcome' | 'list') => {
    const reply = await connector.cancel(id);
    const note = !reply.ok
      ? `Not cancelled: ${reply.problem}`
      : reply.value.cancelled
        ? ''
        : cancelRefusalText(reply.value.item);
    if (reply.ok && reply.value.item) applyItem(reply.value.item);
    setCancelNotes((notes) => ({ ...notes, [`${where}:${id}`]: note }));
    setAnnouncement(
      reply.ok && reply.value.cancelled && reply.value.item ? statusSentence(reply.value.item) : note,
    );
    void refreshRecent();
  };

  const startAgain = (draft?: Draft) =>
    update((current) => ({
      draft:
        draft ??
        newDraft(connector.newId(), current.draft.patient, settings === 'loading' ? undefined : settings),
      problems: [],
    }));

  /** Edit a failed referral, or one that needs attention, to send as a new one that replaces it. */
  const editReferral = async (item: OutboxItem) => {
    const reply = await connector.referralToEdit(item.id);
    if (!reply.ok || !reply.value) {
      setNotice(reply.ok ? 'The details of that referral are no longer kept.' : reply.problem);
      return;
    }
    const referral = reply.value;
    const draft = draftFromReferral(
      connector.newId(),
      referral,
      settings === 'loading' ? undefined : settings,
      {
        chooseLinkWorkerAgain: item.status === 'needs-attention',
      },
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
          cancelNote={
            session.outcome.kind === 'sent' ? cancelNotes[`outcome:${session.outcome.item.id}`] : undefined
          }
          onNew={() => startAgain()}
          onEdit={(item) => void editReferral(item)}
          onRetry={() => {
            update(({ outcome: _unsent, ...rest }) => rest);
            void send();
          }}
          onCheckAgain={(referral) => void checkAgain(referral)}
          onEmailSent={() => {
            update((current) =>
              current.outcome?.kind === 'sent'
                ? { ...current, outcome: { ...current.outcome, emailSent: true } }
                : current,
            );
            setAnnouncement('Now record the referral code in the patient’s record.');
          }}
          onCancel={(id) => void cancelReferral(id, 'outcome')}
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
          notes={cancelNotes}
          onCancel={(item) => void cancelReferral(item.id, 'list')}
          onRetry={async (item) => {
            await connector.retry(item.id);
            void refreshRecent();
          }}
          onEdit={(item) => void editReferral(item)}
        />
      ) : null}
    </main>
  );
}

/** Whose referral this is, under the outcome's heading: the panel's header may show the tab's next patient. */
function OutcomePatient(props: { referral: Referral }) {
  const { patient } = props.referral;
  return (
    <p class="outcome-patient">
      For <strong>{displayPatientName(patient.name)}</strong>, born {formatDate(patient.birthDate)}, NHS
      number {formatNhsNumber(patient.nhsNumber)}
    </p>
  );
}

function OutcomeView(props: {
  outcome: Outcome;
  connector: PanelConnector;
  headingRef: { current: HTMLHeadingElement | null };
  cancelNote: string | undefined;
  onNew: () => void;
  onEdit: (item: OutboxItem) => void;
  onCancel: (id: string) => void;
  onRetry: () => void;
  onCheckAgain: (referral: Referral) => void;
  onEmailSent: () => void;
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
        <OutcomePatient referral={outcome.referral} />
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
  if (outcome.kind === 'unconfirmed') {
    const text = referralToText(outcome.referral);
    return (
      <section class="nhs-card outcome outcome--unsaved" aria-labelledby="outcome-heading">
        <h2 id="outcome-heading" tabIndex={-1} ref={props.headingRef}>
          Referral not confirmed
        </h2>
        <OutcomePatient referral={outcome.referral} />
        <p role="alert">
          Linkwell could not confirm whether the referral was saved ({outcome.problem}). It may already be on
          its way: check Recent referrals before sending it another way.
        </p>
        <div class="form-actions">
          <button type="button" class="nhs-button" onClick={() => props.onCheckAgain(outcome.referral)}>
            Check again
          </button>
          {/* Safe to press: the same referral id is stored once, however often it is sent. */}
          <button type="button" class="nhs-button nhs-button--secondary" onClick={props.onRetry}>
            Try sending again
          </button>
        </div>
        <TextActions text={text} connector={connector} />
      </section>
    );
  }
  const { item, referral } = outcome;
  const editable =
    (item.status === 'failed' || item.status === 'needs-attention') && item.replacedBy === undefined;
  const text = referralToText(referral);
  const emailHref = outcome.emailTo
    ? `mailto:${encodeURIComponent(outcome.emailTo)}?subject=${encodeURIComponent(referralEmailSubject(referral))}`
    : undefined;
  return (
    <section class="nhs-card outcome" aria-labelledby="outcome-heading">
      <h2 id="outcome-heading" tabIndex={-1} ref={props.headingRef}>
        Referral to {item.linkWorkerName}
      </h2>
      <OutcomePatient referral={referral} />
      <p>
        Status: <span class={statusTagClass(item)}>{statusWords(item)}</span>
      </p>
      <p class="outcome-sentence">{statusSentence(item)}</p>
      {emailHref ? (
        <div class="email-steps">
          <p>
            {outcome.copied
              ? 'The referral is copied: paste it into the email that opened, then send it.'
              : 'The referral could not be copied by itself: use Copy referral text below, paste it into the email that opened, then send it.'}
          </p>
          <p class="nhs-hint">
            The email link holds only the address and subject: the patient’s details go by the clipboard,
            never in a link.
          </p>
          <p>
            <a href={emailHref}>Open the email to {outcome.emailTo} again</a>
          </p>
          <TextActions text={text} connector={connector} />
        </div>
      ) : null}
      <CodeToRecord outcome={outcome} connector={connector} onEmailSent={props.onEmailSent} />
      <div class="form-actions">
        {editable ? (
          <button type="button" class="nhs-button" onClick={() => props.onEdit(item)}>
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
      {props.cancelNote ? (
        <p class="cancel-note" role="alert">
          {props.cancelNote}
        </p>
      ) : null}
    </section>
  );
}

/**
 * The SNOMED CT code to record, only once it is true: at `Sent` for a FHIR referral; for an email one,
 * once the GP says they sent the email. While it waits, the GP is told when it will be safe to record;
 * a referral that failed, needs attention or was cancelled shows no code at all.
 */
function CodeToRecord(props: {
  outcome: Extract<Outcome, { kind: 'sent' }>;
  connector: PanelConnector;
  onEmailSent: () => void;
}) {
  const { item, emailSent } = props.outcome;
  const code = <CopyCode concept={REFERRAL_TO_SOCIAL_PRESCRIBING} copy={props.connector.copyText} />;
  if (item.status === 'sent' && item.method === 'email') {
    return emailSent ? (
      code
    ) : (
      <div class="nhs-inset code-later">
        <p>Once you have sent the email, record the referral code in the patient’s record.</p>
        <button
          type="button"
          class="nhs-button nhs-button--secondary nhs-button--small"
          onClick={props.onEmailSent}
        >
          I have sent the email
        </button>
      </div>
    );
  }
  if (item.status === 'sent') return code;
  if (item.status === 'queued' || item.status === 'sending') {
    return (
      <p class="nhs-inset code-later">
        Not sent yet. It will be safe to record the referral code in the patient’s record once the status
        shows Sent; the code will appear here then.
      </p>
    );
  }
  return null;
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
