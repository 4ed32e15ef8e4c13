import { REFERRAL_REASONS, type ReasonId } from '../core/reasons';
import { CONTACT_METHOD_WORDS, CONTACT_METHODS } from '../core/referral';
import type { Settings } from '../core/settings';
import type { Referrer, SuggestedOffers } from './connector';
import type { Draft } from './draft';
import { ErrorSummary, type FieldProblem } from './error-summary';
import { TextArea, TextField } from './fields';
import { OfferSuggestions } from './offer-suggestions';

// The referral form: who to, why, what matters, communication, risks, contact, priority, consent,
// suggested offers. Labels are the contract's words (CONTRACT.md section 3).

export interface ReferralFormProps {
  draft: Draft;
  settings: Settings;
  referrer: Referrer;
  offers: SuggestedOffers | 'loading';
  problems: FieldProblem[];
  busy: boolean;
  onChange: (change: Partial<Draft>) => void;
  onReferrerChange: (referrer: Referrer) => void;
  onSend: () => void;
  onDecline: () => void;
}

function FieldsetError(props: { id: string; problem: string | undefined }) {
  return props.problem ? (
    <span class="nhs-error-message" id={props.id}>
      <span class="visually-hidden">Error:</span> {props.problem}
    </span>
  ) : null;
}

