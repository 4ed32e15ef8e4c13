import type { ActivityEntry } from '../core/activity-report';
import type { Settings, SettingsProblem } from '../core/settings';

// Everything the options page needs from outside itself. The browser connector talks to the extension;
// the fake keeps everything in memory, so the page renders in unit tests and in the demo.

/** The settings in force and where they came from (see src/shared/settings-store.ts). */
export type SettingsState =
  | { source: 'policy'; settings: Settings }
  | { source: 'local'; settings: Settings; policyProblems?: SettingsProblem[] }
  | { source: 'none'; policyProblems?: SettingsProblem[] };

export type SaveResult = { ok: true; settings: Settings } | { ok: false; problems: SettingsProblem[] };

/** A value, or a problem in words for the practice manager. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: string };

export interface TestMessageResult {
  outcome: 'accepted' | 'refused' | 'unavailable' | 'unreachable';
  status?: number | undefined;
  message: string;
}

export interface FeedCheck {
  offers: number;
  skipped: number;
  inactive: number;
  pages: number;
  /** What was skipped and why, in words. */
  problems: string[];
}

export type SelectorField = 'nhsNumber' | 'name' | 'birthDate';
export type Selectors = Partial<Record<SelectorField, string>>;

export interface SelectorCheck {
  field: SelectorField;
  selector: string;
  /** The text found, or `null` when nothing matched. */
  found: string | null;
  /** Set when the selector itself is not valid CSS. */
  invalid?: boolean | undefined;
}

export interface SelectorTest {
  /** The title of the tab the selectors were tried on. */
  tabTitle: string;
  checks: SelectorCheck[];
}

export interface OptionsConnector {
  readSettings(): Promise<SettingsState>;
  saveSettings(settings: Settings): Promise<SaveResult>;
  /** Calls back when the settings change anywhere (another window, or policy); returns a stop function. */
  onSettingsChanged(listener: () => void): () => void;
  /** Whether the browser lets Linkwell read (record site) or contact (endpoint, feed) an origin. */
  hasSitePermission(origin: string): Promise<boolean>;
  /**
   * Asks the browser for access to a record site. Call it straight from the click, before any await:
   * browsers only ask during a user gesture.
   * https://developer.chrome.com/docs/extensions/reference/api/permissions#method-request
   */
  requestSitePermission(origin: string): Promise<boolean>;
  /**
   * Asks, in one prompt, for access to the places referrals go and offers come from (FHIR endpoints,
   * offer feeds): without it the browser's CORS rules decide, and most FHIR servers say no. Already
   * granted origins cause no prompt. Like `requestSitePermission`, call it before any await.
   * Resolves true when every origin is granted.
   */
  requestDestinationAccess(origins: string[]): Promise<boolean>;
  /** Gives back access to a site that is no longer a record site. */
  releaseSitePermission(origin: string): Promise<void>;
  onPermissionsChanged(listener: () => void): () => void;
  sendTestMessage(target: {
    endpoint: string;
    token?: string | undefined;
    practiceName?: string | undefined;
  }): Promise<Outcome<TestMessageResult>>;
  /** The anonymous activity records for the report. */
  activity(): Promise<Outcome<ActivityEntry[]>>;
  checkFeed(url: string): Promise<Outcome<FeedCheck>>;
  /** Tries record-site selectors on the most recently used open tab of that site. */
  testSelectors(origin: string, selectors: Selectors): Promise<Outcome<SelectorTest>>;
  /** Offers a file to save (export, CSV). */
  download(fileName: string, mimeType: string, text: string): void;
}
