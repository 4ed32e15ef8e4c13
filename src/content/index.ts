// Record-page content script: registered at run time only on the practice's configured, granted
// record sites. Patient detection arrives with the referral panel work.

/** Starts the record-page features; everything they add ends when `signal` aborts. */
export function init(signal: AbortSignal): void {
  signal.addEventListener('abort', () => {}, { once: true });
}

init(new AbortController().signal);
