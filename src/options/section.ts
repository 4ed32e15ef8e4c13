import type { OptionsConnector } from './connector';
import type { SettingsDraft } from './draft';

/** What each section of the settings form is given. */
export interface SectionProps {
  draft: SettingsDraft;
  /** The problem to show beside the field at `path` now, if any. */
  errorFor: (path: string) => string | undefined;
  /** Changes the draft; `path` is the field edited, which from now on shows its problems as typed. */
  edit: (path: string, change: (draft: SettingsDraft) => SettingsDraft) => void;
  connector: OptionsConnector;
  /** Settings set by policy: shown, not changed. */
  managed: boolean;
  /** Whether the browser lets Linkwell read or contact each origin (absent: not checked yet). */
  granted: Record<string, boolean>;
  /** The access token policy sets for a link worker: used for a test message, never shown. */
  policyToken: (linkWorkerId: string) => string | undefined;
}

/** A copy of `items` with the item at `index` replaced by `change(item)`. */
export function replaceAt<T>(items: readonly T[], index: number, change: (item: T) => T): T[] {
  return items.map((item, at) => (at === index ? change(item) : item));
}

/** A copy of `items` with the item at `index` moved by `by` places (-1 up, 1 down). */
export function move<T>(items: readonly T[], index: number, by: number): T[] {
  const target = index + by;
  if (target < 0 || target >= items.length) return [...items];
  const copy = [...items];
  const [item] = copy.splice(index, 1);
  if (item !== undefined) copy.splice(target, 0, item);
  return copy;
}
