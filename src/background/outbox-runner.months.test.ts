// The report is checked against the practice's locally dated coding: months are local, not UTC.
// Node applies a change of TZ at once; it is put back afterwards, as a test worker runs other files too.
const zoneBefore = process.env.TZ;
process.env.TZ = 'Europe/London';

import 'fake-indexeddb/auto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fullReferral } from '../../tests/fixtures/referrals';
import { closeLinkwellDb, DB_NAME, openLinkwellDb } from '../shared/outbox-db';
import { addToOutbox } from './outbox';
import { activityMonth, recordActivity } from './outbox-runner';
import { createReferralService } from './referrals';

// 00:30 on 1 April 2025 in British Summer Time is still 23:30 on 31 March in UTC.
const FIRST_OF_APRIL_BST = Date.parse('2025-03-31T23:30:00Z');

afterAll(() => {
  if (zoneBefore === undefined) delete process.env.TZ;
  else process.env.TZ = zoneBefore;
});
afterEach(async () => {
  await closeLinkwellDb();
  await new Promise((resolve) => {
    indexedDB.deleteDatabase(DB_NAME).onsuccess = resolve;
  });
});

describe('the month of an activity record', () => {
  it('is the local month, across the start of British Summer Time', () => {
    // The zone really is London here (else the test below would prove nothing).
    expect(new Date(FIRST_OF_APRIL_BST).getTimezoneOffset()).toBe(-60);
    expect(activityMonth(FIRST_OF_APRIL_BST)).toBe('2025-04');
    expect(activityMonth(Date.parse('2025-03-31T22:59:00Z'))).toBe('2025-03');
    // In winter, local time is UTC: midnight on 1 January is January.
    expect(activityMonth(Date.parse('2025-01-01T00:00:00Z'))).toBe('2025-01');
    expect(activityMonth(Date.parse('2024-12-31T23:59:00Z'))).toBe('2024-12');
  });

  it('files a referral made just after midnight on 1 April under April', async () => {
    const db = await openLinkwellDb();
    const entry = {
      id: fullReferral.id,
      referral: fullReferral,
      status: 'sent' as const,
      destination: {
        method: 'fhir' as const,
        endpoint: 'https://sp.example.org/fhir',
        linkWorkerId: 'pcn-lw',
        linkWorkerName: 'Severnside PCN link worker',
      },
      correlationId: '11111111-2222-4333-8444-555555555555',
      attempts: 1,
      createdAt: FIRST_OF_APRIL_BST,
    };
    await addToOutbox(db, entry);
    await recordActivity(db, entry);
    expect((await db.get('activity', fullReferral.id))?.month).toBe('2025-04');
  });

  it('files a decline just after midnight on 1 April under April', async () => {
    const service = createReferralService({
      db: openLinkwellDb,
      settings: async () => undefined,
      now: () => FIRST_OF_APRIL_BST,
      newId: () => 'not-used',
      runOutbox: async () => 0,
      announce: () => {},
    });
    await service.recordDecline('00000000-0000-4000-8000-000000000001', ['loneliness'], undefined);
    const [record] = await (await openLinkwellDb()).getAll('activity');
    expect(record?.month).toBe('2025-04');
  });
});
