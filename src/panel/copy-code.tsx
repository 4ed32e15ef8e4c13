import { useState } from 'preact/hooks';
import type { SnomedConcept } from '../core/snomed';

// The SNOMED CT code to record in the clinical record, with a button that copies it.

export function CopyCode(props: { concept: SnomedConcept; copy: (text: string) => Promise<boolean> }) {
  const [said, setSaid] = useState('');
  const { concept } = props;
  return (
    <div class="nhs-inset copy-code">
      <p>
        Record this code in the patient’s record:
        <br />
        <strong class="snomed-code">{concept.code}</strong> {concept.display}
      </p>
      <button
        type="button"
        class="nhs-button nhs-button--secondary nhs-button--small"
        aria-label={`Copy code ${concept.code}`}
        onClick={async () => {
          setSaid('');
          setSaid(
            (await props.copy(concept.code)) ? `Code ${concept.code} copied` : 'The code could not be copied',
          );
        }}
      >
        Copy code
      </button>
      <span role="status" class="copy-note">
        {said}
      </span>
    </div>
  );
}
