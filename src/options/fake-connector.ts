import type { ActivityEntry } from '../core/activity-report';
import { parseSettings, type Settings } from '../core/settings';
import type {
  FeedCheck,
  OptionsConnector,
  SelectorTest,
  SettingsState,
  TestMessageResult,
} from './connector';

// An options connector that keeps everything in memory: for unit tests and the demo. Tests can reach in
// (`saved`, `granted`, `downloads`, `setPolicy`) to check what the page did and to change the world.

export interface FakeConnector extends OptionsConnector {
  /** What the page saved, last first. */
  saved: Settings[];
  granted: Set<string>;
  /** Asked for permission (in the order asked). */
  asked: string[];
  downloads: { fileName: string; mimeType: string; text: string }[];
  /** The test messages the page asked for, in order. */
  testMessages: { endpoint: string; token?: string | undefined }[];
  /** Puts policy settings in force (or takes them away) and tells the page, as storage.managed would. */
  setPolicy(settings: Settings | undefined): void;
}

export interface FakeOptions {
  settings?: Settings;
  policy?: Settings;
  granted?: string[];
  /** Whether the browser says yes when asked for a site. */
  grantOnRequest?: boolean;
  activity?: ActivityEntry[];
  testMessage?: TestMessageResult;
  feed?: FeedCheck;
  selectorTest?: SelectorTest;
}

export function fakeConnector(options: FakeOptions = {}): FakeConnector {
  let local = options.settings;
  let policy = options.policy;
  const settingsListeners = new Set<() => void>();
  const permissionListeners = new Set<() => void>();
  const state = (): SettingsState =>
    policy
      ? { source: 'policy', settings: policy }
      : local
        ? { source: 'local', settings: local }
        : { source: 'none' };
  const testMessageAnswer: TestMessageResult = options.testMessage ?? {
    outcome: 'accepted',
    status: 200,
    message: 'Accepted: the link worker’s system answered HTTP 200.',
  };
  const notify = (listeners: Set<() => void>) => {
    for (const listener of listeners) listener();
  };

  const fake: FakeConnector = {
    saved: [],
    granted: new Set(options.granted ?? []),
    asked: [],
    downloads: [],
    testMessages: [],
    setPolicy(settings) {
      policy = settings;
      notify(settingsListeners);
    },
    readSettings: async () => state(),
    async saveSettings(settings) {
      if (policy) {
        return {
          ok: false,
          problems: [{ path: '(settings)', message: 'These settings are managed by your organisation.' }],
        };
      }
      const parsed = parseSettings(settings);
      if (!parsed.ok) return parsed;
      local = parsed.settings;
      fake.saved.unshift(parsed.settings);
      notify(settingsListeners);
      return parsed;
    },
    onSettingsChanged(listener) {
      settingsListeners.add(listener);
      return () => settingsListeners.delete(listener);
    },
    hasSitePermission: async (origin) => fake.granted.has(origin),
    async requestSitePermission(origin) {
      fake.asked.push(origin);
      if (options.grantOnRequest ?? true) {
        fake.granted.add(origin);
        notify(permissionListeners);
      }
      return fake.granted.has(origin);
    },
    async requestDestinationAccess(origins) {
      fake.asked.push(...origins);
      if (options.grantOnRequest ?? true) {
        for (const origin of origins) fake.granted.add(origin);
        notify(permissionListeners);
      }
      return origins.every((origin) => fake.granted.has(origin));
    },
    async releaseSitePermission(origin) {
      fake.granted.delete(origin);
      notify(permissionListeners);
    },
    onPermissionsChanged(listener) {
      permissionListeners.add(listener);
      return () => permissionListeners.delete(listener);
    },
    sendTestMessage: async (target) => {
      fake.testMessages.push({ endpoint: target.endpoint, token: target.token });
      return { ok: true, value: testMessageAnswer };
    },
    activity: async () => ({ ok: true, value: options.activity ?? [] }),
    checkFeed: async () =>
      options.feed
        ? { ok: true, value: options.feed }
        : {
            ok: false,
            problem:
              'The feed could not be fetched. Check the address, and that the server lets Linkwell read it.',
          },
    testSelectors: async () =>
      options.selectorTest
        ? { ok: true, value: options.selectorTest }
        : { ok: false, problem: 'Open a patient’s record in another tab, then test again.' },
    download(fileName, mimeType, text) {
      fake.downloads.push({ fileName, mimeType, text });
    },
  };
  return fake;
}
