import { originPattern } from '../core/origin-pattern';
import type { RecordSite } from '../core/settings';

// The record-page content script runs only on the practice's configured record sites that the
// browser has granted (CONTRACT.md section 3): registered here at run time, one registration per
// site, and unregistered as soon as a site is removed or its permission withdrawn.

const ID_PREFIX = 'linkwell-record-site:';
/** The self-contained content script the build writes (see vite.config.ts). */
export const RECORD_PAGE_SCRIPT = 'content/record-page.js';

// Without the port, which Firefox refuses in a match pattern: see src/core/origin-pattern.ts.
export { originPattern };

export interface ScriptingApi {
  getRegisteredContentScripts(): Promise<{ id: string }[]>;
  registerContentScripts(scripts: chrome.scripting.RegisteredContentScript[]): Promise<void>;
  unregisterContentScripts(filter: { ids: string[] }): Promise<void>;
}

/**
 * Makes the registered content scripts match `sites` whose origin `isGranted`. Returns the origins
 * the script now runs on.
 */
export async function syncRecordSiteScripts(
  sites: readonly RecordSite[],
  isGranted: (origin: string) => Promise<boolean>,
  scripting: ScriptingApi,
): Promise<string[]> {
  const wanted = new Map<string, string>();
  for (const site of sites) {
    if (await isGranted(site.origin)) wanted.set(`${ID_PREFIX}${site.origin}`, site.origin);
  }
  const registered = (await scripting.getRegisteredContentScripts())
    .map((script) => script.id)
    .filter((id) => id.startsWith(ID_PREFIX));
  const stale = registered.filter((id) => !wanted.has(id));
  if (stale.length > 0) await scripting.unregisterContentScripts({ ids: stale });
  const fresh = [...wanted].filter(([id]) => !registered.includes(id));
  if (fresh.length > 0) {
    await scripting.registerContentScripts(
      fresh.map(([id, origin]) => ({
        id,
        matches: [originPattern(origin)],
        js: [RECORD_PAGE_SCRIPT],
        runAt: 'document_idle',
        allFrames: false,
        persistAcrossSessions: true,
      })),
    );
  }
  return [...wanted.values()];
}

/**
 * `task`, run one at a time. A call while a run is under way is answered by one more run once it has
 * finished, and every call that arrives meanwhile shares that run: settings changes, permission
 * changes and the worker's start all ask for a sync, and two overlapping syncs would race each other
 * ("Duplicate script ID", or an older run unregistering what a newer one registered).
 */
export function oneAtATime<T>(task: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  let queued: Promise<T> | undefined;
  const start = (): Promise<T> => {
    const run = task().finally(() => {
      if (running === run) running = undefined;
    });
    running = run;
    return run;
  };
  return () => {
    if (queued) return queued;
    if (!running) return start();
    // A run that failed does not stop the next one: it reads the settings and permissions afresh.
    queued = running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        queued = undefined;
        return start();
      });
    return queued;
  };
}

/** The configured record site a page belongs to, if any (for the content script's own settings). */
export function recordSiteFor(
  sites: readonly RecordSite[],
  pageUrl: string | undefined,
): RecordSite | undefined {
  if (!pageUrl) return undefined;
  let origin: string;
  try {
    origin = new URL(pageUrl).origin;
  } catch {
    return undefined;
  }
  return sites.find((site) => site.origin === origin);
}
