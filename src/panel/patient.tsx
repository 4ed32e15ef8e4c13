import { useEffect, useRef, useState } from 'preact/hooks';
import { formatNhsNumber } from '../core/nhs-number';
import { bannerProblemText, readPatientBanner } from '../core/patient-banner';
import { displayPatientName } from '../core/patient-name';
import { formatDate } from '../core/referral-text';
import type { TabPatient } from './connector';
import { type DraftPatient, readTypedPatient } from './draft';
import { ErrorSummary, type FieldProblem } from './error-summary';
import { TextField } from './fields';

// The patient at the top of the panel, always as text; and, with no patient on the page, the GP's
// own entry of one (typed, or a banner line pasted from a desktop clinical system).

export function PatientSummary(props: {
  patient: DraftPatient | undefined;
  typed: boolean;
  onChange?: () => void;
}) {
  const { patient } = props;
  const box = useRef<HTMLElement>(null);
  // The page's scroll padding follows the header's height (panel.css), which changes with the patient.
  useEffect(() => {
    const element = box.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const root = element.ownerDocument.documentElement;
    const observer = new ResizeObserver(() =>
      root.style.setProperty('--patient-summary-height', `${element.offsetHeight}px`),
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return (
    <section class="patient-summary" aria-labelledby="patient-heading" ref={box}>
      <h2 id="patient-heading" class="visually-hidden">
        Patient
      </h2>
      {patient ? (
        <dl>
          <div>
            <dt>Name</dt>
            <dd class="patient-name">
              {patient.name ? displayPatientName(patient.name) : 'Not shown on the page'}
            </dd>
          </div>
          <div>
            <dt>Born</dt>
            <dd>{patient.birthDate ? formatDate(patient.birthDate) : 'Not shown on the page'}</dd>
          </div>
          <div>
            <dt>NHS number</dt>
            <dd>{formatNhsNumber(patient.nhsNumber)}</dd>
          </div>
        </dl>
      ) : (
        <p class="patient-none">No patient selected</p>
      )}
      {props.typed && props.onChange ? (
        <button
          type="button"
          class="nhs-button nhs-button--secondary nhs-button--small"
          onClick={props.onChange}
        >
          Change patient
        </button>
      ) : null}
    </section>
  );
}

/** Why the panel has no patient from the tab, in words. */
export function tabProblemText(tab: TabPatient): string {
  switch (tab.state) {
    case 'problem':
      return `${bannerProblemText(tab.problem)} Enter the patient’s details below.`;
    case 'none':
      return 'No patient was found on the record page. Open the patient’s record, or enter their details below.';
    case 'no-page':
      return 'Enter the patient’s details, or paste the patient banner line from your clinical system.';
    case 'patient':
      return '';
  }
}

export function PatientEntry(props: { onUse: (patient: Required<DraftPatient>) => void }) {
  const [pasted, setPasted] = useState('');
  const [nhsNumber, setNhsNumber] = useState('');
  const [name, setName] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [pasteNote, setPasteNote] = useState('');

  const readPasted = () => {
    const reading = readPatientBanner(pasted, { unlabelledNumber: true });
    if (!reading.ok) {
      setPasteNote(
        reading.problem === 'no-nhs-number'
          ? 'No NHS number was found in the pasted text. Type the details below.'
          : bannerProblemText(reading.problem),
      );
      return;
    }
    const { patient } = reading;
    setNhsNumber(formatNhsNumber(patient.nhsNumber));
    if (patient.name) setName(displayPatientName(patient.name));
    if (patient.birthDate) setBirthDate(formatDate(patient.birthDate));
    setPasteNote(
      patient.name && patient.birthDate
        ? 'Details filled in below. Check them against the record, then choose Use these details.'
        : 'Some details were filled in below; add what is missing.',
    );
  };

  const use = (event: Event) => {
    event.preventDefault();
    const typed = readTypedPatient({ nhsNumber, name, birthDate });
    if (!typed.ok) {
      setProblems(
        typed.problems.map((problem) => ({
          fieldId:
            { 'typed.nhsNumber': 'typed-nhs-number', 'typed.name': 'typed-name' }[problem.path] ??
            'typed-birth-date',
          message: problem.message,
        })),
      );
      return;
    }
    setProblems([]);
    props.onUse(typed.patient);
  };
  const problemFor = (fieldId: string) => problems.find((problem) => problem.fieldId === fieldId)?.message;

  return (
    <form class="nhs-card patient-entry" onSubmit={use} noValidate aria-labelledby="patient-entry-heading">
      <h2 id="patient-entry-heading">Patient details</h2>
      <ErrorSummary problems={problems} />
      <div class="nhs-form-group">
        <label class="nhs-label" for="pasted-banner">
          Paste the patient banner line (optional)
        </label>
        <span class="nhs-hint" id="pasted-banner-hint">
          For example: SMITH, Jane (Mrs) Born 12-Mar-1961 NHS No. 943 476 5919
        </span>
        <textarea
          class="nhs-textarea"
          id="pasted-banner"
          rows={2}
          aria-describedby="pasted-banner-hint"
          value={pasted}
          onInput={(event) => setPasted(event.currentTarget.value)}
        />
        <button type="button" class="nhs-button nhs-button--secondary nhs-button--small" onClick={readPasted}>
          Read pasted line
        </button>
        <p role="status" class="paste-note">
          {pasteNote}
        </p>
      </div>
      <TextField
        id="typed-nhs-number"
        label="NHS number"
        value={nhsNumber}
        onInput={setNhsNumber}
        problem={problemFor('typed-nhs-number')}
        hint="10 digits, for example 943 476 5919"
        inputMode="numeric"
      />
      <TextField
        id="typed-name"
        label="Patient’s name"
        value={name}
        onInput={setName}
        problem={problemFor('typed-name')}
        hint="For example SMITH, Jane (Mrs) or Jane Smith"
      />
      <TextField
        id="typed-birth-date"
        label="Date of birth"
        value={birthDate}
        onInput={setBirthDate}
        problem={problemFor('typed-birth-date')}
        hint="For example 12-Mar-1961 or 12/03/1961"
      />
      <button type="submit" class="nhs-button">
        Use these details
      </button>
    </form>
  );
}
