import type { ComponentChildren } from 'preact';

// The panel's text fields, NHS style: label, hint, the problem in words, then the control, which is
// described by the hint and the problem so a screen reader reads them with it.

interface FieldProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  problem?: string | undefined;
  hint?: string;
}

function FormGroup(props: FieldProps & { children: (describedBy: string | undefined) => ComponentChildren }) {
  const describedBy = [props.hint ? `${props.id}-hint` : '', props.problem ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={`nhs-form-group${props.problem ? ' nhs-form-group--error' : ''}`}>
      <label class="nhs-label" for={props.id}>
        {props.label}
      </label>
      {props.hint ? (
        <span class="nhs-hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      ) : null}
      {props.problem ? (
        <span class="nhs-error-message" id={`${props.id}-error`}>
          <span class="visually-hidden">Error:</span> {props.problem}
        </span>
      ) : null}
      {props.children(describedBy || undefined)}
    </div>
  );
}

export function TextField(
  props: FieldProps & { inputMode?: 'numeric' | 'email' | 'tel' | 'text'; autoComplete?: string },
) {
  return (
    <FormGroup {...props}>
      {(describedBy) => (
        <input
          class={`nhs-input${props.problem ? ' nhs-input--error' : ''}`}
          id={props.id}
          type="text"
          value={props.value}
          inputMode={props.inputMode}
          autoComplete={props.autoComplete ?? 'off'}
          aria-describedby={describedBy}
          aria-invalid={props.problem ? true : undefined}
          onInput={(event) => props.onInput(event.currentTarget.value)}
        />
      )}
    </FormGroup>
  );
}

export function TextArea(props: FieldProps) {
  return (
    <FormGroup {...props}>
      {(describedBy) => (
        <textarea
          class={`nhs-textarea${props.problem ? ' nhs-textarea--error' : ''}`}
          id={props.id}
          rows={3}
          value={props.value}
          aria-describedby={describedBy}
          aria-invalid={props.problem ? true : undefined}
          onInput={(event) => props.onInput(event.currentTarget.value)}
        />
      )}
    </FormGroup>
  );
}
