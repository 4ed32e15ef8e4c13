import browser, { type Runtime } from 'webextension-polyfill';
import { z } from 'zod';

// Every message between the extension's contexts, in one typed map. A name says who sends it to whom
// (`panel-to-bg:`, `options-to-bg:`, `content-to-bg:`, `bg-to-ext:` for broadcasts). Requests and
// replies are parsed with zod on arrival in both directions; failures come back as values, never throws.

/** A reply: the value, or a problem in words a GP or practice manager can act on. */
export type Reply<T> = { ok: true; value: T } | { ok: false; problem: string };

interface MessageSpec<Request extends z.ZodType, Response extends z.ZodType> {
  request: Request;
  response: Response;
}
const spec = <Request extends z.ZodType, Response extends z.ZodType>(request: Request, response: Response) =>
  ({ request, response }) satisfies MessageSpec<Request, Response>;

/** A referral's state as the panel shows it. Holds the patient only while retention keeps them. */
export const outboxItemSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'sending', 'sent', 'failed', 'cancelled', 'needs-attention']),
  method: z.enum(['fhir', 'email']),
  linkWorkerName: z.string(),
  createdAt: z.number(),
  attempts: z.number(),
  problem: z.string().optional(),
  nextAttemptAt: z.number().optional(),
  deliveredAt: z.number().optional(),
  replacedBy: z.string().optional(),
  /** The patient, for the list (name and NHS number); absent once retention has removed it. */
  patient: z.object({ name: z.string(), nhsNumber: z.string(), birthDate: z.string() }).optional(),
  reasons: z.array(z.string()),
});
export type OutboxItem = z.infer<typeof outboxItemSchema>;

/**
 * The patient a record page shows, as its content script read it: none, a reason why none was taken
 * (two NHS numbers, or one failing Modulus 11), or the patient.
 */
export const recordPatientSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('none') }),
  z.object({ state: z.literal('problem'), problem: z.enum(['several-nhs-numbers', 'invalid-nhs-number']) }),
  z.object({
    state: z.literal('patient'),
    patient: z.object({
      nhsNumber: z.string().regex(/^\d{10}$/),
      name: z
        .object({
          family: z.string().max(200),
          given: z.array(z.string().max(200)).max(10),
          prefix: z.string().max(35).optional(),
          text: z.string().max(200),
        })
        .optional(),
      birthDate: z.iso.date().optional(),
    }),
  }),
]);
export type RecordPatient = z.infer<typeof recordPatientSchema>;

/**
 * One reading of a record page, stamped so the panel can put readings in order: the reply to the
 * panel's question and the broadcast of a change travel separately, and an older one may arrive last.
 * `page` is when the page loaded (`performance.timeOrigin`), `instance` tells apart two scripts on one
 * page, `seq` counts the script's changes of patient.
 */
export const recordReadingSchema = z.object({
  page: z.number(),
  instance: z.string().min(1).max(64),
  seq: z.number().int().min(0),
  patient: recordPatientSchema,
});
export type RecordReading = z.infer<typeof recordReadingSchema>;

/** The panel asks a tab's content script which patient the page shows (`tabs.sendMessage`). */
export const getRecordPatientSchema = z.object({ name: z.literal('panel-to-content:get-patient') });

/** Broadcast by a record page's content script when the patient it shows changes. */
export const recordPatientChangedSchema = z.object({
  name: z.literal('content-to-ext:patient-changed'),
  reading: recordReadingSchema,
});

