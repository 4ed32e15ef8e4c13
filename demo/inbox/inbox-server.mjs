// The demo link-worker inbox: a stand-in for a social prescribing system that receives Linkwell's FHIR
// referral messages (CONTRACT.md section 4). It checks each message as a real receiver would, answers
// a repeat of the same X-Request-Id with the same answer, keeps what it received in memory only, and
// can be told to answer 503 for a while so the extension's retries can be watched.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Fhir } from 'fhir';
import { BodyTooLarge, readBody, sendJson, sendText, serveStatic } from '../http.mjs';

export const FHIR_PATH = '/fhir/$process-message';
const PAGE_ROOT = path.dirname(fileURLToPath(import.meta.url));
const MAX_BODY_BYTES = 1024 * 1024;
const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
const ODS_CODE_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
const MESSAGE_EVENTS = 'https://fhir.nhs.uk/CodeSystem/message-events-bars';
// FHIR.js checks ServiceRequest.code's example binding as if it were extensible, so the SNOMED CT code
// the contract requires draws a warning that says nothing about the message
// (https://hl7.org/fhir/R4/servicerequest.html, "code": example binding).
const EXPECTED_WARNING = /^ServiceRequest\.code: Code "871731000000106"/;
// At most this many messages are kept: the demo runs in memory and must not grow without end.
const MAX_KEPT = 200;

const fhir = new Fhir();

/**
 * @typedef {{ status: number; headers: Record<string, string>; body: string }} Answer
 * @typedef {{
 *   requestId: string; correlationId: string | null; receivedAt: string; status: number;
 *   accepted: boolean; problems: string[]; warnings: string[]; attempts: number; unavailableAnswers: number;
 *   repeats: number;
 *   summary: ReturnType<typeof summarise> | null;
 * }} InboxEntry
 */

/**
 * The inbox's state and its request handler.
 * @param {{ token?: string; settings: () => unknown }} options `token`: the Bearer token a sender must
 *   present; `settings`: the demo settings document as served now (ports may have moved).
 */
