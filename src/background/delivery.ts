import { classifyStatus, parseRetryAfter, refusalReason } from '../core/delivery-policy';
import { referralToFhirMessage } from '../core/fhir-message';
import type { Settings } from '../core/settings';
import type { OutboxEntry } from '../shared/outbox-db';

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
  const headers: Record<string, string> = {
    'Content-Type': 'application/fhir+json',
    Accept: 'application/fhir+json',
    'X-Request-Id': entry.id,
    'X-Correlation-Id': entry.correlationId,
  };
  if (linkWorker.delivery.token) headers.Authorization = `Bearer ${linkWorker.delivery.token}`;

  let response: Response;
  try {
    response = await context.fetch(destination.endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify(bundle),
      // No cookies or cached answers: this is a machine-to-machine message.
      credentials: 'omit',
      cache: 'no-store',
      // A redirect could carry the referral somewhere nobody configured: refuse it visibly instead.
      redirect: 'manual',
      signal: AbortSignal.timeout(context.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return {
      outcome: 'retry',
      problem: timedOut
        ? 'The link worker’s system did not answer in time.'
        : 'The link worker’s system could not be reached.',
    };
  }

  if (response.type === 'opaqueredirect') {
    return {
      outcome: 'refused',
      problem:
        'The link worker’s system redirected the referral elsewhere. Ask the practice manager to check its address.',
    };
  }
  const outcome = classifyStatus(response.status);
  if (outcome === 'delivered') {
    // The body is not needed; reading it frees the connection.
    await response.body?.cancel().catch(() => {});
    return { outcome, status: response.status };
  }
  const body = await readTextSafely(response);
  const problem = refusalReason(response.status, response.statusText, body);
  if (outcome === 'refused') return { outcome, problem };
  const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), context.now.getTime());
  return retryAfterMs === undefined ? { outcome, problem } : { outcome, problem, retryAfterMs };
}

/** Reads at most 64 kB of a response body as text; a broken body reads as empty. */
async function readTextSafely(response: Response): Promise<string> {
  try {
    const text = await response.text();
    return text.slice(0, 65_536);
  } catch {
    return '';
  }
}
