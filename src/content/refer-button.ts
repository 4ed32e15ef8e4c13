// The `Refer to link worker` button on a record page (CONTRACT.md section 3). It lives in its own
// shadow root so the clinical system's CSS cannot restyle it and its CSS cannot reach the page. Its host
// goes in the page right after the patient banner, so a keyboard user reaches it next after the banner
// (WCAG 2.4.3 focus order); a single-page app that re-renders it away gets it back at the next reading.

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
    const pinned = isPinned(anchor, view);
    const position = pinned ? 'fixed' : 'absolute';
    if (host.style.position !== position) host.style.position = position;
    if (host.style.right !== '') host.style.right = '';
    if (host.style.left === '') host.style.left = '0px';
    if (host.style.top === '') host.style.top = '0px';
    const rect = anchor.getBoundingClientRect();
    // Where the host's containing block puts left 0, top 0: the host sits inside the page now, under
    // whatever positioned (or transformed) ancestor the banner has.
    const now = host.getBoundingClientRect();
    const originLeft = now.left - (Number.parseFloat(host.style.left) || 0);
    const originTop = now.top - (Number.parseFloat(host.style.top) || 0);
    const width = host.offsetWidth || 200;
    const left = Math.max(8, Math.min(rect.right - width - 8, view.innerWidth - width - 8));
    host.style.left = `${Math.round(left - originLeft)}px`;
    host.style.top = `${Math.round(rect.bottom + 6 - originTop)}px`;
  };
  /** Puts the host right after the banner (or at the end of <body> when there is no banner). */
  const insert = () => {
    const spot = anchor?.isConnected ? insertionPoint(anchor) : undefined;
    if (!spot) {
      if (host.parentNode !== document.body) document.body.append(host);
      return;
    }
    if (spot.inside) {
      if (host.parentNode !== spot.element || host.nextSibling) spot.element.append(host);
    } else if (spot.element.nextSibling !== host) {
      spot.element.after(host);
    }
  };
  /**
   * A banner inside a box that cuts off what overflows it (overflow hidden or clip) would hide the button
   * placed under it: the host then goes after that box instead, still next in the page's order.
   */
  const escapeClipping = () => {
    const view = document.defaultView;
    if (!view) return;
    // Only boxes that cut off what overflows: a scrolling pane still lets the GP scroll to the button.
    const clips = (overflow: string) => overflow === 'hidden' || overflow === 'clip';
    for (let box = host.parentElement; box && box !== document.body; box = box.parentElement) {
      const style = view.getComputedStyle(box);
      if (!clips(style.overflowX) && !clips(style.overflowY)) continue;
      const outer = box.getBoundingClientRect();
      const inner = host.getBoundingClientRect();
      const inside =
        inner.top >= outer.top &&
        inner.bottom <= outer.bottom &&
        inner.left >= outer.left &&
        inner.right <= outer.right;
      if (inside) continue;
      box.after(host);
      place();
    }
  };
  document.defaultView?.addEventListener('resize', place, { signal, passive: true });
  signal.addEventListener('abort', () => host.remove(), { once: true });

  return {
    host,
    show(next) {
      const moved = next !== anchor || !host.isConnected;
      anchor = next;
      host.style.display = 'block';
      if (moved) insert();
      place();
      if (moved) escapeClipping();
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

/**
 * Where the host goes for a banner element: right after it; inside a table cell or list item as its last
 * child (a custom element between table rows or list items is not allowed there); after the table
 * when the banner is a row or row group.
 */
function insertionPoint(anchor: Element): { element: Element; inside: boolean } {
  if (anchor.matches('td, th, li, dt, dd')) return { element: anchor, inside: true };
  if (anchor.matches('tr, thead, tbody, tfoot, caption, colgroup, col')) {
    const table = anchor.closest('table');
    if (table) return { element: table, inside: false };
  }
  if (anchor.matches('html, body, head')) return { element: anchor.ownerDocument.body, inside: true };
  return { element: anchor, inside: false };
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