export function createInbox(options) {
  /** @type {Map<string, { answer: Answer; entry: InboxEntry }>} */
  const byRequestId = new Map();
  /** @type {Map<string, number>} 503 answers given to request ids not yet settled. */
  const unavailableById = new Map();
  /** @type {InboxEntry[]} newest last */
  const entries = [];
  const failNext = { remaining: 0, retryAfterSeconds: 10 };

  /**
   * @param {import('node:http').IncomingMessage} request
   * @param {import('node:http').ServerResponse} response
   */
  async function handle(request, response) {
    const url = new URL(request.url ?? '/', 'http://demo.invalid');
    let pathname = url.pathname;
    try {
      pathname = decodeURIComponent(pathname);
    } catch {
      // Left as it came: it will match no route.
    }
    if (pathname === FHIR_PATH) return receiveMessage(request, response);
    if (pathname === '/api/referrals' && request.method === 'GET') {
      return sendJson(response, 200, { failNext, referrals: entries.slice().reverse() });
    }
    if (pathname === '/api/fail-next' && request.method === 'POST') return setFailNext(request, response);
    if (pathname === '/api/clear' && request.method === 'POST') {
      if (!isJsonRequest(request)) return sendText(response, 415, 'Send application/json');
      entries.length = 0;
      byRequestId.clear();
      unavailableById.clear();
      return sendJson(response, 200, { cleared: true });
    }
    if (pathname === '/settings.json') {
      return sendJson(response, 200, options.settings(), {
        'Content-Disposition': 'attachment; filename="linkwell-demo-settings.json"',
      });
    }
    // The page shows what senders wrote, so it allows only its own script and styles.
    return serveStatic(request, response, PAGE_ROOT, {
      'Content-Security-Policy':
        "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    });
  }

  /**
   * The page's control: answer the next `count` messages with 503 and `Retry-After`. JSON only, so
   * another site cannot press it with a plain form post (a cross-origin JSON post needs a preflight
   * that this server never grants).
   */
  async function setFailNext(request, response) {
    if (!isJsonRequest(request)) return sendText(response, 415, 'Send application/json');
    let parsed;
    try {
      parsed = JSON.parse(await readBody(request, 4096));
    } catch {
      return sendText(response, 400, 'Send a JSON object: { "count": 3, "retryAfterSeconds": 10 }');
    }
    const count = Number(parsed?.count);
    const retryAfter = Number(parsed?.retryAfterSeconds ?? failNext.retryAfterSeconds);
    if (!Number.isInteger(count) || count < 0 || count > 100) {
      return sendText(response, 400, 'count must be a whole number from 0 to 100');
    }
    if (!Number.isInteger(retryAfter) || retryAfter < 0 || retryAfter > 3600) {
      return sendText(response, 400, 'retryAfterSeconds must be a whole number from 0 to 3600');
    }
    failNext.remaining = count;
    failNext.retryAfterSeconds = retryAfter;
    return sendJson(response, 200, failNext);
  }

  /**
   * POST /fhir/$process-message, checked in the order a careful receiver would: who is asking, which
   * request this is (a repeat gets its first answer again), whether it is "down", then the message.
   */
  async function receiveMessage(request, response) {
    const cors = corsHeaders(request);
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { ...cors, 'Access-Control-Max-Age': '600' });
      return response.end();
    }
    if (request.method !== 'POST') {
      return sendOutcome(response, 405, 'not-supported', 'Send referrals with POST.', {
        ...cors,
        Allow: 'POST, OPTIONS',
      });
    }
    if (options.token !== undefined && request.headers.authorization !== `Bearer ${options.token}`) {
      return sendOutcome(
        response,
        401,
        'login',
        'The access token is missing or wrong. Check the link worker’s token in Linkwell’s settings.',
        { ...cors, 'WWW-Authenticate': 'Bearer realm="linkwell-demo-inbox"' },
      );
    }
    const requestId = headerValue(request.headers['x-request-id']);
    if (!requestId) {
      return sendOutcome(response, 400, 'required', 'The X-Request-Id header is missing.', cors);
    }
    const earlier = byRequestId.get(requestId);
    if (earlier) {
      // The same referral again (a retry after a lost answer): same answer, not listed twice.
      earlier.entry.attempts += 1;
      earlier.entry.repeats += 1;
      request.resume();
      response.writeHead(earlier.answer.status, { ...earlier.answer.headers, ...cors });
      return response.end(earlier.answer.body);
    }
    if (failNext.remaining > 0) {
      failNext.remaining -= 1;
      unavailableById.set(requestId, (unavailableById.get(requestId) ?? 0) + 1);
      request.resume();
      return sendOutcome(
        response,
        503,
        'transient',
        'The demo inbox was told to be unavailable for a while. Try again later.',
        { ...cors, 'Retry-After': String(failNext.retryAfterSeconds) },
      );
    }
    const contentType = headerValue(request.headers['content-type']) ?? '';
    if (!/^application\/(fhir\+)?json\b/i.test(contentType)) {
      request.resume();
      return settle(request, response, requestId, cors, {
        status: 415,
        problems: ['Content-Type must be application/fhir+json.'],
      });
    }
    let text;
    try {
      text = await readBody(request, MAX_BODY_BYTES);
    } catch (error) {
      const tooLarge = error instanceof BodyTooLarge;
      return settle(request, response, requestId, cors, {
        status: tooLarge ? 413 : 400,
        problems: [tooLarge ? 'The message is larger than 1 MB.' : 'The message could not be read.'],
      });
    }
    let bundle;
    try {
      bundle = JSON.parse(text);
    } catch {
      return settle(request, response, requestId, cors, {
        status: 400,
        problems: ['The body is not JSON.'],
      });
    }
    const { problems, warnings } = checkMessage(bundle);
    return settle(request, response, requestId, cors, {
      status: problems.length === 0 ? 200 : 400,
      problems,
      warnings,
      bundle,
    });
  }

  /**
   * Records the final answer for a request id, lists the message, and sends the answer.
   * @param {{ status: number; problems: string[]; warnings?: string[]; bundle?: unknown }} outcome
   */
  function settle(request, response, requestId, cors, outcome) {
    const accepted = outcome.status >= 200 && outcome.status < 300;
    const unavailableAnswers = unavailableById.get(requestId) ?? 0;
    unavailableById.delete(requestId);
    /** @type {InboxEntry} */
    const entry = {
      requestId,
      correlationId: headerValue(request.headers['x-correlation-id']) ?? null,
      receivedAt: new Date().toISOString(),
      status: outcome.status,
      accepted,
      problems: outcome.problems,
      warnings: outcome.warnings ?? [],
      attempts: unavailableAnswers + 1,
      unavailableAnswers,
      repeats: 0,
      summary: outcome.bundle === undefined ? null : summarise(outcome.bundle),
    };
    const body = accepted
      ? JSON.stringify(responseMessage(outcome.bundle), null, 2)
      : JSON.stringify(
          operationOutcome(
            'invalid',
            outcome.problems.map((problem) => problem.replace(/\.?$/, '.')).join(' '),
          ),
          null,
          2,
        );
    /** @type {Answer} */
    const answer = { status: outcome.status, headers: { 'Content-Type': 'application/fhir+json' }, body };
    byRequestId.set(requestId, { answer, entry });
    entries.push(entry);
    while (entries.length > MAX_KEPT) {
      const dropped = entries.shift();
      if (dropped) byRequestId.delete(dropped.requestId);
    }
    response.writeHead(answer.status, { ...answer.headers, ...cors });
    response.end(answer.body);
  }

  return { handle, entries, failNext };
}

