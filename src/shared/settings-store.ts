import browser from 'webextension-polyfill';
import { parseSettings, type Settings, type SettingsProblem } from '../core/settings';

// Where the practice's settings live: `storage.local` as the practice manager saved them, or
// `storage.managed` when IT deploys them by policy (Chrome/Edge `3rdparty` policy; policy wins).
// Settings hold no patient data; they never go to `storage.sync` because FHIR tokens are secrets.

const LOCAL_KEY = 'settings';

export type SettingsInForce =
  | { source: 'policy'; settings: Settings }
  | { source: 'local'; settings: Settings; policyProblems?: SettingsProblem[] }
  | { source: 'none'; policyProblems?: SettingsProblem[] };

/** Settings from policy, when IT has set any; `undefined` when there is no policy. */
async function readPolicy(): Promise<{ settings: Settings } | { problems: SettingsProblem[] } | undefined> {
  let managed: Record<string, unknown>;
  try {
    managed = await browser.storage.managed.get(null);
  } catch {
    // Firefox without a managed-storage manifest, or a browser without the area: no policy.
    return undefined;
  }
  if (Object.keys(managed).length === 0) return undefined;
  const parsed = parseSettings(managed);
  return parsed.ok ? { settings: parsed.settings } : { problems: parsed.problems };
}

/** The settings in force and where they came from. Policy that does not validate is not used. */
export async function readSettings(): Promise<SettingsInForce> {
  const policy = await readPolicy();
  if (policy && 'settings' in policy) return { source: 'policy', settings: policy.settings };
  const policyProblems = policy?.problems;
  const stored = (await browser.storage.local.get(LOCAL_KEY))[LOCAL_KEY];
  const parsed = stored === undefined ? undefined : parseSettings(stored);
  if (parsed?.ok) {
    return policyProblems
      ? { source: 'local', settings: parsed.settings, policyProblems }
      : { source: 'local', settings: parsed.settings };
  }
  return policyProblems ? { source: 'none', policyProblems } : { source: 'none' };
}

/**
 * Saves settings made on the options page. Refused while policy is in force: the organisation's
 * settings are read-only. The document is validated again here, so nothing invalid is ever stored.
 */
export async function saveSettings(
  input: unknown,
): Promise<{ ok: true; settings: Settings } | { ok: false; problems: SettingsProblem[] }> {
  const policy = await readPolicy();
  if (policy && 'settings' in policy) {
    return {
      ok: false,
      problems: [{ path: '(settings)', message: 'These settings are managed by your organisation.' }],
    };
  }
  const parsed = parseSettings(input);
  if (!parsed.ok) return parsed;
  await browser.storage.local.set({ [LOCAL_KEY]: parsed.settings });
  return parsed;
}

/** Calls `listener` whenever the local or policy settings change; returns a function that stops it. */
export function onSettingsChanged(listener: () => void): () => void {
  const handle = (changes: Record<string, unknown>, area: string) => {
    if (area === 'managed' || (area === 'local' && LOCAL_KEY in changes)) listener();
  };
  browser.storage.onChanged.addListener(handle);
  return () => browser.storage.onChanged.removeListener(handle);
}
