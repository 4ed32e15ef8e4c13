import { describe, expect, it } from 'vitest';
import { fhirProblems } from '../../tests/support/fhir-validation';
import { sendTestMessage, type TestMessageDeps } from './options-requests';

const ENDPOINT = 'https://sp.example.org/fhir/$process-message';

function depsAnswering(answer: () => Response | Promise<Response>) {
  const requests: { url: string; init: RequestInit }[] = [];
  let counter = 0;
  const deps: TestMessageDeps = {
    fetch: async (url, init) => {
      requests.push({ url: String(url), init: init ?? {} });
      return answer();
    },
    now: () => Date.parse('2025-03-12T10:00:00Z'),
    newId: () => `00000000-0000-4000-8000-00000000000${counter++}`,
    software: { name: 'Linkwell', version: '0.1.0' },
    sourceEndpoint: 'chrome-extension://test/',
  };
  return { deps, requests };
}

describe('sendTestMessage', () => {
  it('posts a test Bundle with the referral headers and reports it accepted', async () => {
    const { deps, requests } = depsAnswering(() => new Response('{}', { status: 200 }));
    const result = await sendTestMessage({ endpoint: ENDPOINT, token: 'secret' }, deps);
    expect(result).toEqual({
      outcome: 'accepted',
      status: 200,
      message: expect.stringContaining('Accepted'),
    });
    const [request] = requests;
    const headers = request?.init.headers as Record<string, string>;
    expect(request?.url).toBe(ENDPOINT);
    expect(request?.init.method).toBe('POST');
    expect(headers['Content-Type']).toBe('application/fhir+json');
    expect(headers.Accept).toBe('application/fhir+json');
    expect(headers.Authorization).toBe('Bearer secret');
    const body = JSON.parse(String(request?.init.body)) as { identifier: { value: string }; meta: unknown };
    expect(fhirProblems(body)).toEqual([]);
    expect(body.identifier.value).toBe(`urn:uuid:${headers['X-Request-Id']}`);
    expect(headers['X-Correlation-Id']).not.toBe(headers['X-Request-Id']);
  });

  it('sends no Authorization header without a token', async () => {
    const { deps, requests } = depsAnswering(() => new Response('{}', { status: 202 }));
    await sendTestMessage({ endpoint: ENDPOINT }, deps);
    expect(Object.keys(requests[0]?.init.headers ?? {})).not.toContain('Authorization');
  });

  it('points at the token when the receiver refuses with 401', async () => {
    const { deps } = depsAnswering(() => new Response('', { status: 401, statusText: 'Unauthorized' }));
    const result = await sendTestMessage({ endpoint: ENDPOINT, token: 'wrong' }, deps);
    expect(result.outcome).toBe('refused');
    expect(result.message).toBe('Refused (HTTP 401): HTTP 401 Unauthorized. Check the access token.');
  });

  it('shows the receiver’s own reason for a refusal', async () => {
    const outcome = { resourceType: 'OperationOutcome', issue: [{ diagnostics: 'Unknown event' }] };
    const { deps } = depsAnswering(() => new Response(JSON.stringify(outcome), { status: 422 }));
    const result = await sendTestMessage({ endpoint: ENDPOINT }, deps);
    expect(result.message).toContain('Refused (HTTP 422): Unknown event.');
  });

  it('says when the receiver is unavailable, and when it cannot be reached', async () => {
    const busy = depsAnswering(() => new Response('', { status: 503 }));
    expect((await sendTestMessage({ endpoint: ENDPOINT }, busy.deps)).outcome).toBe('unavailable');
    const down = depsAnswering(() => Promise.reject(new TypeError('Failed to fetch')));
    expect((await sendTestMessage({ endpoint: ENDPOINT }, down.deps)).outcome).toBe('unreachable');
  });

  it('says that access was not allowed when a system cannot be reached without it', async () => {
    const { deps } = depsAnswering(() => Promise.reject(new TypeError('Failed to fetch')));
    const asked: string[] = [];
    const result = await sendTestMessage(
      { endpoint: ENDPOINT },
      {
        ...deps,
        mayContact: async (origin) => {
          asked.push(origin);
          return false;
        },
      },
    );
    expect(asked).toEqual(['https://sp.example.org']);
    expect(result).toEqual({
      outcome: 'unreachable',
      message:
        'Linkwell has not been allowed to contact https://sp.example.org. Press Send test message again and choose Allow when the browser asks.',
    });
  });

  it('says the system could not be reached when access was allowed', async () => {
    const { deps } = depsAnswering(() => Promise.reject(new TypeError('Failed to fetch')));
    const result = await sendTestMessage({ endpoint: ENDPOINT }, { ...deps, mayContact: async () => true });
    expect(result.message).toBe(
      'Could not reach the link worker’s system. Check the address, and that this computer can reach it.',
    );
  });

  it('refuses an address a referral could not be sent to, without sending anything', async () => {
    const { deps, requests } = depsAnswering(() => new Response('{}'));
    await expect(sendTestMessage({ endpoint: 'http://sp.example.org/fhir' }, deps)).rejects.toThrow(
      'The endpoint must be https.',
    );
    expect(requests).toEqual([]);
  });
});
