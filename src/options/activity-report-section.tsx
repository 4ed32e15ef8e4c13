import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  ACTIVITY_OUTCOMES,
  type ActivityEntry,
  type ActivityRow,
  activityReportCsv,
  buildActivityReport,
  OUTCOME_LABELS,
  type OutcomeCounts,
} from '../core/activity-report';
import type { LinkWorker } from '../core/settings';
import type { OptionsConnector } from './connector';

type Loaded =
  | { state: 'loading' }
  | { state: 'error'; problem: string }
  | { state: 'ready'; entries: ActivityEntry[] };

/** The practice's social prescribing activity, from the anonymous activity records only. */
export function ActivityReportSection(props: {
  connector: OptionsConnector;
  linkWorkers: readonly LinkWorker[];
}) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const load = async () => {
    const reply = await props.connector.activity();
    setLoaded(
      reply.ok ? { state: 'ready', entries: reply.value } : { state: 'error', problem: reply.problem },
    );
  };
  useEffect(() => {
    void load();
    // Loaded once; the Refresh button loads again.
  }, []);

  const report = useMemo(
    () => (loaded.state === 'ready' ? buildActivityReport(loaded.entries, props.linkWorkers) : undefined),
    [loaded, props.linkWorkers],
  );

  return (
    <section class="options-section" aria-labelledby="activity-title" id="activity">
      <h2 id="activity-title">Activity report</h2>
      <p>
        Referrals made from this browser, counted by month, reason and link worker, to check against what is
        coded in the record. Only counts are kept: no patient’s details are in this report.
      </p>
      {loaded.state === 'loading' ? <p>Loading…</p> : null}
      {loaded.state === 'error' ? <p class="nhs-error-message">{loaded.problem}</p> : null}
      {report && report.totals.total === 0 ? (
        <p class="options-empty">No referrals have been recorded yet.</p>
      ) : null}
      {report && report.totals.total > 0 ? (
        <>
          <ReportTable caption="By month" heading="Month" rows={report.byMonth} totals={report.totals} />
          <ReportTable
            caption="By reason"
            heading="Reason"
            rows={report.byReason}
            note="A referral with more than one reason counts under each."
          />
          <ReportTable
            caption="By link worker"
            heading="Link worker"
            rows={report.byLinkWorker}
            totals={report.totals}
          />
        </>
      ) : null}
      <div class="options-row-actions">
        <button
          type="button"
          class="nhs-button nhs-button--secondary"
          disabled={!report || report.totals.total === 0}
          onClick={() =>
            report &&
            props.connector.download(
              `linkwell-activity-${new Date().toISOString().slice(0, 10)}.csv`,
              'text/csv',
              // The byte order mark lets Excel read the file as UTF-8.
              `\uFEFF${activityReportCsv(report)}`,
            )
          }
        >
          Download report (CSV)
        </button>
        <button type="button" class="nhs-button nhs-button--secondary" onClick={() => void load()}>
          Refresh report
        </button>
      </div>
    </section>
  );
}

function ReportTable(props: {
  caption: string;
  heading: string;
  rows: ActivityRow[];
  totals?: OutcomeCounts;
  note?: string;
}) {
  return (
    <div class="options-table-wrap">
      <table class="options-table">
        <caption>
          {props.caption}
          {props.note ? <span class="nhs-hint">{props.note}</span> : null}
        </caption>
        <thead>
          <tr>
            <th scope="col">{props.heading}</th>
            {ACTIVITY_OUTCOMES.map((outcome) => (
              <th scope="col" class="options-number" key={outcome}>
                {OUTCOME_LABELS[outcome]}
              </th>
            ))}
            <th scope="col" class="options-number">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              {ACTIVITY_OUTCOMES.map((outcome) => (
                <td class="options-number" key={outcome}>
                  {row.counts[outcome]}
                </td>
              ))}
              <td class="options-number">{row.counts.total}</td>
            </tr>
          ))}
        </tbody>
        {props.totals ? (
          <tfoot>
            <tr>
              <th scope="row">All</th>
              {ACTIVITY_OUTCOMES.map((outcome) => (
                <td class="options-number" key={outcome}>
                  {props.totals?.[outcome]}
                </td>
              ))}
              <td class="options-number">{props.totals.total}</td>
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}
