import { z } from 'zod';

/** What one delivery attempt's HTTP answer means for the referral (CONTRACT.md section 4). */
export type AttemptOutcome = 'delivered' | 'retry' | 'refused';

/**
 * Any 2xx is delivered; 408, 429 and 5xx are worth another try; any other status is a refusal.
 * A status no HTTP server sends (outside 200 to 599, which Chromium reports for a garbled status
 * line such as `2OO`) says nothing about the referral's fate, so it is tried again too.
 * @example classifyStatus(202) // 'delivered'
 */
export function classifyStatus(status: number): AttemptOutcome {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429 || status >= 500 || status < 200) return 'retry';
  return 'refused';
}

/**
 * Milliseconds asked for by a `Retry-After` header: delay-seconds or an HTTP date
 * (https://www.rfc-editor.org/rfc/rfc9110#field.retry-after). Anything else gives undefined.
 * @example parseRetryAfter('120', Date.now()) // 120000
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only the HTTP-date form has a comma ("Sun, 06 Nov 1994 08:49:37 GMT"); this keeps bare words out.
  if (!text.includes(',')) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface BackoffOptions {
  /** First retry waits about this long. */
  baseMs?: number;
  /** No wait grows beyond this (a Retry-After may ask for longer, up to `maxRetryAfterMs`). */
  maxMs?: number;
  /** A receiver cannot park a referral for longer than this. */
  maxRetryAfterMs?: number;
  /** Uniform random in [0, 1); injectable for tests. */
  random?: () => number;
}

export const DEFAULT_BACKOFF = {
  baseMs: 2_000,
  maxMs: 15 * 60_000,
  maxRetryAfterMs: 6 * 60 * 60_000,
} as const;

/**
 * How long to wait before attempt number `attempt + 1`, after `attempt` failed attempts (1-based).
 * Exponential backoff with "equal jitter" (half fixed, half random) so that many queued referrals do
 * not all retry in the same second (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/),
 * and never sooner than the receiver's Retry-After.
 * @example retryDelay(1, undefined, { random: () => 0 }) // 1000
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions = {},
): number {
  const { baseMs, maxMs, maxRetryAfterMs } = { ...DEFAULT_BACKOFF, ...options };
  const random = options.random ?? Math.random;
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(ceiling / 2 + random() * (ceiling / 2));
  if (retryAfterMs === undefined) return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, maxRetryAfterMs));
}

const operationOutcomeSchema = z.object({
  resourceType: z.literal('OperationOutcome'),
  issue: z
    .array(
      z.object({
        severity: z.string().optional(),
        diagnostics: z.string().optional(),
        details: z.object({ text: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});

/** Longest reason shown to the GP: a receiver's error page must not flood the panel. */
const MAX_REASON_LENGTH = 500;

/**
 * The words to show for a refused referral: the OperationOutcome's `diagnostics` or `details.text`,
 * else the HTTP status line. The body is someone else's text: it is parsed, trimmed and shown as text.
 * @example refusalReason(422, 'Unprocessable Entity', '{"resourceType":"OperationOutcome","issue":[{"diagnostics":"Unknown NHS number"}]}')
 * // 'Unknown NHS number'
 */
export function refusalReason(status: number, statusText: string, body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const outcome = operationOutcomeSchema.safeParse(parsed);
  if (outcome.success) {
    const texts = (outcome.data.issue ?? [])
      .map((issue) => issue.diagnostics?.trim() || issue.details?.text?.trim() || '')
      .filter((text) => text !== '');
    if (texts.length > 0) return clip(texts.join('; '));
  }
  return clip(`HTTP ${status}${statusText ? ` ${statusText}` : ''}`);
}

function clip(text: string): string {
  // Control characters have no place in a message shown to a person.
  const clean = Array.from(text.replace(/\s+/g, ' '))
    .filter((char) => char >= ' ' && char !== '\u007f')
    .join('');
  return clean.length > MAX_REASON_LENGTH ? `${clean.slice(0, MAX_REASON_LENGTH - 1)}…` : clean;
}
