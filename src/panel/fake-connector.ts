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
  /** How the receiver answers each send, in order (default: accept). */
  answers?: ('sent' | 'queued' | { failed: string })[];
}

export interface FakeConnector extends PanelConnector {
  /** What was sent, in order (one entry per referral id: a repeat send is not a second referral). */
  sent: { referral: Referral; replaces?: string }[];
  declines: { reasons: string[]; linkWorkerId?: string }[];
  copied: string[];
  emails: { to: string; subject: string }[];
  showTab(patient: TabPatient): void;
  /** Moves a referral on, as the background's broadcast would. */
  settle(id: string, status: OutboxItem['status'], problem?: string): void;
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
      const existing = items.get(referral.id);
      if (existing) return { ok: true, value: { ok: true, item: existing } };
      fake.sent.push(replaces ? { referral, replaces } : { referral });
      referrals.set(referral.id, referral);
      const worker = options.settings?.linkWorkers.find(
        (candidate) => candidate.id === referral.linkWorker.id,
      );
      const method = worker?.delivery.method ?? 'fhir';
      const answer = method === 'email' ? 'sent' : (answers.shift() ?? 'sent');
      const item: OutboxItem = {
        id: referral.id,
        status: typeof answer === 'string' ? answer : 'failed',
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
        const old = items.get(replaces);
        if (old) items.set(replaces, { ...old, replacedBy: item.id });
      }
      return { ok: true, value: { ok: true, item } };
    },
    recent: async (limit) => ({
      ok: true,
      value: [...items.values()].sort((a, b) => b.createdAt - a.createdAt).slice(0, limit),
    }),
    async cancel(id) {
      const item = items.get(id);
      if (item?.status !== 'queued') return { ok: true, value: null };
      const cancelled: OutboxItem = { ...item, status: 'cancelled' };
      items.set(id, cancelled);
      return { ok: true, value: cancelled };
    },
    retry: async (id) => ({ ok: true, value: items.get(id) ?? null }),
    referralToEdit: async (id) => ({ ok: true, value: referrals.get(id) ?? null }),
    async recordDecline(reasons, linkWorkerId) {
      fake.declines.push(linkWorkerId ? { reasons, linkWorkerId } : { reasons });
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
    settle(id, status, problem) {
      const item = items.get(id);
      if (!item) return;
      const { problem: _old, ...rest } = item;
      const next: OutboxItem = problem ? { ...rest, status, problem } : { ...rest, status };
      items.set(id, next);
      announce(next);
    },
  };
  return fake;
}
