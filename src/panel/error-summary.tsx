import { useEffect, useRef } from 'preact/hooks';

// The NHS error summary: a box at the top of a form that takes focus and links to each field with a
// problem. https://service-manual.nhs.uk/design-system/components/error-summary

export interface FieldProblem {
  fieldId: string;
  message: string;
}

export function ErrorSummary(props: { problems: FieldProblem[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (props.problems.length > 0) box.current?.focus();
  }, [props.problems]);
  if (props.problems.length === 0) return null;
  return (
    <div class="nhs-error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={box}>
      <h2 id="error-summary-title">There is a problem</h2>
      <ul>
        {props.problems.map((problem) => (
          <li key={`${problem.fieldId}:${problem.message}`}>
            <a
              href={`#${problem.fieldId}`}
              onClick={(event) => {
                // Moving focus, not only scrolling, so the keyboard continues from the field.
                const field = document.getElementById(problem.fieldId);
                if (field) {
                  event.preventDefault();
                  field.focus();
                }
              }}
            >
              {problem.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
