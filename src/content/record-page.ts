import browser, { type Runtime } from 'webextension-polyfill';
import {
  askBackground,
  getRecordPatientSchema,
  type RecordPatient,
  type RecordReading,
} from '../shared/messages';
import { type Detection, detectionKey, detectRecordPatient, type Selectors } from './detect';
import { createReferButton } from './refer-button';

// The record-page feature: find the patient, follow the page as it changes, show the button, answer
// the panel, and tell open panels when the patient changes. Everything it starts ends with `signal`.

/** Quiet time after the last change before the page is read again: a page swap is many mutations. */
export const SETTLE_MS = 150;
/**
 * The longest a change waits to be read: a page that never goes quiet for SETTLE_MS (a ticking clock,
 * a spinner) is still read this often, so a new patient is never missed behind it.
 */
export const MAX_WAIT_MS = 500;
/** The User Timing name of one update of the page: reading the patient and placing the button. */
export const DETECT_MEASURE = 'linkwell:detect-patient';

export async function init(signal: AbortSignal): Promise<void> {
  const site = await askBackground('content-to-bg:get-record-site', {});
  // Not (or no longer) one of the practice's record sites: read nothing.
  if (signal.aborted || !site.ok || site.value === null) return;
  const running = new AbortController();
  signal.addEventListener('abort', () => running.abort(), { once: true });
  // Removing a site from the settings, or withdrawing its permission, unregisters this script for new
  // pages only; a tab already open keeps it. So the page is checked again when the panel asks about it
  // and when the GP comes back to the tab, and reading stops (the button goes) once it is no longer one.
  const stillASite = async () => {
    const still = await askBackground('content-to-bg:get-record-site', {});
    // No answer (the extension being updated) is no verdict: only a clear "not a record site" stops it.
    if (still.ok && still.value === null) running.abort();
    return !running.signal.aborted;
  };
  startRecordPage(document, site.value.selectors, running.signal, stillASite);
  document.addEventListener(
    'visibilitychange',
    () => {
      if (document.visibilityState === 'visible') void stillASite();
    },
    { signal: running.signal },
  );
}

/** Starts reading `document` for its patient; exported for the benchmark and tests. */
export function startRecordPage(
  document: Document,
  selectors: Selectors | undefined,
  signal: AbortSignal,
  stillASite?: () => Promise<boolean>,
) {
  let current: RecordPatient = { state: 'none' };
  let currentKey = detectionKey(current);
  // Readings are stamped so the panel can tell an old one from a new one, whichever arrives first.
  const page = performance.timeOrigin;
  const instance = Math.random().toString(36).slice(2, 12) || 'script';
  let seq = 0;
  const reading = (): RecordReading => ({ page, instance, seq, patient: current });

  const button = createReferButton(document, signal, () => {
    button.note('');
    void askBackground('content-to-bg:open-panel', {}).then((reply) => {
      if (!reply.ok || !reply.value.opened) {
        button.note('Open Linkwell from the browser toolbar (or the sidebar) to refer this patient.');
      }
    });
  });

  const read = (): Detection => detectRecordPatient(document, selectors, button.host);

  const update = () => {
    const start = performance.now();
    const detection = read();
    if (detection.patient.state === 'patient') button.show(detection.anchor);
    else button.hide();
    // One User Timing entry, the latest only: DevTools and `npm run bench` read the cost of the whole
    // update, placing the button included (it reads layout).
    performance.clearMeasures(DETECT_MEASURE);
    performance.measure(DETECT_MEASURE, { start, end: performance.now() });
    const key = detectionKey(detection.patient);
    if (key === currentKey) return;
    current = detection.patient;
    currentKey = key;
    seq += 1;
    // No panel open is the usual case: the rejection that follows is expected.
    browser.runtime
      .sendMessage({ name: 'content-to-ext:patient-changed', reading: reading() })
      .catch(() => {});
  };

  // Single-page clinical systems swap the patient without a reload: read again once the page has
  // been quiet for a moment, or at the latest MAX_WAIT_MS after the first change. The observer's
  // callback only sets a timer, so it stays cheap however busy the page is.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waitingSince: number | undefined;
  const readNow = () => {
    timer = undefined;
    waitingSince = undefined;
    update();
  };
  // Linkwell's own button moving or changing is not the page changing.
  const ours = (mutation: MutationRecord) =>
    button.host.contains(mutation.target) ||
    (mutation.type === 'childList' &&
      [...mutation.addedNodes, ...mutation.removedNodes].every((node) => node === button.host));
  const observer = new MutationObserver((mutations) => {
    if (mutations.every(ours)) return;
    const now = performance.now();
    waitingSince ??= now;
    clearTimeout(timer);
    timer = setTimeout(readNow, Math.max(0, Math.min(SETTLE_MS, waitingSince + MAX_WAIT_MS - now)));
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  signal.addEventListener(
    'abort',
    () => {
      observer.disconnect();
      clearTimeout(timer);
      browser.runtime.onMessage.removeListener(answerPanel);
    },
    { once: true },
  );

  // The panel asks which patient this tab shows; only the extension's own pages may ask.
  // No answer (undefined) tells the panel this tab shows no record page.
  function answerPanel(
    message: unknown,
    sender: Runtime.MessageSender,
  ): Promise<RecordReading | undefined> | undefined {
    if (!getRecordPatientSchema.safeParse(message).success) return undefined;
    if (sender.id !== browser.runtime.id || !(sender.url ?? '').startsWith(browser.runtime.getURL(''))) {
      return undefined;
    }
    if (!stillASite) return Promise.resolve(reading());
    return stillASite().then((still) => (still ? reading() : undefined));
  }
  browser.runtime.onMessage.addListener(answerPanel);

  update();
  return { read, current: () => current };
}
