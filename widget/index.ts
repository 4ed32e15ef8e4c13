// The embeddable offers widget: one classic script that defines <linkwell-offers> (CONTRACT.md section 5).
import { createElement, render } from 'preact';
import { OffersApp } from './offers-app';
import css from './styles.css?inline';

const INLINE_FEED = ':scope > script[type="application/json"]';

// One constructed stylesheet shared by every element: unlike a <style> element, it is not blocked by a host
// page's Content-Security-Policy `style-src`. Browsers without constructable stylesheets get a <style>.
// https://w3c.github.io/webappsec-csp/#style-src (applies to inline <style>, not to CSSOM)
const styles = [css]; // one reference, so the bundler does not copy the whole string to each use
let sheet: CSSStyleSheet | undefined;
try {
  sheet = new CSSStyleSheet();
  sheet.replaceSync(styles[0] ?? '');
} catch {
  sheet = undefined;
}

class LinkwellOffers extends HTMLElement {
  static observedAttributes = ['src', 'category', 'heading'];
  #watcher?: MutationObserver;

  connectedCallback(): void {
    this.#draw();
    // An inline feed edited in place (a CMS, the builder's preview) is read again.
    this.#watcher ??= new MutationObserver(() => this.#draw());
    this.#watcher.observe(this, { childList: true, subtree: true, characterData: true });
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.#draw();
  }

  disconnectedCallback(): void {
    this.#watcher?.disconnect();
    // Unmounting runs the effects' clean-ups, which abort any fetch in flight.
    if (this.shadowRoot) render(null, this.shadowRoot);
  }

  #draw(): void {
    try {
      const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
      const src = this.getAttribute('src');
      const inline = this.querySelector(INLINE_FEED)?.textContent ?? undefined;
      // Upgraded while the page is still parsing, an inline feed may not have arrived yet.
      if (!src && inline === undefined && document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', () => this.isConnected && this.#draw(), { once: true });
        return;
      }
      if (sheet) root.adoptedStyleSheets = [sheet];
      render(
        // Its own language, whatever the host page's: screen readers pronounce it as British English.
        createElement('div', { class: 'lw-root', lang: 'en-GB' }, [
          !sheet && createElement('style', null, styles),
          createElement(OffersApp, {
            src: src || undefined,
            inline,
            category: this.getAttribute('category') ?? '',
            heading: (this.getAttribute('heading') ?? 'Activities and support').trim(),
          }),
        ]),
        root,
      );
    } catch {
      // Never throw into the host page; say so in the widget instead.
      const alert = document.createElement('p');
      alert.setAttribute('role', 'alert');
      alert.textContent = 'The offers could not be shown.';
      this.shadowRoot?.replaceChildren(alert);
    }
  }
}

// Loading the script twice must do no harm (contract section 5).
if (!customElements.get('linkwell-offers')) customElements.define('linkwell-offers', LinkwellOffers);
