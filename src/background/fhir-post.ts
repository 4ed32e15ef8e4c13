// One POST of a FHIR message to a link worker's endpoint, with the contract's headers
// (CONTRACT.md section 4). Referrals and the options page's test message both go through here.

export interface FhirPost {
  endpoint: string;
  body: unknown;
  /** The same on every attempt for one message. */
  requestId: string;
  correlationId: string;
  token?: string | undefined;
  timeoutMs: number;
}

/** What came back: an answer (status and at most 64 kB of its body), a redirect, or nothing at all. */
export type FhirPostResult =
  | { kind: 'answered'; status: number; statusText: string; retryAfter: string | null; body: string }
  | { kind: 'redirected' }
  | { kind: 'unreachable'; timedOut: boolean };

const MAX_BODY = 65_536;

export async function postFhirMessage(fetchFn: typeof fetch, post: FhirPost): Promise<FhirPostResult> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/fhir+json',
    Accept: 'application/fhir+json',
    'X-Request-Id': post.requestId,
    'X-Correlation-Id': post.correlationId,
  };
  if (post.token) headers.Authorization = `Bearer ${post.token}`;
  let response: Response;
  try {
    response = await fetchFn(post.endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify(post.body),
      // No cookies or cached answers: this is a machine-to-machine message.
      credentials: 'omit',
      cache: 'no-store',
      // A redirect could carry the message somewhere nobody configured: it is reported, not followed.
      redirect: 'manual',
      signal: AbortSignal.timeout(post.timeoutMs),
    });
  } catch (error) {
    return { kind: 'unreachable', timedOut: error instanceof DOMException && error.name === 'TimeoutError' };
  }
  if (response.type === 'opaqueredirect') return { kind: 'redirected' };
  let body = '';
  try {
    body = (await response.text()).slice(0, MAX_BODY);
  } catch {
    // A body that breaks off reads as empty: the status still says what happened.
  }
  return {
    kind: 'answered',
    status: response.status,
    statusText: response.statusText,
    retryAfter: response.headers.get('Retry-After'),
    body,
  };
}
