import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fhirProblems } from '../../support/fhir-validation';

/** One request the receiver got, as it arrived. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The parsed body, when it was JSON. */
  json: unknown;
  /** What is wrong with the body as a FHIR R4 resource (tests/support/fhir-validation.ts); `[]` when valid. */
  fhirProblems: string[];
  at: number;
}

/** How the receiver answers the next request. */
export type Answer =
  | { kind: 'accept'; status?: number }
  | { kind: 'refuse'; status: number; diagnostics?: string; body?: string }
  | { kind: 'unavailable'; status?: number; retryAfterSeconds?: number }
  | { kind: 'drop' }
  | { kind: 'hang' }
  | { kind: 'garbage' }
  /** An HTTP redirect to `location` (307 by default, which would carry the POST body along if followed). */
  | { kind: 'redirect'; status?: number; location: string };

export interface FhirReceiver {
  /** `http://127.0.0.1:PORT/fhir/$process-message` */
  endpoint: string;
  origin: string;
  received: ReceivedRequest[];
  /** Answers to use, in order, before falling back to `otherwise`. */
  script(...answers: Answer[]): void;
  /** The answer once the script is used up (default: accept). */
  otherwise(answer: Answer | ((request: ReceivedRequest) => Answer)): void;
  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  /** Throws, naming each one and what is wrong with it, if any request so far was not valid FHIR R4. */
  expectAllValid(): void;
  /** Stops the receiver, then fails (as `expectAllValid`) if the extension sent anything invalid. */
  close(): Promise<void>;
}

const PATH = '/fhir/$process-message';

/**
 * A link worker's FHIR endpoint on loopback that the test controls: it records every request and
 * answers as scripted (accept, refuse with an OperationOutcome, 503 with Retry-After, drop the
 * connection, never answer, answer with garbage, or redirect elsewhere).
 *
 * Whatever it answers, every body it receives must be a valid FHIR R4 resource (referrals and the
 * options page's test message alike): it validates each one, and `close()` fails the test file when
 * one was not. The answers may be garbage; what the extension sends never may.
 */
export async function startFhirReceiver(): Promise<FhirReceiver> {
  const received: ReceivedRequest[] = [];
  const scripted: Answer[] = [];
  let fallback: Answer | ((request: ReceivedRequest) => Answer) = { kind: 'accept' };
  const waiters = new Set<() => void>();

  const answer = (response: ServerResponse, request: IncomingMessage, choice: Answer) => {
    switch (choice.kind) {
      case 'accept':
        response.writeHead(choice.status ?? 200, { 'Content-Type': 'application/fhir+json' });
        response.end(JSON.stringify({ resourceType: 'Bundle', type: 'message' }));
        return;
      case 'refuse': {
        const body =
          choice.body ??
          JSON.stringify({
            resourceType: 'OperationOutcome',
            issue: [{ severity: 'error', code: 'invalid', diagnostics: choice.diagnostics ?? 'Refused' }],
          });
        response.writeHead(choice.status, { 'Content-Type': 'application/fhir+json' });
        response.end(body);
        return;
      }
      case 'unavailable':
        response.writeHead(choice.status ?? 503, {
          'Content-Type': 'text/plain',
          ...(choice.retryAfterSeconds === undefined
            ? {}
            : { 'Retry-After': String(choice.retryAfterSeconds) }),
        });
        response.end('Service unavailable');
        return;
      case 'drop':
        request.socket.destroy();
        return;
      case 'hang':
        return;
      case 'garbage':
        request.socket.end('HTTP/1.1 2OO OK\r\nContent-Length: banana\r\n\r\n\u0000\u0001garbage');
        return;
      case 'redirect':
        response.writeHead(choice.status ?? 307, { Location: choice.location });
        response.end();
        return;
    }
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'OPTIONS') {
        response.writeHead(204);
        response.end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      if ((request.url ?? '') !== PATH) {
        response.writeHead(404);
        response.end();
        return;
      }
      const entry: ReceivedRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body,
        json,
        fhirProblems: json === undefined ? ['the body is not JSON'] : fhirProblems(json),
        at: Date.now(),
      };
      received.push(entry);
      for (const wake of waiters) wake();
      const choice = scripted.shift() ?? (typeof fallback === 'function' ? fallback(entry) : fallback);
      answer(response, request, choice);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const expectAllValid = () => {
    const invalid = received.filter((request) => request.fhirProblems.length > 0);
    if (invalid.length === 0) return;
    const described = invalid.map(
      (request) =>
        `${request.method} ${request.path} (X-Request-Id ${String(request.headers['x-request-id'])}):\n    ` +
        request.fhirProblems.join('\n    '),
    );
    throw new Error(
      `the FHIR receiver got ${invalid.length} of ${received.length} requests that are not valid FHIR R4:\n  ` +
        described.join('\n  '),
    );
  };

  return {
    endpoint: `${origin}${PATH}`,
    origin,
    received,
    script: (...answers) => scripted.push(...answers),
    otherwise: (choice) => {
      fallback = choice;
    },
    waitForRequests(count, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(received.slice());
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} requests at the receiver, got ${received.length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    expectAllValid,
    async close() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      expectAllValid();
    },
  };
}