/** The background's messages: requests it answers. */
export const backgroundMessages = {
  /**
   * Store a referral durably, then deliver it. Sending the same referral id again (a double click,
   * a retried message) returns the stored one: it is never queued twice.
   * `replaces` names a failed referral that this edited one supersedes.
   */
  'panel-to-bg:send-referral': spec(
    z.object({ referral: z.unknown(), replaces: z.string().optional() }),
    z.union([
      z.object({ ok: z.literal(true), item: outboxItemSchema }),
      z.object({
        ok: z.literal(false),
        problems: z.array(z.object({ path: z.string(), message: z.string() })),
        /** Set when the browser could not store the referral (storage full or unavailable): nothing was sent. */
        unsaved: z.literal(true).optional(),
      }),
    ]),
  ),
  /**
   * Stop a queued referral from being sent (or one waiting for the GP's attention). `cancelled` is false
   * when it could not be stopped (being sent, already sent or refused); `item` is how it now stands.
   */
  'panel-to-bg:cancel-referral': spec(
    z.object({ id: z.string() }),
    z.object({ cancelled: z.boolean(), item: outboxItemSchema.nullable() }),
  ),
  /** Try a queued or needs-attention referral again now, to the destination it was sent to. */
  'panel-to-bg:retry-referral': spec(z.object({ id: z.string() }), outboxItemSchema.nullable()),
  /**
   * Record that the patient declined social prescribing (anonymous activity only; nothing is sent).
   * `id` is the draft's: asking twice records one decline.
   */
  'panel-to-bg:record-decline': spec(
    z.object({
      id: z.string().min(1).max(64),
      reasons: z.array(z.string()).max(20),
      linkWorkerId: z.string().optional(),
    }),
    z.object({ recorded: z.literal(true) }),
  ),
  /** This browser's recent referrals, newest first. */
  'ext-to-bg:list-referrals': spec(
    z.object({ limit: z.number().int().min(1).max(500).default(50) }),
    z.array(outboxItemSchema),
  ),
  /** One referral's state. */
  'ext-to-bg:get-referral': spec(z.object({ id: z.string() }), outboxItemSchema.nullable()),
  /** Run the outbox now (the panel saw the browser come back online). */
  'ext-to-bg:process-outbox': spec(z.object({}), z.object({ processed: z.number() })),
  /** The referral as stored, to edit a failed one and send it again (null once retention removed it). */
  'panel-to-bg:get-referral-to-edit': spec(z.object({ id: z.string() }), z.unknown().nullable()),
  /** Open the referral panel beside the asking content script's tab (the `Refer to link worker` button). */
  'content-to-bg:open-panel': spec(z.object({}), z.object({ opened: z.boolean() })),
  /** The record site the asking content script's page belongs to: its label and patient selectors. */
  'content-to-bg:get-record-site': spec(
    z.object({}),
    z
      .object({
        label: z.string().optional(),
        selectors: z
          .object({
            nhsNumber: z.string().optional(),
            name: z.string().optional(),
            birthDate: z.string().optional(),
          })
          .optional(),
      })
      .nullable(),
  ),
  /** Post a clearly marked connection test to a FHIR endpoint (perhaps not saved yet); say what came back. */
  'options-to-bg:send-test-message': spec(
    z.object({
      endpoint: z.string().max(2048),
      token: z.string().max(8192).optional(),
      practiceName: z.string().max(300).optional(),
    }),
    z.object({
      outcome: z.enum(['accepted', 'refused', 'unavailable', 'unreachable']),
      status: z.number().optional(),
      message: z.string(),
    }),
  ),
  /** The anonymous activity records for the practice report: month, outcome, reasons, link worker. */
  'options-to-bg:activity': spec(
    z.object({}),
    z.array(
      z.object({
        month: z.string(),
        outcome: z.enum(['sent', 'queued', 'failed', 'declined', 'cancelled']),
        reasons: z.array(z.string()),
        linkWorkerId: z.string().optional(),
      }),
    ),
  ),
};

/** Broadcast by the background when a referral's state changes; open panels update their view. */
export const outboxChangedSchema = z.object({
  name: z.literal('bg-to-ext:outbox-changed'),
  item: outboxItemSchema,
});

