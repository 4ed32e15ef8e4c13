// A stand-in for the browser's extension APIs (the parts of webextension-polyfill's `browser` and of
// `chrome` that Linkwell's background, panel connector and record-page script call), so the fuzz tests
// can run the real code in Node: messages, storage areas, alarms, permissions, tabs, script registration
// and the side panel. Each call is recorded only as far as a test needs to check it.

export const EXTENSION_ID = 'lmfkmlimgkpalpbmipadgohcipbcnnmh';
export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}/`;

type Listener = (...args: never[]) => unknown;

/** An event like `runtime.onMessage`: listeners added and removed, and a way to fire them. */
export function fakeEvent<L extends Listener>() {
  const listeners = new Set<L>();
  return {
    listeners,
    addListener: (listener: L) => void listeners.add(listener),
    removeListener: (listener: L) => void listeners.delete(listener),
    hasListener: (listener: L) => listeners.has(listener),
  };
}

/** A `storage` area that keeps structured clones, as the browser does. */
function fakeArea(name: string, changed: (changes: Record<string, unknown>, area: string) => void) {
  const values = new Map<string, unknown>();
  return {
    values,
    async get(keys?: string | string[] | null) {
      const wanted = keys === null || keys === undefined ? [...values.keys()] : [keys].flat();
      return Object.fromEntries(
        wanted.filter((key) => values.has(key)).map((key) => [key, structuredClone(values.get(key))]),
      );
    },
    async set(items: Record<string, unknown>) {
      for (const [key, value] of Object.entries(items)) values.set(key, structuredClone(value));
      changed(items, name);
    },
    async remove(keys: string | string[]) {
      for (const key of [keys].flat()) values.delete(key);
    },
    async clear() {
      values.clear();
    },
  };
}

const onMessage = fakeEvent<(message: unknown, sender: unknown) => unknown>();
const onStorageChanged = fakeEvent<(changes: Record<string, unknown>, area: string) => void>();
const fireStorageChanged = (changes: Record<string, unknown>, area: string) => {
  for (const listener of onStorageChanged.listeners) listener(changes, area);
};

/** Messages broadcast with `runtime.sendMessage` (the background's outbox-changed, the page's patient). */
export const broadcasts: unknown[] = [];
/** What `runtime.sendMessage` answers (the background's reply, as seen from a page). */
export const runtimeReply: { next: () => Promise<unknown> } = {
  next: () => Promise.reject(new Error('Could not establish connection. Receiving end does not exist.')),
};

export const fakeBrowser = {
  runtime: {
    id: EXTENSION_ID,
    getURL: (path: string) => `${EXTENSION_ORIGIN}${path.replace(/^\//, '')}`,
    getManifest: () => ({ manifest_version: 3, name: 'Linkwell', version: '0.1.0' }),
    onMessage,
    sendMessage(message: unknown) {
      broadcasts.push(message);
      if (broadcasts.length > 1000) broadcasts.splice(0, 500);
      return runtimeReply.next();
    },
  },
  storage: {
    local: fakeArea('local', fireStorageChanged),
    sync: fakeArea('sync', fireStorageChanged),
    session: fakeArea('session', fireStorageChanged),
    managed: {
      get: async () => ({}),
    },
    onChanged: onStorageChanged,
  },
  alarms: {
    created: new Map<string, { when?: number }>(),
    async create(name: string, info: { when?: number }) {
      fakeBrowser.alarms.created.set(name, info);
    },
    async clear(name: string) {
      return fakeBrowser.alarms.created.delete(name);
    },
    onAlarm: fakeEvent<(alarm: { name: string }) => void>(),
  },
  permissions: {
    contains: async () => true,
    onAdded: fakeEvent(),
    onRemoved: fakeEvent(),
  },
  tabs: {
    query: async () => [{ id: 3, active: true, windowId: 1 }],
    sendMessage: async (_tabId: number, _message: unknown): Promise<unknown> => ({ state: 'none' }),
    onUpdated: fakeEvent(),
    onRemoved: fakeEvent(),
    onActivated: fakeEvent(),
  },
  windows: {
    getCurrent: async () => ({ id: 1 }),
  },
};

export const sidePanelCalls: { open: number; setOptions: number } = { open: 0, setOptions: 0 };

export const fakeChrome = {
  runtime: fakeBrowser.runtime,
  scripting: {
    registered: new Map<string, unknown>(),
    async getRegisteredContentScripts() {
      return [...fakeChrome.scripting.registered.keys()].map((id) => ({ id }));
    },
    async registerContentScripts(scripts: { id: string }[]) {
      for (const script of scripts) fakeChrome.scripting.registered.set(script.id, script);
    },
    async unregisterContentScripts(filter: { ids: string[] }) {
      for (const id of filter.ids) fakeChrome.scripting.registered.delete(id);
    },
  },
  sidePanel: {
    async setPanelBehavior() {},
    async open(options: { tabId: number }) {
      sidePanelCalls.open += 1;
      if (!Number.isInteger(options.tabId)) throw new Error('No tab with that id.');
    },
    async setOptions() {
      sidePanelCalls.setOptions += 1;
    },
  },
};

/** Puts the fakes where extension code looks for them (`chrome` is a global in an extension). */
export function installFakeChrome(): void {
  (globalThis as unknown as { chrome: unknown }).chrome = fakeChrome;
}
