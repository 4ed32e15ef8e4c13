// The embeddable offers widget: one classic script that defines <linkwell-offers>.

class LinkwellOffers extends HTMLElement {
  connectedCallback(): void {
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    root.textContent = '';
  }
}

// Loading the script twice must do no harm (contract section 5).
if (!customElements.get('linkwell-offers')) customElements.define('linkwell-offers', LinkwellOffers);
