import type { Offer } from '../core/offer';
import type { Referral } from '../core/referral';
import type { Settings } from '../core/settings';
import type { OutboxItem, RecordPatient, Reply } from '../shared/messages';

// Everything the panel asks of the world, in one interface: the extension implements it
// (extension-connector.ts), and a fake beside it lets the panel render in unit tests and the demo.

/** What the tab beside the panel shows: a reading from its record page, or no record page at all. */
export type TabPatient = RecordPatient | { state: 'no-page' };

/** The clinician who refers, remembered in this browser (not patient data). */
export interface Referrer {
  name: string;
  role?: string;
}

export type SendReply =
  | { ok: true; item: OutboxItem }
  | { ok: false; problems: { path: string; message: string }[]; unsaved?: true | undefined };

export interface SuggestedOffers {
  offers: Offer[];
  /** Feeds that could not be read (a sentence each); cached offers are used where there are some. */
  problems: string[];
  /** When the oldest cached offers shown were fetched, if any came from the cache. */
  cachedAt?: number;
}

export interface PanelConnector {
  /** The practice's settings in force; undefined when none are set up yet. */
  settings(): Promise<Settings | undefined>;
  /** Which patient the tab beside the panel shows. */
  tabPatient(): Promise<TabPatient>;
  /** Calls `listener` when the tab's patient changes (or the panel follows another tab). */
  onTabPatientChanged(listener: (patient: TabPatient) => void): () => void;
  referrer(): Promise<Referrer | undefined>;
  saveReferrer(referrer: Referrer): Promise<void>;
  /** Stores the referral durably and starts delivery (`panel-to-bg:send-referral`). */
  send(referral: Referral, replaces?: string): Promise<Reply<SendReply>>;
  recent(limit: number): Promise<Reply<OutboxItem[]>>;
  /** One referral as the outbox holds it (null when it holds none with that id). */
  referralStatus(id: string): Promise<Reply<OutboxItem | null>>;
  /** `cancelled` is false when the referral could not be stopped; `item` is how it now stands. */
  cancel(id: string): Promise<Reply<{ cancelled: boolean; item: OutboxItem | null }>>;
  retry(id: string): Promise<Reply<OutboxItem | null>>;
  /** The stored referral, to edit a failed one; null once retention removed it. */
  referralToEdit(id: string): Promise<Reply<Referral | null>>;
  /** `id` is the draft's, so a repeated request is one decline. */
  recordDecline(
    id: string,
    reasons: string[],
    linkWorkerId: string | undefined,
  ): Promise<Reply<{ recorded: true }>>;
  onOutboxChanged(listener: (item: OutboxItem) => void): () => void;
  suggestedOffers(): Promise<SuggestedOffers>;
  copyText(text: string): Promise<boolean>;
  /** Opens the GP's mail program; the URL holds the address and subject only, never patient details. */
  openEmail(to: string, subject: string): void;
  /** Opens the print dialog; the panel shows only its print area on paper (panel.css). */
  print(): void;
  newId(): string;
  now(): Date;
}
