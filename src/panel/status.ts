import type { OutboxItem } from '../shared/messages';

// A referral's status in the words of CONTRACT.md section 3 (`Sent`, `Queued`, `Failed`), with the
// NHS tag colour that goes with each.

export function statusWords(item: Pick<OutboxItem, 'status' | 'method'>): string {
  switch (item.status) {
    case 'sent':
      return item.method === 'email' ? 'Email written' : 'Sent';
    case 'queued':
      return 'Queued';
    case 'sending':
      return 'Sending';
    case 'failed':
      return 'Failed';
    case 'cancelled':
      return 'Cancelled';
    case 'needs-attention':
      return 'Needs your attention';
  }
}

export function statusTagClass(item: Pick<OutboxItem, 'status'>): string {
  switch (item.status) {
    case 'sent':
      return 'nhs-tag nhs-tag--green';
    case 'queued':
    case 'sending':
      return 'nhs-tag nhs-tag--blue';
    case 'failed':
      return 'nhs-tag nhs-tag--red';
    case 'needs-attention':
      return 'nhs-tag nhs-tag--yellow';
    case 'cancelled':
      return 'nhs-tag nhs-tag--grey';
  }
}

/** One sentence about what happens next, for screen readers and the status line. */
export function statusSentence(item: OutboxItem): string {
  switch (item.status) {
    case 'sent':
      return item.method === 'email'
        ? `Referral written for ${item.linkWorkerName}. Send the email to finish.`
        : `Sent. ${item.linkWorkerName}’s system has the referral.`;
    case 'queued':
      return `Queued. Linkwell will keep trying to reach ${item.linkWorkerName}${item.problem ? ` (${item.problem})` : ''}; you can close this panel.`;
    case 'sending':
      return `Sending to ${item.linkWorkerName}…`;
    case 'failed':
      return `Failed. ${item.linkWorkerName}’s system refused the referral: ${item.problem ?? 'no reason given'}`;
    case 'cancelled':
      return 'Cancelled. The referral will not be sent.';
    case 'needs-attention':
      return `Needs your attention: ${item.problem ?? 'check the referral and send it again.'}`;
  }
}

/** Why a referral was not cancelled, from how it now stands, for the GP to act on. */
export function cancelRefusalText(item: OutboxItem | null): string {
  if (!item) return 'Not cancelled: Linkwell no longer holds this referral.';
  switch (item.status) {
    case 'sending':
      return `Not cancelled: the referral is being sent to ${item.linkWorkerName} right now. Check its status in a moment; if it arrives, contact them to withdraw it.`;
    case 'sent':
      return item.method === 'email'
        ? 'Not cancelled: this referral was written as an email. If you sent the email, contact the link worker to withdraw it.'
        : `Not cancelled: the referral was already sent to ${item.linkWorkerName}. Contact them to withdraw it.`;
    case 'failed':
      return `Not cancelled: ${item.linkWorkerName}’s system refused the referral, so it will not be sent.`;
    case 'cancelled':
      return 'The referral is cancelled. It will not be sent.';
    case 'queued':
    case 'needs-attention':
      return 'The referral could not be cancelled just now. Try again in a moment.';
  }
}
