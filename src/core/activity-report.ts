import { isReasonId, REASON_IDS, reasonLabel } from './reasons';

// The practice's activity report: counts of referrals by month, reason and link worker, made from the
// anonymous activity records (month, outcome, reason ids, link worker id). No patient data goes in or out.

/** What became of a referral, or that the patient declined one. */
export const ACTIVITY_OUTCOMES = ['sent', 'queued', 'failed', 'declined', 'cancelled'] as const;
export type ActivityOutcome = (typeof ACTIVITY_OUTCOMES)[number];

/** One anonymous activity record, as the report reads it. */
export interface ActivityEntry {
  /** `YYYY-MM` */
  month: string;
  outcome: ActivityOutcome;
  reasons: readonly string[];
  linkWorkerId?: string | undefined;
}

export type OutcomeCounts = Record<ActivityOutcome, number> & { total: number };

/** One line of a breakdown: what it counts (`key`), its words (`label`) and the counts by outcome. */
export interface ActivityRow {
  key: string;
  label: string;
  counts: OutcomeCounts;
}

export interface ActivityReport {
  byMonth: ActivityRow[];
  /** A referral with two reasons counts once under each. */
  byReason: ActivityRow[];
  byLinkWorker: ActivityRow[];
  totals: OutcomeCounts;
}

/** The column headings for outcomes, in report order. */
export const OUTCOME_LABELS: Readonly<Record<ActivityOutcome, string>> = {
  sent: 'Sent',
  queued: 'Queued',
  failed: 'Failed',
  declined: 'Declined',
  cancelled: 'Cancelled',
};

const NO_REASON = '(none)';
const NO_LINK_WORKER = '(none)';
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function emptyCounts(): OutcomeCounts {
  return { sent: 0, queued: 0, failed: 0, declined: 0, cancelled: 0, total: 0 };
}

/**
 * A `YYYY-MM` month in words; anything else is returned as it is.
 * @example monthLabel('2025-03') // 'March 2025'
 */
export function monthLabel(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const name = match ? MONTHS[Number(match[2]) - 1] : undefined;
  return match && name ? `${name} ${match[1]}` : month;
}

function count(rows: Map<string, OutcomeCounts>, key: string, outcome: ActivityOutcome): void {
  const counts = rows.get(key) ?? emptyCounts();
  counts[outcome] += 1;
  counts.total += 1;
  rows.set(key, counts);
}

/**
 * Counts activity records by month (oldest first), by reason (in the panel's order) and by link worker
 * (in the settings' order; ones since removed after them, by id).
 *
 * @example
 * buildActivityReport([{ month: '2025-03', outcome: 'sent', reasons: ['money'], linkWorkerId: 'pcn-lw' }],
 *   [{ id: 'pcn-lw', name: 'Severnside PCN link worker' }]).byReason[0]
 * // { key: 'money', label: 'Money or debt', counts: { sent: 1, ..., total: 1 } }
 */
export function buildActivityReport(
  entries: readonly ActivityEntry[],
  linkWorkers: readonly { id: string; name: string }[],
): ActivityReport {
  const months = new Map<string, OutcomeCounts>();
  const reasons = new Map<string, OutcomeCounts>();
  const workers = new Map<string, OutcomeCounts>();
  const totals = emptyCounts();
  for (const entry of entries) {
    count(months, entry.month, entry.outcome);
    const distinct = [...new Set(entry.reasons)];
    if (distinct.length === 0) count(reasons, NO_REASON, entry.outcome);
    for (const reason of distinct) count(reasons, reason, entry.outcome);
    count(workers, entry.linkWorkerId ?? NO_LINK_WORKER, entry.outcome);
    totals[entry.outcome] += 1;
    totals.total += 1;
  }

  const reasonOrder = (key: string) => {
    const index = (REASON_IDS as readonly string[]).indexOf(key);
    return index >= 0 ? index : key === NO_REASON ? REASON_IDS.length + 1 : REASON_IDS.length;
  };
  const names = new Map(linkWorkers.map((linkWorker) => [linkWorker.id, linkWorker.name]));
  const workerIds = linkWorkers.map((linkWorker) => linkWorker.id);
  const workerOrder = (key: string) => {
    const index = workerIds.indexOf(key);
    return index >= 0 ? index : key === NO_LINK_WORKER ? workerIds.length + 1 : workerIds.length;
  };
  const byKey = (order: (key: string) => number) => (a: [string, unknown], b: [string, unknown]) =>
    order(a[0]) - order(b[0]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

  return {
    byMonth: [...months]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, counts]) => ({ key, label: monthLabel(key), counts })),
    byReason: [...reasons].sort(byKey(reasonOrder)).map(([key, counts]) => ({
      key,
      label: key === NO_REASON ? 'No reason recorded' : isReasonId(key) ? reasonLabel(key) : key,
      counts,
    })),
    byLinkWorker: [...workers].sort(byKey(workerOrder)).map(([key, counts]) => ({
      key,
      label:
        key === NO_LINK_WORKER
          ? 'No link worker chosen'
          : (names.get(key) ?? `${key} (no longer in the settings)`),
      counts,
    })),
    totals,
  };
}

/**
 * One CSV cell: quoted when it holds a comma, quote or line break (RFC 4180), and made inert when a
 * spreadsheet would read it as a formula (it starts with =, +, -, @, tab or carriage return), by a
 * leading apostrophe as OWASP advises: https://owasp.org/www-community/attacks/CSV_Injection
 *
 * @example csvCell('=HYPERLINK("x")') // '"\'=HYPERLINK(""x"")"'
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const BREAKDOWNS: readonly [keyof Omit<ActivityReport, 'totals'>, string][] = [
  ['byMonth', 'Month'],
  ['byReason', 'Reason'],
  ['byLinkWorker', 'Link worker'],
];

/**
 * The report as one CSV table, a line per month, reason and link worker, for a spreadsheet.
 * Lines end in CRLF (RFC 4180). Months are written `YYYY-MM` so they sort.
 *
 * @example activityReportCsv(report).split('\r\n')[0]
 * // 'Breakdown,Group,Sent,Queued,Failed,Declined,Cancelled,Total'
 */
export function activityReportCsv(report: ActivityReport): string {
  const header = [
    'Breakdown',
    'Group',
    ...ACTIVITY_OUTCOMES.map((outcome) => OUTCOME_LABELS[outcome]),
    'Total',
  ];
  const line = (cells: (string | number)[]) => cells.map(csvCell).join(',');
  const countsOf = (counts: OutcomeCounts) => [
    ...ACTIVITY_OUTCOMES.map((outcome) => counts[outcome]),
    counts.total,
  ];
  const lines = [line(header)];
  for (const [breakdown, name] of BREAKDOWNS) {
    for (const row of report[breakdown]) {
      lines.push(line([name, breakdown === 'byMonth' ? row.key : row.label, ...countsOf(row.counts)]));
    }
  }
  lines.push(line(['All', 'All activity', ...countsOf(report.totals)]));
  return `${lines.join('\r\n')}\r\n`;
}
