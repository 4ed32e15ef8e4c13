import { formatNhsNumber } from '../core/nhs-number';
import { formatDateTime } from '../core/referral-text';
import type { OutboxItem } from '../shared/messages';
import { statusTagClass, statusWords } from './status';

// This browser's recent referrals for the practice, with their status: cancel a queued one, try a
// waiting one now, edit a failed one (or one that needs attention) and send it again as a new referral.

export function RecentReferrals(props: {
  items: OutboxItem[];
  /** What came of a Cancel pressed here, by `list:<id>`. */
  notes?: Readonly<Record<string, string>>;
  onCancel: (item: OutboxItem) => void;
  onRetry: (item: OutboxItem) => void;
  onEdit: (item: OutboxItem) => void;
}) {
  return (
    <section class="recent" aria-labelledby="recent-heading">
      <h2 id="recent-heading">Recent referrals</h2>
      {props.items.length === 0 ? (
        <p>No referrals from this browser yet.</p>
      ) : (
        <ul class="recent-list">
          {props.items.map((item) => {
            const who = item.patient
              ? `${item.patient.name}, NHS number ${formatNhsNumber(item.patient.nhsNumber)}`
              : 'Patient details no longer kept';
            const when = formatDateTime(new Date(item.createdAt));
            const about = ` for ${item.patient?.name ?? 'this patient'}, ${when}`;
            return (
              <li key={item.id} class="recent-item nhs-card">
                <p class="recent-who">{who}</p>
                <p class="nhs-hint">
                  To {item.linkWorkerName}, {when}
                </p>
                <p>
                  <span class={statusTagClass(item)}>{statusWords(item)}</span>
                  {item.problem && item.status !== 'sent' ? (
                    <span class="recent-problem"> {item.problem}</span>
                  ) : null}
                  {item.replacedBy ? <span class="nhs-hint"> Sent again after editing.</span> : null}
                </p>
                <div class="recent-actions">
                  {item.status === 'queued' || item.status === 'needs-attention' ? (
                    <>
                      <button
                        type="button"
                        class="nhs-button nhs-button--secondary nhs-button--small"
                        onClick={() => props.onRetry(item)}
                      >
                        Try again now<span class="visually-hidden">{about}</span>
                      </button>
                      <button
                        type="button"
                        class="nhs-button nhs-button--warning nhs-button--small"
                        onClick={() => props.onCancel(item)}
                      >
                        Cancel<span class="visually-hidden"> referral{about}</span>
                      </button>
                    </>
                  ) : null}
                  {(item.status === 'failed' || item.status === 'needs-attention') &&
                  !item.replacedBy &&
                  item.patient ? (
                    <button
                      type="button"
                      class="nhs-button nhs-button--secondary nhs-button--small"
                      onClick={() => props.onEdit(item)}
                    >
                      Edit and send again<span class="visually-hidden">{about}</span>
                    </button>
                  ) : null}
                </div>
                {props.notes?.[`list:${item.id}`] ? (
                  <p class="cancel-note" role="alert">
                    {props.notes[`list:${item.id}`]}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