/**
 * What a receiver checks before accepting: an R4 message Bundle that FHIR.js validates, whose first
 * entry is the referral event's MessageHeader pointing at a ServiceRequest in the Bundle.
 * @param {unknown} bundle
 * @returns {{ problems: string[]; warnings: string[] }}
 */
export function checkMessage(bundle) {
  if (!isObject(bundle) || bundle.resourceType !== 'Bundle') {
    return { problems: ['The body is not a FHIR Bundle.'], warnings: [] };
  }
  const problems = [];
  const warnings = [];
  let result;
  try {
    result = fhir.validate(bundle, { errorOnUnexpected: true });
  } catch {
    return { problems: ['The Bundle could not be validated as FHIR R4.'], warnings: [] };
  }
  for (const message of result.messages ?? []) {
    const text = `${message.location ?? ''}: ${message.message ?? ''}`;
    if (message.severity === 'error') problems.push(text);
    else if (message.severity === 'warning' && !EXPECTED_WARNING.test(text)) warnings.push(text);
  }
  if (bundle.type !== 'message') problems.push('Bundle.type must be "message".');
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  const header = entries[0]?.resource;
  if (!isObject(header) || header.resourceType !== 'MessageHeader') {
    problems.push('The first entry must be a MessageHeader.');
  } else {
    const event = header.eventCoding;
    if (!isObject(event) || event.system !== MESSAGE_EVENTS || event.code !== 'servicerequest-request') {
      problems.push('MessageHeader.eventCoding must be servicerequest-request.');
    }
    const focus = Array.isArray(header.focus) ? header.focus[0]?.reference : undefined;
    if (resolve(entries, focus)?.resourceType !== 'ServiceRequest') {
      problems.push('MessageHeader.focus must point at a ServiceRequest in the Bundle.');
    }
  }
  return { problems, warnings };
}

/**
 * The parts of a referral message a link worker reads first, as plain strings (never markup).
 * @param {unknown} bundle
 */
export function summarise(bundle) {
  const entries = isObject(bundle) && Array.isArray(bundle.entry) ? bundle.entry : [];
  const header = entries[0]?.resource;
  const focus = isObject(header) && Array.isArray(header.focus) ? header.focus[0]?.reference : undefined;
  const serviceRequest = resolve(entries, focus) ?? firstOfType(entries, 'ServiceRequest');
  const patient = resolve(entries, serviceRequest?.subject?.reference) ?? firstOfType(entries, 'Patient');
  const consent = firstOfType(entries, 'Consent');
  const requesterRole = resolve(entries, serviceRequest?.requester?.reference);
  const requester =
    requesterRole?.resourceType === 'PractitionerRole'
      ? resolve(entries, requesterRole.practitioner?.reference)
      : requesterRole;
  const practice =
    resolve(entries, requesterRole?.organization?.reference) ??
    entries
      .map((entry) => entry?.resource)
      .find(
        (resource) => resource?.resourceType === 'Organization' && identifierValue(resource, ODS_CODE_SYSTEM),
      );
  const performerRole = resolve(entries, serviceRequest?.performer?.[0]?.reference);
  const linkWorker =
    performerRole?.resourceType === 'PractitionerRole'
      ? resolve(entries, performerRole.practitioner?.reference)
      : performerRole;
  const notes = (Array.isArray(serviceRequest?.note) ? serviceRequest.note : [])
    .map((note) => (typeof note?.text === 'string' ? note.text : ''))
    .filter(Boolean);
  const take = (prefix) =>
    notes.filter((note) => note.startsWith(prefix)).map((note) => note.slice(prefix.length).trim());
  const whatMatters = take('What matters to the person:');
  const suggestedOffers = take('Suggested offer:');
  const otherNotes = notes.filter(
    (note) => !note.startsWith('What matters to the person:') && !note.startsWith('Suggested offer:'),
  );
  return {
    bundleId: text(isObject(bundle) ? bundle.identifier?.value : undefined),
    patientName: humanName(patient?.name?.[0]),
    nhsNumber: identifierValue(patient, NHS_NUMBER_SYSTEM),
    birthDate: text(patient?.birthDate),
    reasons: (Array.isArray(serviceRequest?.reasonCode) ? serviceRequest.reasonCode : [])
      .map((reason) => text(reason?.text) ?? text(reason?.coding?.[0]?.display))
      .filter((reason) => reason !== null),
    whatMatters: whatMatters.length === 0 ? null : whatMatters.join(' '),
    suggestedOffers,
    otherNotes,
    priority: text(serviceRequest?.priority),
    consent: consent
      ? {
          status: text(consent.status),
          dateTime: text(consent.dateTime),
        }
      : null,
    requester: humanName(requester?.name?.[0]),
    practice: text(practice?.name),
    practiceOdsCode: identifierValue(practice, ODS_CODE_SYSTEM),
    linkWorker: humanName(linkWorker?.name?.[0]),
  };
}

