import type { Referral } from '../core/referral';
import type { Settings } from '../core/settings';
import type { OutboxItem } from '../shared/messages';
import type { PanelConnector, Referrer, SuggestedOffers, TabPatient } from './connector';

// A connector with no extension behind it: the panel renders with it in unit tests and the demo.
// The test or demo drives it: it changes the tab's patient, and says how each send turns out.

export interface FakeConnectorOptions {
  settings?: Settings | undefined;
  tab?: TabPatient;
  referrer?: Referrer;
  offers?: SuggestedOffers;
  /**
   * How each send turns out, in order (default: accepted). `lost-stored`: the outbox stored it but the
   * answer never reached the panel; `lost`: neither the answer nor the referral got through.
   */
  answers?: ('sent' | 'queued' | 'needs-attention' | 'lost' | 'lost-stored' | { failed: string })[];
  /** The background does not answer when asked for one referral's status either. */
  statusUnavailable?: boolean;
}

const NO_ANSWER = 'Linkwell’s background service did not answer. Try again in a moment.';

export interface FakeConnector extends PanelConnector {
  /** What was stored, in order (one entry per referral id: a repeat send is not a second referral). */
  sent: { referral: Referral; replaces?: string }[];
  /** Every call of `send`, repeats included: the panel's own guard is what keeps this at one a click. */
  sendCalls: number;
  /** Every decline recorded, repeats included, with the draft id each carried. */
  declines: { id: string; reasons: string[]; linkWorkerId?: string }[];
  copied: string[];
  emails: { to: string; subject: string }[];
  showTab(patient: TabPatient): void;
  /**
   * Moves a referral on, as the background would; with `quietly`, without the broadcast reaching the
   * panel yet (the panel still shows the old state, as when the GP presses a button mid-change).
   */
  settle(id: string, status: OutboxItem['status'], problem?: string, quietly?: boolean): void;
}

export function createFakeConnector(options: FakeConnectorOptions = {}): FakeConnector {
  let tab: TabPatient = options.tab ?? { state: 'no-page' };
  let referrer = options.referrer;
  const answers = [...(options.answers ?? [])];
  const items = new Map<string, OutboxItem>();
  const referrals = new Map<string, Referral>();
  const tabListeners = new Set<(patient: TabPatient) => void>();
  const outboxListeners = new Set<(item: OutboxItem) => void>();
  let ids = 0;
  const announce = (item: OutboxItem) => {
    for (const listener of outboxListeners) listener(item);
  };

  const fake: FakeConnector = {
    sent: [],
    sendCalls: 0,
    declines: [],
    copied: [],
    emails: [],
    settings: async () => options.settings,
    tabPatient: async () => tab,
    onTabPatientChanged(listener) {
      tabListeners.add(listener);
      return () => tabListeners.delete(listener);
    },
    referrer: async () => referrer,
    async saveReferrer(next) {
      referrer = next;
    },
    async send(referral, replaces) {
      fake.sendCalls += 1;
      const existing = items.get(referral.id);
      if (existing) return { ok: true, value: { ok: true, item: existing } };
      const worker = options.settings?.linkWorkers.find(
        (candidate) => candidate.id === referral.linkWorker.id,
      );
      const method = worker?.delivery.method ?? 'fhir';
      const answer = method === 'email' ? 'sent' : (answers.shift() ?? 'sent');
      if (answer === 'lost') return { ok: false, problem: NO_ANSWER };
      fake.sent.push(replaces ? { referral, replaces } : { referral });
      referrals.set(referral.id, referral);
      const status = answer === 'lost-stored' ? 'queued' : typeof answer === 'string' ? answer : 'failed';
      const item: OutboxItem = {
        id: referral.id,
        status,
        method,
        linkWorkerName: referral.linkWorker.name,
        createdAt: Date.parse(referral.createdAt),
        attempts: 1,
        reasons: referral.reasons,
        patient: {
          name: referral.patient.name.text,
          nhsNumber: referral.patient.nhsNumber,
          birthDate: referral.patient.birthDate,
        },
        ...(typeof answer === 'string' ? {} : { problem: answer.failed }),
      };
      items.set(item.id, item);
      if (replaces) {
        // As the background does: a failed one is marked replaced, one still waiting is cancelled.
        const old = items.get(replaces);
        if (old) {
          const waiting = old.status === 'queued' || old.status === 'needs-attention';
          items.set(replaces, { ...old, replacedBy: item.id, ...(waiting ? { status: 'cancelled' } : {}) });
        }
      }
      if (answer === 'lost-stored') return { ok: false, problem: NO_ANSWER };
      return { ok: true, value: { ok: true, item } };
    },
    recent: async (limit) => ({
      ok: true,
      value: [...items.values()].sort((a, b) => b.createdAt - a.createdAt).slice(0, limit),
    }),
    referralStatus: async (id) =>
      options.statusUnavailable
        ? { ok: false, problem: NO_ANSWER }
        : { ok: true, value: items.get(id) ?? null },
    async cancel(id) {
      const item = items.get(id);
      if (item?.status === 'cancelled') return { ok: true, value: { cancelled: true, item } };
      if (item?.status !== 'queued' && item?.status !== 'needs-attention') {
        return { ok: true, value: { cancelled: false, item: item ?? null } };
      }
      const cancelled: OutboxItem = { ...item, status: 'cancelled' };
      items.set(id, cancelled);
      return { ok: true, value: { cancelled: true, item: cancelled } };
    },
    retry: async (id) => ({ ok: true, value: items.get(id) ?? null }),
    referralToEdit: async (id) => ({ ok: true, value: referrals.get(id) ?? null }),
    async recordDecline(id, reasons, linkWorkerId) {
      fake.declines.push(linkWorkerId ? { id, reasons, linkWorkerId } : { id, reasons });
      return { ok: true, value: { recorded: true } };
    },
    onOutboxChanged(listener) {
      outboxListeners.add(listener);
      return () => outboxListeners.delete(listener);
    },
    suggestedOffers: async () => options.offers ?? { offers: [], problems: [] },
    async copyText(text) {
      fake.copied.push(text);
      return true;
    },
    openEmail(to, subject) {
      fake.emails.push({ to, subject });
    },
    print() {},
    newId: () => {
      ids += 1;
      return `00000000-0000-4000-8000-${String(ids).padStart(12, '0')}`;
    },
    now: () => new Date('2025-03-12T10:15:00Z'),
    showTab(patient) {
      tab = patient;
      for (const listener of tabListeners) listener(patient);
    },
    settle(id, status, problem, quietly = false) {
      const item = items.get(id);
      if (!item) return;
      const { problem: _old, ...rest } = item;
      const next: OutboxItem = problem ? { ...rest, status, problem } : { ...rest, status };
      items.set(id, next);
      if (!quietly) announce(next);
    },
  };
  return fake;
}
