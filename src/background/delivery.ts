import { classifyStatus, parseRetryAfter, refusalReason } from '../core/delivery-policy';
import { referralToFhirMessage } from '../core/fhir-message';
import type { Settings } from '../core/settings';
import type { OutboxEntry } from '../shared/outbox-db';
import { postFhirMessage } from './fhir-post';

/** What one attempt came to. `retryAfterMs` is the receiver's own request, when it made one. */
export type AttemptResult =
  | { outcome: 'delivered'; status: number }
  | { outcome: 'retry'; problem: string; retryAfterMs?: number }
  | { outcome: 'refused'; problem: string }
  | { outcome: 'needs-attention'; problem: string };

export interface DeliveryContext {
  settings: Settings | undefined;
  now: Date;
  software: { name: string; version: string };
  fetch: typeof fetch;
  /** Where the message says it came from (MessageHeader.source.endpoint). */
  sourceEndpoint: string;
  timeoutMs?: number;
  /**
   * Whether the browser lets Linkwell contact an origin. Without that access the POST depends on the
   * server's CORS headers, and a refusal looks like a network failure: this says which it was.
   */
  mayContact?: (origin: string) => Promise<boolean>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Sends one queued FHIR referral once. The destination was fixed when the GP pressed Send; if the
 * practice has since removed that link worker or changed their address, nothing is sent and the
 * GP is asked (the referral must not go to a place nobody chose, nor be silently dropped).
 */
export async function attemptFhirDelivery(
  entry: OutboxEntry,
  context: DeliveryContext,
): Promise<AttemptResult> {
  const { destination, referral } = entry;
  if (destination.method !== 'fhir' || !referral) {
    return { outcome: 'needs-attention', problem: 'This referral cannot be sent as a FHIR message.' };
  }
  const linkWorker = context.settings?.linkWorkers.find(
    (candidate) => candidate.id === destination.linkWorkerId,
  );
  if (!linkWorker) {
    return {
      outcome: 'needs-attention',
      problem: `${destination.linkWorkerName} is no longer in the practice's settings. Choose who should receive this referral.`,
    };
  }
  if (linkWorker.delivery.method !== 'fhir' || linkWorker.delivery.endpoint !== destination.endpoint) {
    return {
      outcome: 'needs-attention',
      problem: `How referrals reach ${destination.linkWorkerName} changed after this one was queued. Check and send it again.`,
    };
  }

  const bundle = referralToFhirMessage(referral, {
    now: context.now,
    software: context.software,
    destinationEndpoint: destination.endpoint,
    sourceEndpoint: context.sourceEndpoint,
  });
  const result = await postFhirMessage(context.fetch, {
    endpoint: destination.endpoint,
    body: bundle,
    requestId: entry.id,
    correlationId: entry.correlationId,
    token: linkWorker.delivery.token,
    timeoutMs: context.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  if (result.kind === 'unreachable') {
    const origin = new URL(destination.endpoint).origin;
    if (!result.timedOut && context.mayContact && !(await context.mayContact(origin))) {
      // Still retried: once the practice manager allows it, the referral goes without the GP's help.
      return {
        outcome: 'retry',
        problem: `Linkwell has not been allowed to contact ${origin}: ask your practice manager to open Linkwell’s settings and allow it`,
      };
    }
    return {
      outcome: 'retry',
      problem: result.timedOut
        ? 'The link worker’s system did not answer in time.'
        : 'The link worker’s system could not be reached.',
    };
  }
  if (result.kind === 'redirected') {
    return {
      outcome: 'refused',
      problem:
        'The link worker’s system redirected the referral elsewhere. Ask the practice manager to check its address.',
    };
  }
  const outcome = classifyStatus(result.status);
  if (outcome === 'delivered') return { outcome, status: result.status };
  const problem = refusalReason(result.status, result.statusText, result.body);
  if (outcome === 'refused') return { outcome, problem };
  const retryAfterMs = parseRetryAfter(result.retryAfter, context.now.getTime());
  return retryAfterMs === undefined ? { outcome, problem } : { outcome, problem, retryAfterMs };
}
