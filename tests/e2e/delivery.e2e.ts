import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullReferral } from '../fixtures/referrals';
import { type ExtensionSession, launchWithExtension } from './support/browser';
import { extensionGrantedLoopback, seedSettings, testSettings } from './support/extension';
import { type FhirReceiver, startFhirReceiver } from './support/fhir-receiver';

// The background's outbox and delivery in the real browser: a real IndexedDB, a real service
// worker and a real HTTP receiver on loopback. The panel drives the same messages in panel tests.

async function send(page: Page, referral: unknown) {
  return page.evaluate(
    (payload) => chrome.runtime.sendMessage({ name: 'panel-to-bg:send-referral', payload }),
    { referral },
  ) as Promise<{ ok: boolean; value: { ok: boolean; item: { status: string; problem?: string } } }>;
}

/** Asks the background as the panel does; the reply's value. */
async function ask<T>(page: Page, name: string, payload: unknown): Promise<T> {
  const reply = (await page.evaluate((message) => chrome.runtime.sendMessage(message), {
    name,
    payload,
  })) as {
    ok: boolean;
    value: T;
  };
  expect(reply.ok).toBe(true);
  return reply.value;
}

describe('delivering a referral from the outbox', () => {
  let session: ExtensionSession;
  let receiver: FhirReceiver;
  let page: Page;

  beforeAll(async () => {
    receiver = await startFhirReceiver();
    session = await launchWithExtension(await extensionGrantedLoopback());
    await seedSettings(
      session,
      testSettings({ recordOrigin: 'http://127.0.0.1:1', fhirEndpoint: receiver.endpoint }),
    );
    page = await session.context.newPage();
    await page.goto(`chrome-extension://${session.extensionId}/src/options/index.html`);
  });
  afterAll(async () => {
    await session?.close();
    await receiver?.close();
  });

  it('posts one valid FHIR message with the contract headers, and reports Sent', async () => {
    const referral = { ...fullReferral, id: crypto.randomUUID() };
    const reply = await send(page, referral);
    expect(reply.ok && reply.value.ok && reply.value.item.status).toBe('sent');
    const [request] = await receiver.waitForRequests(1);
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/fhir+json');
    expect(request?.headers.accept).toBe('application/fhir+json');
    expect(request?.headers['x-request-id']).toBe(referral.id);
    expect(request?.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(request?.headers.authorization).toBe('Bearer test-token');
    expect(request?.fhirProblems).toEqual([]);
    const bundle = request?.json as {
      identifier: { value: string };
      entry: { resource: { resourceType: string } }[];
    };
    expect(bundle.identifier.value).toBe(`urn:uuid:${referral.id}`);
    expect(bundle.entry[0]?.resource.resourceType).toBe('MessageHeader');
  });

  it('sends a double-clicked referral once', async () => {
    const before = receiver.received.length;
    const referral = { ...fullReferral, id: crypto.randomUUID() };
    const [first, second] = await Promise.all([send(page, referral), send(page, referral)]);
    expect(first.ok && second.ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      receiver.received.slice(before).filter((request) => request.headers['x-request-id'] === referral.id),
    ).toHaveLength(1);
  });

  it('retries after a 503 no sooner than its Retry-After, with the same request id, then reports Sent', async () => {
    const referral = { ...fullReferral, id: crypto.randomUUID() };
    const before = receiver.received.length;
    // Longer than the first backoff (1 to 2 s), so only honouring Retry-After explains the wait.
    receiver.script({ kind: 'unavailable', retryAfterSeconds: 4 });
    const reply = await send(page, referral);
    expect(reply.ok && reply.value.ok && reply.value.item.status).toBe('queued');
    const requests = await receiver.waitForRequests(before + 2);
    const ours = requests.slice(before).filter((request) => request.headers['x-request-id'] === referral.id);
    expect(ours).toHaveLength(2);
    expect((ours[1]?.at ?? 0) - (ours[0]?.at ?? 0)).toBeGreaterThanOrEqual(4_000 - 50);
    expect(
      new Set(ours.map((request) => (request.json as { identifier: { value: string } }).identifier.value))
        .size,
    ).toBe(1);
    await expect
      .poll(async () => {
        const status = (await page.evaluate(
          (id) => chrome.runtime.sendMessage({ name: 'ext-to-bg:get-referral', payload: { id } }),
          referral.id,
        )) as { value: { status: string } };
        return status.value.status;
      })
      .toBe('sent');
  });

  it('reports Failed with the receiver’s reason when refused, and does not retry', async () => {
    const referral = { ...fullReferral, id: crypto.randomUUID() };
    receiver.script({ kind: 'refuse', status: 422, diagnostics: 'Patient is not registered with this PCN' });
    const reply = await send(page, referral);
    expect(reply.ok && reply.value.ok && reply.value.item).toMatchObject({
      status: 'failed',
      problem: 'Patient is not registered with this PCN',
    });
  });

  it('does not cancel a referral already sent, and says so', async () => {
    const referral = { ...fullReferral, id: crypto.randomUUID() };
    const reply = await send(page, referral);
    expect(reply.ok && reply.value.ok && reply.value.item.status).toBe('sent');
    const cancel = await ask<{ cancelled: boolean; item: { status: string } | null }>(
      page,
      'panel-to-bg:cancel-referral',
      { id: referral.id },
    );
    expect(cancel).toMatchObject({ cancelled: false, item: { status: 'sent' } });
    expect(await ask<{ status: string }>(page, 'ext-to-bg:get-referral', { id: referral.id })).toMatchObject({
      status: 'sent',
    });
  });

  it('records one decline for a draft however often it is asked', async () => {
    const id = crypto.randomUUID();
    const decline = { id, reasons: ['loneliness'], linkWorkerId: 'pcn-lw' };
    await Promise.all([
      ask(page, 'panel-to-bg:record-decline', decline),
      ask(page, 'panel-to-bg:record-decline', decline),
    ]);
    const activity = await ask<{ outcome: string }[]>(page, 'options-to-bg:activity', {});
    expect(activity.filter((record) => record.outcome === 'declined')).toHaveLength(1);
  });

  it('lists only this practice’s referrals', async () => {
    const ours = { ...fullReferral, id: crypto.randomUUID() };
    const theirs = {
      ...fullReferral,
      id: crypto.randomUUID(),
      practice: { name: 'Valley Practice', odsCode: 'L84999' },
    };
    await send(page, ours);
    await send(page, theirs);
    const listed = await ask<{ id: string }[]>(page, 'ext-to-bg:list-referrals', { limit: 500 });
    const ids = listed.map((item) => item.id);
    expect(ids).toContain(ours.id);
    expect(ids).not.toContain(theirs.id);
  });

  it('refuses a referral without consent before storing anything', async () => {
    const referral = {
      ...fullReferral,
      id: crypto.randomUUID(),
      consent: { given: false, dateTime: fullReferral.consent.dateTime },
    };
    const reply = (await send(page, referral)) as unknown as {
      value: { ok: false; problems: { path: string; message: string }[] };
    };
    expect(reply.value.ok).toBe(false);
    expect(reply.value.problems.map((problem) => problem.path)).toContain('consent.given');
  });
});
