import { describe, expect, it } from 'vitest';
import {
  type ActivityEntry,
  activityReportCsv,
  buildActivityReport,
  csvCell,
  monthLabel,
} from './activity-report';

const linkWorkers = [
  { id: 'pcn-lw', name: 'Severnside PCN link worker' },
  { id: 'vcs', name: 'Community Connections' },
];

const entries: ActivityEntry[] = [
  { month: '2025-04', outcome: 'sent', reasons: ['money', 'loneliness'], linkWorkerId: 'vcs' },
  { month: '2025-03', outcome: 'sent', reasons: ['loneliness'], linkWorkerId: 'pcn-lw' },
  { month: '2025-03', outcome: 'failed', reasons: ['housing'], linkWorkerId: 'pcn-lw' },
  { month: '2025-03', outcome: 'declined', reasons: [] },
  { month: '2025-04', outcome: 'queued', reasons: ['mystery'], linkWorkerId: 'gone' },
];

describe('buildActivityReport', () => {
  const report = buildActivityReport(entries, linkWorkers);

  it('counts each outcome by month, oldest month first', () => {
    expect(
      report.byMonth.map((row) => [row.label, row.counts.sent, row.counts.failed, row.counts.total]),
    ).toEqual([
      ['March 2025', 1, 1, 3],
      ['April 2025', 1, 0, 2],
    ]);
  });

  it('counts a referral once under each of its reasons, in the panel’s order, with labels', () => {
    expect(report.byReason.map((row) => [row.label, row.counts.total])).toEqual([
      ['Loneliness or isolation', 2],
      ['Money or debt', 1],
      ['Housing', 1],
      ['mystery', 1],
      ['No reason recorded', 1],
    ]);
  });

  it('names link workers from the settings and marks ones since removed', () => {
    expect(report.byLinkWorker.map((row) => [row.label, row.counts.total])).toEqual([
      ['Severnside PCN link worker', 2],
      ['Community Connections', 1],
      ['gone (no longer in the settings)', 1],
      ['No link worker chosen', 1],
    ]);
  });

  it('totals every record once', () => {
    expect(report.totals).toEqual({ sent: 2, queued: 1, failed: 1, declined: 1, cancelled: 0, total: 5 });
  });

  it('makes an empty report from no records', () => {
    expect(buildActivityReport([], linkWorkers)).toEqual({
      byMonth: [],
      byReason: [],
      byLinkWorker: [],
      totals: { sent: 0, queued: 0, failed: 0, declined: 0, cancelled: 0, total: 0 },
    });
  });
});

describe('monthLabel', () => {
  it('writes a month in words', () => expect(monthLabel('2025-12')).toBe('December 2025'));
  it('leaves anything else as it is', () => expect(monthLabel('2025-13')).toBe('2025-13'));
});

describe('csvCell', () => {
  it('leaves plain text and numbers alone', () => {
    expect(csvCell('Housing')).toBe('Housing');
    expect(csvCell(-3)).toBe('-3');
  });
  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('Money, or debt')).toBe('"Money, or debt"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx'])('makes %j inert for spreadsheets', (text) => {
    expect(csvCell(text).replace(/^"/, '').startsWith("'")).toBe(true);
  });
  it('quotes a formula that also holds a quote', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
  });
});

describe('activityReportCsv', () => {
  it('writes one table with a line per month, reason and link worker, and a total', () => {
    const csv = activityReportCsv(buildActivityReport(entries.slice(0, 2), linkWorkers));
    expect(csv.split('\r\n')).toEqual([
      'Breakdown,Group,Sent,Queued,Failed,Declined,Cancelled,Total',
      'Month,2025-03,1,0,0,0,0,1',
      'Month,2025-04,1,0,0,0,0,1',
      'Reason,Loneliness or isolation,2,0,0,0,0,2',
      'Reason,Money or debt,1,0,0,0,0,1',
      'Link worker,Severnside PCN link worker,1,0,0,0,0,1',
      'Link worker,Community Connections,1,0,0,0,0,1',
      'All,All activity,2,0,0,0,0,2',
      '',
    ]);
  });

  it('guards a link worker id that looks like a formula', () => {
    const csv = activityReportCsv(
      buildActivityReport([{ month: '2025-03', outcome: 'sent', reasons: [], linkWorkerId: '=cmd' }], []),
    );
    expect(csv).toContain("Link worker,'=cmd (no longer in the settings),");
  });
});