/** The acknowledgement a FHIR messaging receiver sends back: a response message naming the request. */
function responseMessage(request) {
  const requestHeader = isObject(request) && Array.isArray(request.entry) ? request.entry[0]?.resource : {};
  const id = randomUUID();
  return {
    resourceType: 'Bundle',
    id: randomUUID(),
    type: 'message',
    timestamp: new Date().toISOString(),
    entry: [
      {
        fullUrl: `urn:uuid:${id}`,
        resource: {
          resourceType: 'MessageHeader',
          id,
          eventCoding: { system: MESSAGE_EVENTS, code: 'servicerequest-request' },
          source: { name: 'Linkwell demo inbox', endpoint: 'http://127.0.0.1/fhir' },
          response: { identifier: text(requestHeader?.id) ?? 'unknown', code: 'ok' },
        },
      },
    ],
  };
}

/** https://hl7.org/fhir/R4/operationoutcome.html */
function operationOutcome(code, diagnostics) {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, diagnostics, details: { text: diagnostics } }],
  };
}

function sendOutcome(response, status, code, diagnostics, headers) {
  response.writeHead(status, { 'Content-Type': 'application/fhir+json', ...headers });
  response.end(JSON.stringify(operationOutcome(code, diagnostics), null, 2));
}

// Extension pages and service workers send from chrome-extension:// or moz-extension:// origins; when
// the practice has not granted the browser access to this address, they need CORS to read the answer.
function corsHeaders(request) {
  const origin = headerValue(request.headers.origin);
  if (!origin || !/^(chrome|moz)-extension:\/\/[a-z0-9-]+$/i.test(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, Accept, Authorization, X-Request-Id, X-Correlation-Id',
    'Access-Control-Expose-Headers': 'Retry-After',
    Vary: 'Origin',
  };
}

function isJsonRequest(request) {
  return /^application\/json\b/i.test(headerValue(request.headers['content-type']) ?? '');
}

function headerValue(value) {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value) {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function resolve(entries, reference) {
  if (typeof reference !== 'string') return undefined;
  const resource = entries.find((entry) => entry?.fullUrl === reference)?.resource;
  return isObject(resource) ? resource : undefined;
}

function firstOfType(entries, type) {
  const resource = entries.find((entry) => entry?.resource?.resourceType === type)?.resource;
  return isObject(resource) ? resource : undefined;
}

function identifierValue(resource, system) {
  const found = (Array.isArray(resource?.identifier) ? resource.identifier : []).find(
    (identifier) => identifier?.system === system,
  );
  return text(found?.value);
}

function humanName(name) {
  if (!isObject(name)) return null;
  if (text(name.text)) return name.text;
  const given = Array.isArray(name.given) ? name.given.filter((part) => typeof part === 'string') : [];
  const joined = [text(name.family)?.toUpperCase(), given.join(' ')].filter(Boolean).join(', ');
  return joined === '' ? null : joined;
}
