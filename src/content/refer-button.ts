// The `Refer to link worker` button on a record page (CONTRACT.md section 3). It lives in its own
// shadow root so the clinical system's CSS cannot restyle it and its CSS cannot reach the page, and
// its host is a child of <body>, outside the single-page app's own root, so the app never re-renders it.

const STYLE = `
:host { all: initial; }
.wrap { display: flex; flex-direction: column; align-items: flex-end; gap: 4px;
  font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; font-size: 16px; line-height: 1.5; }
button { font: inherit; font-weight: 600; color: #fff; background: #007f3b; border: 2px solid transparent;
  border-radius: 4px; box-shadow: 0 4px 0 #00401e; padding: 6px 14px 4px; cursor: pointer; white-space: nowrap; }
button:hover { background: #00662f; }
button:focus-visible { background: #ffeb3b; color: #212b32; box-shadow: 0 4px 0 #212b32; outline: 4px solid transparent; }
button:active { transform: translateY(2px); box-shadow: 0 2px 0 #00401e; }
.note { max-width: 22em; background: #fff; color: #212b32; border-left: 4px solid #005eb8; padding: 4px 8px; }
.note:empty { display: none; }
`;

export interface ReferButton {
  /** Shows the button beside `anchor` (the patient banner). */
  show(anchor: Element | undefined): void;
  hide(): void;
  /** A short note under the button (for when the panel could not be opened for the GP). */
  note(text: string): void;
  /** The host element, which detection skips. */
  host: HTMLElement;
}

export function createReferButton(document: Document, signal: AbortSignal, onPress: () => void): ReferButton {
  const host = document.createElement('linkwell-refer');
  host.setAttribute('data-linkwell', '');
  host.style.cssText = 'position:absolute;z-index:2147483646;top:0;left:0;display:none;';
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = STYLE;
  const wrap = document.createElement('div');
  wrap.className = 'wrap';
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Refer to link worker';
  const note = document.createElement('p');
  note.className = 'note';
  note.setAttribute('role', 'status');
  wrap.append(button, note);
  root.append(style, wrap);
  button.addEventListener('click', onPress, { signal });

  let anchor: Element | undefined;
  const place = () => {
    if (host.style.display === 'none') return;
    const view = document.defaultView;
    if (!anchor?.isConnected || !view) {
      host.style.position = 'fixed';
      host.style.top = '8px';
      host.style.left = '';
      host.style.right = '8px';
      return;
    }
    // Just under the banner's bottom right corner: near the patient it refers, without covering any
    // of the banner's own details (name, born, NHS number). A banner that stays put while the page
    // scrolls (position fixed or sticky) takes the button with it.
    const rect = anchor.getBoundingClientRect();
    const pinned = isPinned(anchor, view);
    const width = host.offsetWidth || 200;
    const left = Math.max(8, Math.min(rect.right - width - 8, view.innerWidth - width - 8));
    host.style.position = pinned ? 'fixed' : 'absolute';
    host.style.right = '';
    host.style.left = `${left + (pinned ? 0 : view.scrollX)}px`;
    host.style.top = `${rect.bottom + (pinned ? 0 : view.scrollY) + 6}px`;
  };
  document.defaultView?.addEventListener('resize', place, { signal, passive: true });
  signal.addEventListener('abort', () => host.remove(), { once: true });

  return {
    host,
    show(next) {
      anchor = next;
      if (!host.isConnected) document.body.append(host);
      host.style.display = 'block';
      place();
    },
    hide() {
      host.style.display = 'none';
      note.textContent = '';
    },
    note(text) {
      note.textContent = text;
    },
  };
}

function isPinned(element: Element, view: Window): boolean {
  let current: Element | null = element;
  for (let depth = 0; current && depth < 6; depth += 1) {
    const position = view.getComputedStyle(current).position;
    if (position === 'fixed' || position === 'sticky') return true;
    current = current.parentElement;
  }
  return false;
}
