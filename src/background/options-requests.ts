import { classifyStatus, refusalReason } from '../core/delivery-policy';
import { fhirDeliveryProblems } from '../core/settings';
import { connectionTestMessage } from '../core/test-message';
import type { ActivityRecord, openLinkwellDb } from '../shared/outbox-db';
import { postFhirMessage } from './fhir-post';

// What the options page asks of the background: a test message to a link worker's endpoint, and the
// anonymous activity records for the report.

export type TestMessageOutcome = 'accepted' | 'refused' | 'unavailable' | 'unreachable';
export interface TestMessageResult {
  outcome: TestMessageOutcome;
  status?: number;
  /** What happened, in words for the practice manager. */
  message: string;
}

export interface TestMessageDeps {
  fetch: typeof fetch;
  now: () => number;
  newId: () => string;
  software: { name: string; version: string };
  sourceEndpoint: string;
  practiceName?: string | undefined;
  timeoutMs?: number;
  /**
   * Whether the browser lets Linkwell contact an origin. Without that access the request depends on
   * the server's CORS headers, and a refusal looks like a network failure: this tells the two apart.
   */
  mayContact?: (origin: string) => Promise<boolean>;
}

/**
 * Posts a connection-test message to a FHIR endpoint the way a referral is posted (CONTRACT.md section 4
 * headers and token), and says what the receiver answered. The address is checked by the settings rules
 * first, so a test cannot go anywhere a referral could not.
 */
export async function sendTestMessage(
  target: { endpoint: string; token?: string | undefined },
  deps: TestMessageDeps,
): Promise<TestMessageResult> {
  const [problem] = fhirDeliveryProblems({
    method: 'fhir',
    endpoint: target.endpoint,
    ...(target.token ? { token: target.token } : {}),
  });
  if (problem) {
    const field = problem.path === 'token' ? 'The access token' : 'The endpoint';
    throw new Error(`${field} ${problem.message}.`);
  }
  const id = deps.newId();
  const bundle = connectionTestMessage({
    id,
    headerId: deps.newId(),
    now: new Date(deps.now()),
    software: deps.software,
    destinationEndpoint: target.endpoint,
    sourceEndpoint: deps.sourceEndpoint,
    practiceName: deps.practiceName,
  });
  const result = await postFhirMessage(deps.fetch, {
    endpoint: target.endpoint,
    body: bundle,
    requestId: id,
    correlationId: deps.newId(),
    token: target.token,
    timeoutMs: deps.timeoutMs ?? 20_000,
  });
  if (result.kind === 'unreachable') {
    const origin = new URL(target.endpoint).origin;
    if (!result.timedOut && deps.mayContact && !(await deps.mayContact(origin))) {
      return {
        outcome: 'unreachable',
        message: `Linkwell has not been allowed to contact ${origin}. Press Send test message again and choose Allow when the browser asks.`,
      };
    }
    return {
      outcome: 'unreachable',
      message: result.timedOut
        ? 'No answer: the link worker’s system did not answer within 20 seconds.'
        : 'Could not reach the link worker’s system. Check the address, and that this computer can reach it.',
    };
  }
  if (result.kind === 'redirected') {
    return {
      outcome: 'refused',
      message: 'The link worker’s system redirected the message elsewhere. Check the endpoint address.',
    };
  }
  const { status } = result;
  const reason = refusalReason(status, result.statusText, result.body);
  switch (classifyStatus(status)) {
    case 'delivered':
      return {
        outcome: 'accepted',
        status,
        message: `Accepted: the link worker’s system answered HTTP ${status}.`,
      };
    case 'retry':
      return {
        outcome: 'unavailable',
        status,
        message: `Not available just now (HTTP ${status}): ${reason}. Referrals would wait and be retried.`,
      };
    case 'refused':
      return {
        outcome: 'refused',
        status,
        message:
          status === 401 || status === 403
            ? `Refused (HTTP ${status}): ${reason}. Check the access token.`
            : `Refused (HTTP ${status}): ${reason}. The system was reached; ask its owner whether it takes test messages.`,
      };
  }
}

/** Every anonymous activity record, for the report: month, outcome, reasons and link worker only. */
export async function listActivity(
  db: typeof openLinkwellDb,
): Promise<Pick<ActivityRecord, 'month' | 'outcome' | 'reasons' | 'linkWorkerId'>[]> {
  const records = await (await db()).getAll('activity');
  return records.map((record) => ({
    month: record.month,
    outcome: record.outcome,
    reasons: [...record.reasons],
    ...(record.linkWorkerId === undefined ? {} : { linkWorkerId: record.linkWorkerId }),
  }));
}
