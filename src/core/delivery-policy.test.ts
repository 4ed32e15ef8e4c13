import { describe, expect, it } from 'vitest';
import { classifyStatus, parseRetryAfter, refusalReason, retryDelay } from './delivery-policy';

describe('classifyStatus', () => {
  it.each([200, 201, 202, 204, 299])('%i is delivered', (status) => {
    expect(classifyStatus(status)).toBe('delivered');
  });
  it.each([408, 429, 500, 502, 503, 504, 599])('%i is retried', (status) => {
    expect(classifyStatus(status)).toBe('retry');
  });
  it.each([0, 2, 99, 199, 600, 999])('%i, which no server sends on purpose, is retried', (status) => {
    expect(classifyStatus(status)).toBe('retry');
  });
  it.each([300, 400, 401, 403, 404, 409, 410, 413, 415, 422])('%i is refused', (status) => {
    expect(classifyStatus(status)).toBe('refused');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T10:00:00Z');
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
  });
  it('reads an HTTP date', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:01:00 GMT', now)).toBe(60_000);
  });
  it('treats a date in the past as now', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });
  it.each([null, undefined, '', 'soon', '-5', '1.5', 'Tomorrow'])('ignores %j', (header) => {
    expect(parseRetryAfter(header, now)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  it('doubles with each attempt, jitter at its lowest', () => {
    const low = { random: () => 0 };
    expect([1, 2, 3, 4].map((attempt) => retryDelay(attempt, undefined, low))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });
  it('doubles with each attempt, jitter at its highest', () => {
    const high = { random: () => 0.999999 };
    expect(retryDelay(1, undefined, high)).toBe(2000);
    expect(retryDelay(3, undefined, high)).toBe(8000);
  });
  it('never grows beyond the ceiling', () => {
    expect(retryDelay(60, undefined, { random: () => 0.999999 })).toBe(15 * 60_000);
  });
  it('waits at least as long as Retry-After asks', () => {
    expect(retryDelay(1, 30_000, { random: () => 0 })).toBe(30_000);
  });
  it('keeps its own backoff when that is longer than Retry-After', () => {
    expect(retryDelay(5, 1_000, { random: () => 0 })).toBe(16_000);
  });
  it('caps a very long Retry-After', () => {
    expect(retryDelay(1, 7 * 24 * 3600_000, { random: () => 0 })).toBe(6 * 3600_000);
  });
});

describe('refusalReason', () => {
  it('uses the OperationOutcome diagnostics', () => {
    const body = JSON.stringify({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'invalid', diagnostics: 'Patient not registered with this PCN' }],
    });
    expect(refusalReason(422, 'Unprocessable Entity', body)).toBe('Patient not registered with this PCN');
  });
  it('falls back to details.text', () => {
    const body = JSON.stringify({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'invalid', details: { text: 'Link worker unknown' } }],
    });
    expect(refusalReason(400, 'Bad Request', body)).toBe('Link worker unknown');
  });
  it('joins several issues', () => {
    const body = JSON.stringify({
      resourceType: 'OperationOutcome',
      issue: [{ diagnostics: 'First' }, { details: { text: 'Second' } }],
    });
    expect(refusalReason(400, 'Bad Request', body)).toBe('First; Second');
  });
  it('uses the status line when the body is not an OperationOutcome', () => {
    expect(refusalReason(403, 'Forbidden', '<html>nope</html>')).toBe('HTTP 403 Forbidden');
    expect(refusalReason(404, '', '')).toBe('HTTP 404');
    expect(refusalReason(400, 'Bad Request', '{"resourceType":"Patient"}')).toBe('HTTP 400 Bad Request');
  });
  it('keeps a hostile reason short and free of control characters', () => {
    const body = JSON.stringify({
      resourceType: 'OperationOutcome',
      issue: [{ diagnostics: `a\u0000b\n${'x'.repeat(900)}` }],
    });
    const reason = refusalReason(400, 'Bad Request', body);
    expect(reason.length).toBe(500);
    expect(reason.startsWith('ab x')).toBe(true);
  });
});