export type BackgroundMessageName = keyof typeof backgroundMessages;
export type RequestOf<N extends BackgroundMessageName> = z.input<(typeof backgroundMessages)[N]['request']>;
export type ParsedRequestOf<N extends BackgroundMessageName> = z.output<
  (typeof backgroundMessages)[N]['request']
>;
export type ResponseOf<N extends BackgroundMessageName> = z.output<
  (typeof backgroundMessages)[N]['response']
>;

const envelopeSchema = z.object({ name: z.string(), payload: z.unknown() });
const replySchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), problem: z.string() }),
]);

/** Asks the background something and returns its checked reply. */
export async function askBackground<N extends BackgroundMessageName>(
  name: N,
  payload: RequestOf<N>,
): Promise<Reply<ResponseOf<N>>> {
  let raw: unknown;
  try {
    raw = await browser.runtime.sendMessage({ name, payload });
  } catch {
    return { ok: false, problem: 'Linkwell’s background service did not answer. Try again in a moment.' };
  }
  const reply = replySchema.safeParse(raw);
  if (!reply.success)
    return { ok: false, problem: 'Linkwell’s background service gave an answer it does not understand.' };
  // A problem must be words the GP can read: a blank one (an error without a message) is not.
  if (!reply.data.ok)
    return reply.data.problem.trim()
      ? reply.data
      : { ok: false, problem: 'Linkwell’s background service could not do that. Try again in a moment.' };
  const value = backgroundMessages[name].response.safeParse(reply.data.value);
  return value.success
    ? { ok: true, value: value.data as ResponseOf<N> }
    : { ok: false, problem: 'Linkwell’s background service gave an answer it does not understand.' };
}

export type Handlers = {
  [N in BackgroundMessageName]: (
    payload: ParsedRequestOf<N>,
    sender: Runtime.MessageSender,
  ) => Promise<ResponseOf<N>> | ResponseOf<N>;
};

/**
 * Registers the background's handlers, once. Only the extension's own pages and content scripts can
 * reach `runtime.onMessage` (there is no `externally_connectable`); `mayAsk` still decides, per
 * message name, whether this sender may ask it (a content script must not send referrals).
 */
export function listenForMessages(
  handlers: Handlers,
  mayAsk: (name: BackgroundMessageName, sender: Runtime.MessageSender) => boolean,
): void {
  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) =>
    answerMessage(raw, sender, handlers, mayAsk),
  );
}

/**
 * The background's answer to one incoming message, or `undefined` when it is not one of the
 * background's (a broadcast meant for pages). Never throws: whatever arrives, the answer is a `Reply`.
 */
export function answerMessage(
  raw: unknown,
  sender: Runtime.MessageSender,
  handlers: Handlers,
  mayAsk: (name: BackgroundMessageName, sender: Runtime.MessageSender) => boolean,
): Promise<Reply<unknown>> | undefined {
  const envelope = envelopeSchema.safeParse(raw);
  // Own keys only: a name such as `toString` or `__proto__` must not reach an inherited property.
  if (!envelope.success || !Object.hasOwn(backgroundMessages, envelope.data.name)) return undefined;
  const name = envelope.data.name as BackgroundMessageName;
  if (!mayAsk(name, sender)) return Promise.resolve({ ok: false, problem: 'Not allowed.' });
  const request = backgroundMessages[name].request.safeParse(envelope.data.payload);
  if (!request.success) return Promise.resolve({ ok: false, problem: 'The request was not understood.' });
  const handler = handlers[name] as (payload: unknown, sender: Runtime.MessageSender) => unknown;
  // The handler starts in this same turn, not a microtask later: `sidePanel.open` works only while
  // the user's click that sent the message still counts as a gesture.
  return new Promise((resolve) => resolve(handler(request.data, sender))).then(
    (value): Reply<unknown> => ({ ok: true, value }),
    (error: unknown): Reply<unknown> => ({
      ok: false,
      problem: error instanceof Error && error.message.trim() ? error.message : 'Something went wrong.',
    }),
  );
}
