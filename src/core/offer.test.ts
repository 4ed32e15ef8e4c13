import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { type Offer, offerSchema, safeLinkUrl, scheduleSchema } from './offer';

describe('safeLinkUrl', () => {
  it.each([
    ['https://museum.example.org/wellbeing', 'https://museum.example.org/wellbeing'],
    ['http://library.example.org', 'http://library.example.org/'],
    ['mailto:learning@museum.example.org', 'mailto:learning@museum.example.org'],
    ['tel:+441453000000', 'tel:+441453000000'],
    ['HTTPS://Museum.Example.ORG/Path', 'https://museum.example.org/Path'],
    ['  https://museum.example.org  ', 'https://museum.example.org/'],
    ['\nhttps://museum.example.org\n', 'https://museum.example.org/'],
    ['https://museum.example.org/a?b=c#d', 'https://museum.example.org/a?b=c#d'],
  ])('keeps %j as %j', (raw, expected) => {
    expect(safeLinkUrl(raw)).toBe(expected);
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' JaVaScRiPt:alert(1)',
    '\u0000javascript:alert(1)',
    '\u0001javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'java\rscript:alert(1)',
    'javascript\u0000:alert(1)',
    '\u00a0javascript:alert(1)',
    'javascript&colon;alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'blob:https://example.org/1234',
    'ftp://example.org/file',
    'about:blank',
    'chrome://settings',
  ])('rejects the unsafe scheme in %j', (raw) => {
    expect(safeLinkUrl(raw)).toBeUndefined();
  });

  it.each([
    ['relative path', '/offers/1'],
    ['protocol-relative', '//evil.example.org/path'],
    ['bare host', 'museum.example.org'],
    ['empty', ''],
    ['spaces only', '   '],
    ['no host', 'https://'],
    ['credentials hiding the host', 'https://nhs.uk@evil.example.org'],
    ['user and password', 'https://user:pass@example.org'],
    ['right-to-left override', 'https://good.example.org\u202e/gro.live'],
    ['isolate', 'https://example.org/\u2066x'],
    ['zero-width space', 'https://exa\u200bmple.org'],
    ['tab inside', 'https://exam\tple.org'],
    ['newline inside', 'https://example.org/a\nb'],
    ['C1 control', 'https://example.org/\u0085'],
    ['too long', `https://example.org/${'a'.repeat(2100)}`],
  ])('rejects a %s URL', (_why, raw) => {
    expect(safeLinkUrl(raw)).toBeUndefined();
  });

  it('is idempotent on what it returns', () => {
    const once = safeLinkUrl('HTTPS://Example.org');
    expect(once && safeLinkUrl(once)).toBe(once);
  });
});

const walkingGroup: Offer = {
  id: 'walk-1',
  name: 'Riverside walks',
  categories: ['Physical activity'],
  schedules: [{ byDay: ['MO', 'FR'], opensAt: '10:00', closesAt: '11:00', freq: 'WEEKLY' }],
  howToJoin: ['drop-in'],
  status: 'active',
};

describe('offerSchema', () => {
  it('accepts a minimal offer', () => {
    expect(z.safeParse(offerSchema, walkingGroup).success).toBe(true);
  });

  it('keeps markup as plain text', () => {
    const offer = { ...walkingGroup, name: '<b>Walks</b>' };
    expect(z.parse(offerSchema, offer).name).toBe('<b>Walks</b>');
  });

  it('rejects an empty name', () => {
    expect(z.safeParse(offerSchema, { ...walkingGroup, name: '' }).success).toBe(false);
  });

  it('rejects a status other than active', () => {
    expect(z.safeParse(offerSchema, { ...walkingGroup, status: 'inactive' }).success).toBe(false);
  });

  it('rejects an unsafe url', () => {
    expect(z.safeParse(offerSchema, { ...walkingGroup, url: 'javascript:alert(1)' }).success).toBe(false);
  });

  it('rejects an unsafe organisation url', () => {
    const offer = { ...walkingGroup, organisation: { name: 'Walkers', url: 'data:text/html,x' } };
    expect(z.safeParse(offerSchema, offer).success).toBe(false);
  });

  it('rejects an unknown way to join', () => {
    expect(z.safeParse(offerSchema, { ...walkingGroup, howToJoin: ['by-magic'] }).success).toBe(false);
  });

  it('allows cost.free to be unknown', () => {
    expect(z.safeParse(offerSchema, { ...walkingGroup, cost: { text: 'Ask' } }).success).toBe(true);
  });
});

describe('scheduleSchema', () => {
  it.each([['MO'], ['SU'], ['2MO'], ['-1FR']])('accepts the day code %s', (code) => {
    expect(z.safeParse(scheduleSchema, { byDay: [code] }).success).toBe(true);
  });

  it.each([['Monday'], ['mo'], ['XX'], ['MO,TU']])('rejects the day code %s', (code) => {
    expect(z.safeParse(scheduleSchema, { byDay: [code] }).success).toBe(false);
  });

  it.each([['24:00'], ['9:00'], ['09:60'], ['10:00:00']])('rejects the time %s', (time) => {
    expect(z.safeParse(scheduleSchema, { opensAt: time }).success).toBe(false);
  });

  it('rejects a date that is not ISO', () => {
    expect(z.safeParse(scheduleSchema, { validFrom: '01/09/2025' }).success).toBe(false);
  });

  it('rejects a zero interval', () => {
    expect(z.safeParse(scheduleSchema, { interval: 0 }).success).toBe(false);
  });
});
