import { type ComponentChildren, createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { fieldId, fieldWords } from './draft';

// NHS-style form fields for the options page: label, hint, the error in words next to the field
// (https://service-manual.nhs.uk/design-system/components/error-message), all tied by ids.

/** True while policy sets the settings: every field shows its value and cannot be changed. */
export const ReadOnly = createContext(false);

export interface FieldProps {
  /** The settings path the field edits, like `linkWorkers[0].name`: its id and its problems follow from it. */
  path: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  /** The problem to show now, if any. */
  error?: string | undefined;
  hint?: ComponentChildren;
  type?: 'text' | 'email' | 'tel' | 'url' | 'password' | 'number';
  autoComplete?: string;
  inputMode?: 'numeric' | 'email' | 'tel' | 'url' | 'text';
  width?: 'short' | 'full';
  spellCheck?: boolean;
}

export function TextField(props: FieldProps) {
  const readOnly = useContext(ReadOnly);
  const id = fieldId(props.path);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [props.hint ? hintId : '', props.error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div class={`nhs-form-group${props.error ? ' nhs-form-group--error' : ''}`}>
      <label class="nhs-label" for={id}>
        {props.label}
      </label>
      {props.hint ? (
        <span class="nhs-hint" id={hintId}>
          {props.hint}
        </span>
      ) : null}
      {props.error ? (
        <span class="nhs-error-message" id={errorId}>
          <span class="visually-hidden">Error: </span>
          {fieldWords(props.path)} {props.error}
        </span>
      ) : null}
      <input
        class={`nhs-input${props.error ? ' nhs-input--error' : ''}${props.width === 'short' ? ' options-input--short' : ''}`}
        id={id}
        name={props.path}
        // Preact types each input type separately; the props here are valid for all of them.
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        readOnly={readOnly}
        autoComplete={props.autoComplete ?? 'off'}
        spellcheck={props.spellCheck ?? false}
        {...(props.inputMode ? { inputMode: props.inputMode } : {})}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </div>
  );
}

export interface SummaryItem {
  href: string;
  text: string;
}

/** The error summary at the top of the form: every problem, each a link to its field. */
export function ErrorSummary(props: {
  items: SummaryItem[];
  summaryRef: { current: HTMLDivElement | null };
}) {
  return (
    <div
      class="nhs-error-summary"
      role="alert"
      aria-labelledby="error-summary-title"
      tabIndex={-1}
      ref={props.summaryRef}
    >
      <h2 id="error-summary-title">There is a problem</h2>
      <p>Nothing has been saved. Correct these and save again:</p>
      <ul>
        {props.items.map((item) => (
          <li key={item.href + item.text}>
            <a href={item.href} onClick={(event) => focusTarget(event, item.href)}>
              {item.text}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

// A link to a field moves focus into it, not just the view: the person can correct it at once.
function focusTarget(event: MouseEvent, href: string): void {
  const target = document.getElementById(href.slice(1));
  if (!target) return;
  event.preventDefault();
  target.scrollIntoView({ block: 'center' });
  target.focus({ preventScroll: true });
}
