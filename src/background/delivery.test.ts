import { describe, expect, it } from 'vitest';
import { fullReferral } from '../../tests/fixtures/referrals';
import { FHIR_ENDPOINT as ENDPOINT, practiceSettings } from '../../tests/fixtures/settings';
import type { OutboxEntry } from '../shared/outbox-db';
import { attemptFhirDelivery, type DeliveryContext } from './delivery';

// A referral to a system the browser has not let Linkwell contact: without host access the POST
// depends on CORS, and a server that sends no CORS headers looks unreachable. The GP is told why.

const settings = practiceSettings();
const entry: OutboxEntry = {
  id: fullReferral.id,
  referral: fullReferral,
  status: 'sending',
  destination: {
    method: 'fhir',
    endpoint: ENDPOINT,
    linkWorkerId: 'pcn-lw',
    linkWorkerName: 'Severnside PCN link worker',
  },
  correlationId: '11111111-2222-4333-8444-555555555555',
  attempts: 1,
  createdAt: 1_000,
};

function context(
  fetchStub: typeof fetch,
  mayContact?: (origin: string) => Promise<boolean>,
): DeliveryContext {
  return {
    settings,
    now: new Date(2_000),
    software: { name: 'Linkwell', version: '0.1.0' },
    fetch: fetchStub,
    sourceEndpoint: 'chrome-extension://test/',
    ...(mayContact ? { mayContact } : {}),
  };
}
const blocked = (async () => {
  throw new TypeError('Failed to fetch');
}) as unknown as typeof fetch;

describe('attemptFhirDelivery without access to the link worker’s system', () => {
  it('keeps the referral queued and says that Linkwell has not been allowed to contact it', async () => {
    const asked: string[] = [];
    const result = await attemptFhirDelivery(
      entry,
      context(blocked, async (origin) => {
        asked.push(origin);
        return false;
      }),
    );
    expect(asked).toEqual(['https://sp.example.org']);
    expect(result).toEqual({
      outcome: 'retry',
      problem:
        'Linkwell has not been allowed to contact https://sp.example.org: ask your practice manager to open Linkwell’s settings and allow it',
    });
  });

  it('says the system could not be reached when access is allowed', async () => {
    const result = await attemptFhirDelivery(
      entry,
      context(blocked, async () => true),
    );
    expect(result).toEqual({ outcome: 'retry', problem: 'The link worker’s system could not be reached.' });
  });

  it('does not ask about access when the system answered', async () => {
    const asked: string[] = [];
    const answered = (async () => new Response('{}', { status: 200 })) as unknown as typeof fetch;
    const result = await attemptFhirDelivery(
      entry,
      context(answered, async (origin) => {
        asked.push(origin);
        return false;
      }),
    );
    expect(result).toEqual({ outcome: 'delivered', status: 200 });
    expect(asked).toEqual([]);
  });
});