export function ReferralForm(props: ReferralFormProps) {
  const { draft, settings, referrer, onChange } = props;
  const problemFor = (...ids: string[]) =>
    props.problems.find((problem) => ids.includes(problem.fieldId))?.message;
  const reasonsProblem = problemFor('reason-loneliness');
  const workerProblem = problemFor('link-worker-0');
  const consentProblem = problemFor('consent');
  const toggleReason = (id: ReasonId, on: boolean) =>
    onChange({
      reasons: on
        ? [...draft.reasons.filter((reason) => reason !== id), id]
        : draft.reasons.filter((reason) => reason !== id),
    });

  return (
    <form
      id="referral-form"
      class="referral-form"
      aria-labelledby="referral-heading"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        props.onSend();
      }}
    >
      <h2 id="referral-heading">{draft.replaces ? 'Edit and send the referral again' : 'Referral'}</h2>
      <ErrorSummary problems={props.problems} />

      {draft.patient.name === undefined ? (
        <TextField
          id="patient-name"
          label="Patient’s name"
          hint="The page did not show it. For example SMITH, Jane (Mrs)"
          value={draft.nameText}
          problem={problemFor('patient-name')}
          onInput={(nameText) => onChange({ nameText })}
        />
      ) : null}
      {draft.patient.birthDate === undefined ? (
        <TextField
          id="patient-birth-date"
          label="Patient’s date of birth"
          hint="The page did not show it. For example 12-Mar-1961"
          value={draft.birthDateText}
          problem={problemFor('patient-birth-date')}
          onInput={(birthDateText) => onChange({ birthDateText })}
        />
      ) : null}

      <fieldset
        class={`nhs-fieldset${workerProblem ? ' nhs-form-group--error' : ''}`}
        aria-describedby={workerProblem ? 'link-worker-error' : undefined}
      >
        <legend>Link worker</legend>
        <FieldsetError id="link-worker-error" problem={workerProblem} />
        {settings.linkWorkers.map((worker, index) => (
          <div class="nhs-radio" key={worker.id}>
            <input
              type="radio"
              name="link-worker"
              id={`link-worker-${index}`}
              value={worker.id}
              checked={draft.linkWorkerId === worker.id}
              onChange={() => onChange({ linkWorkerId: worker.id })}
            />
            <label for={`link-worker-${index}`}>
              {worker.name}
              <span class="nhs-hint">
                {[worker.organisation, worker.delivery.method === 'email' ? 'by email' : undefined]
                  .filter(Boolean)
                  .join(', ')}
              </span>
            </label>
          </div>
        ))}
      </fieldset>

      <fieldset
        class={`nhs-fieldset${reasonsProblem ? ' nhs-form-group--error' : ''}`}
        aria-describedby={reasonsProblem ? 'reasons-hint reasons-error' : 'reasons-hint'}
      >
        <legend>Reasons for referral</legend>
        <span class="nhs-hint" id="reasons-hint">
          Select all that apply.
        </span>
        <FieldsetError id="reasons-error" problem={reasonsProblem} />
        {REFERRAL_REASONS.map((reason) => (
          <div class="nhs-checkbox" key={reason.id}>
            <input
              type="checkbox"
              id={`reason-${reason.id}`}
              checked={draft.reasons.includes(reason.id)}
              onChange={(event) => toggleReason(reason.id, event.currentTarget.checked)}
            />
            <label for={`reason-${reason.id}`}>{reason.label}</label>
          </div>
        ))}
      </fieldset>
      {draft.reasons.includes('other') ? (
        <TextArea
          id="other-reason"
          label="Other reason"
          value={draft.otherReason}
          problem={problemFor('other-reason')}
          onInput={(otherReason) => onChange({ otherReason })}
        />
      ) : null}

      <TextArea
        id="what-matters"
        label="What matters to the person (optional)"
        hint="In their words, if you can."
        value={draft.whatMatters}
        problem={problemFor('what-matters')}
        onInput={(whatMatters) => onChange({ whatMatters })}
      />

      <fieldset class="nhs-fieldset">
        <legend>Communication needs (optional)</legend>
        <div class="nhs-checkbox">
          <input
            type="checkbox"
            id="interpreter"
            checked={draft.interpreterNeeded}
            onChange={(event) => onChange({ interpreterNeeded: event.currentTarget.checked })}
          />
          <label for="interpreter">Needs an interpreter</label>
        </div>
        <TextField
          id="language"
          label="Language"
          value={draft.language}
          problem={problemFor('language')}
          onInput={(language) => onChange({ language })}
        />
        <TextArea
          id="accessibility"
          label="Accessibility needs"
          hint="For example large print, British Sign Language, step-free access."
          value={draft.accessibility}
          problem={problemFor('accessibility')}
          onInput={(accessibility) => onChange({ accessibility })}
        />
      </fieldset>

      <TextArea
        id="risks"
        label="Risks the link worker should know about (optional)"
        value={draft.risks}
        problem={problemFor('risks')}
        onInput={(risks) => onChange({ risks })}
      />

      <fieldset class="nhs-fieldset">
        <legend>How and when to contact the patient (optional)</legend>
        {CONTACT_METHODS.map((method) => (
          <div class="nhs-radio" key={method}>
            <input
              type="radio"
              name="contact-method"
              id={`contact-${method}`}
              checked={draft.contactMethod === method}
              onChange={() => onChange({ contactMethod: method })}
            />
            <label for={`contact-${method}`}>{CONTACT_METHOD_WORDS[method]}</label>
          </div>
        ))}
        <TextField
          id="patient-phone"
          label="Patient’s phone number"
          inputMode="tel"
          value={draft.phone}
          problem={problemFor('patient-phone', 'contact-phone')}
          onInput={(phone) => onChange({ phone })}
        />
        <TextField
          id="patient-email"
          label="Patient’s email address"
          inputMode="email"
          value={draft.email}
          problem={problemFor('patient-email')}
          onInput={(email) => onChange({ email })}
        />
        <TextField
          id="best-times"
          label="Best times to contact"
          hint="For example weekday mornings"
          value={draft.bestTimes}
          problem={problemFor('best-times')}
          onInput={(bestTimes) => onChange({ bestTimes })}
        />
      </fieldset>

      <fieldset class="nhs-fieldset">
        <legend>Priority</legend>
        {(['routine', 'urgent'] as const).map((priority) => (
          <div class="nhs-radio" key={priority}>
            <input
              type="radio"
              name="priority"
              id={`priority-${priority}`}
              checked={draft.priority === priority}
              onChange={() => onChange({ priority })}
            />
            <label for={`priority-${priority}`}>{priority === 'routine' ? 'Routine' : 'Urgent'}</label>
          </div>
        ))}
      </fieldset>

      <OfferSuggestions
        offers={props.offers}
        chosen={draft.suggestedOffers}
        onChange={(suggestedOffers) => onChange({ suggestedOffers })}
      />

      <fieldset class="nhs-fieldset">
        <legend>Referred by</legend>
        <TextField
          id="referrer-name"
          label="Your name"
          autoComplete="name"
          value={referrer.name}
          problem={problemFor('referrer-name')}
          onInput={(name) => props.onReferrerChange({ ...referrer, name })}
        />
        <TextField
          id="referrer-role"
          label="Your role (optional)"
          hint="For example General practitioner"
          value={referrer.role ?? ''}
          onInput={(role) => props.onReferrerChange(role ? { ...referrer, role } : { name: referrer.name })}
        />
      </fieldset>

      <div class={`nhs-form-group${consentProblem ? ' nhs-form-group--error' : ''}`}>
        <FieldsetError id="consent-error" problem={consentProblem} />
        <div class="nhs-checkbox consent">
          <input
            type="checkbox"
            id="consent"
            checked={draft.consent}
            aria-describedby={consentProblem ? 'consent-error' : undefined}
            aria-invalid={consentProblem ? true : undefined}
            onChange={(event) => {
              const given = event.currentTarget.checked;
              onChange(given ? { consent: true, consentAt: new Date().toISOString() } : { consent: false });
            }}
          />
          <label for="consent">
            The patient gives consent to this referral and to sharing these details with the link worker
          </label>
        </div>
      </div>

      <div class="form-actions">
        <button type="submit" class="nhs-button" aria-disabled={props.busy ? true : undefined}>
          Send referral
        </button>
        <button type="button" class="nhs-button nhs-button--secondary" onClick={props.onDecline}>
          Patient declined
        </button>
      </div>
    </form>
  );
}
