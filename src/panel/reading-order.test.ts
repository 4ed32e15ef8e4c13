import { describe, expect, it } from 'vitest';
import type { RecordReading } from '../shared/messages';
import { createReadingOrder, isNewerReading } from './reading-order';

const jane = { state: 'patient', patient: { nhsNumber: '9434765919' } } as const;
const grace = { state: 'patient', patient: { nhsNumber: '9995260182' } } as const;
const reading = (
  seq: number,
  patient: RecordReading['patient'],
  page = 100,
  instance = 'a',
): RecordReading => ({
  page,
  instance,
  seq,
  patient,
});

describe('the order of a record page’s readings', () => {
  it('takes a later reading of the same script, and the same one again', () => {
    expect(isNewerReading(reading(2, grace), reading(1, jane))).toBe(true);
    expect(isNewerReading(reading(1, jane), reading(1, jane))).toBe(true);
  });

  it('ignores an earlier reading of the same script that arrives late', () => {
    expect(isNewerReading(reading(1, jane), reading(2, grace))).toBe(false);
  });

  it('takes a reading from a later page load, and ignores one from a page that has gone', () => {
    expect(isNewerReading(reading(0, grace, 200, 'b'), reading(5, jane, 100, 'a'))).toBe(true);
    expect(isNewerReading(reading(9, jane, 100, 'a'), reading(0, grace, 200, 'b'))).toBe(false);
  });

  it('keeps the newest reading per tab: a stale reply after a newer broadcast does not undo it', () => {
    const order = createReadingOrder();
    expect(order.take(7, reading(2, grace))).toEqual({ patient: grace, newer: true });
    // The reply to the panel's question, sent before the change, arrives last.
    expect(order.take(7, reading(1, jane))).toEqual({ patient: grace, newer: false });
    // Another tab's readings are its own.
    expect(order.take(8, reading(0, jane, 50, 'c'))).toEqual({ patient: jane, newer: true });
    order.forget(7);
    expect(order.take(7, reading(1, jane))).toEqual({ patient: jane, newer: true });
  });

  it('takes the next page’s script after a navigation even if the clock went back, and nothing more from the old one', () => {
    const order = createReadingOrder();
    order.take(7, reading(3, jane, 200, 'old'));
    // Without a navigation seen, an earlier page load is a page that has gone.
    expect(order.take(7, reading(0, grace, 100, 'new')).newer).toBe(false);
    order.navigated(7);
    expect(order.take(7, reading(0, grace, 100, 'new'))).toEqual({ patient: grace, newer: true });
    // A late message from the replaced page is ignored.
    expect(order.take(7, reading(4, jane, 200, 'old'))).toEqual({ patient: grace, newer: false });
  });

  it('keeps following the same script after a same-page navigation', () => {
    const order = createReadingOrder();
    order.take(7, reading(1, jane));
    order.navigated(7);
    expect(order.take(7, reading(2, grace)).newer).toBe(true);
  });
});
