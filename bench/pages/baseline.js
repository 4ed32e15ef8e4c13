// The plain-DOM baseline the widget is measured against: the same feed, the same 20 articles with the same
// fields, filled with textContent, and the same search, with no framework, no schema and no shadow root.
(() => {
  const DAYS = {
    MO: 'Monday',
    TU: 'Tuesday',
    WE: 'Wednesday',
    TH: 'Thursday',
    FR: 'Friday',
    SA: 'Saturday',
    SU: 'Sunday',
  };
  const root = document.getElementById('baseline');
  const el = (tag, text, parent) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    parent.append(node);
    return node;
  };
  fetch(root.dataset.src)
    .then((response) => response.json())
    .then((feed) => {
      const offers = feed.contents.map((service) => {
        const location = service.service_at_locations?.[0]?.location;
        const address = location?.addresses?.[0];
        const schedule = service.schedules?.[0];
        return {
          name: service.name,
          organisation: service.organization?.name,
          description: service.description,
          when: schedule && `${DAYS[schedule.byday] ?? ''}s ${schedule.opens_at} to ${schedule.closes_at}`,
          where:
            location && [location.name, address?.address_1, address?.city, address?.postal_code].join(', '),
          cost: service.fees_description,
          join: service.application_process,
          phone: service.phones?.[0]?.number,
          email: service.email,
        };
      });
      const texts = offers.map((o) => `${o.name} ${o.organisation} ${o.description}`.toLowerCase());
      el('h2', 'Activities and support', root);
      const label = el('label', 'Search offers', root);
      label.htmlFor = 'q';
      const input = el('input', undefined, root);
      input.id = 'q';
      input.type = 'search';
      const count = el('p', '', root);
      count.setAttribute('aria-live', 'polite');
      const list = el('div', undefined, root);
      const draw = (query) => {
        const words = query.toLowerCase().split(' ').filter(Boolean);
        const results = offers.filter((_, i) => words.every((word) => texts[i].includes(word)));
        count.textContent = `Showing ${Math.min(20, results.length)} of ${results.length} offers`;
        list.textContent = '';
        for (const offer of results.slice(0, 20)) {
          const article = el('article', undefined, list);
          el('h3', offer.name, article);
          el('p', offer.organisation, article);
          el('p', offer.description, article);
          const dl = el('dl', undefined, article);
          for (const [term, value] of [
            ['When', offer.when],
            ['Where', offer.where],
            ['Cost', offer.cost],
            ['How to join', offer.join],
            ['Phone', offer.phone],
            ['Email', offer.email],
          ]) {
            if (!value) continue;
            el('dt', term, dl);
            el('dd', value, dl);
          }
          el('button', 'Add to calendar', article);
        }
      };
      input.addEventListener('input', () => draw(input.value));
      draw('');
    });
})();
