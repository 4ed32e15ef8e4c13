// A generated HSDS 3.0 `/services` page of many offers, for the benchmark and the widget's cap tests.
// Deterministic: the same count gives the same feed.

const ACTIVITIES = [
  'Walking group',
  'Art class',
  'Choir',
  'Befriending calls',
  'Garden club',
  'Museum tour',
  'Reading group',
  'Craft circle',
  'Chair yoga',
  "Men's shed",
  'Memory café',
  'Photography walk',
];
const PLACES = [
  'Bristol',
  'Bath',
  'Frome',
  'Stroud',
  'Taunton',
  'Exeter',
  'Truro',
  'Yeovil',
  'Wells',
  'Weston',
];
const CATEGORIES = [
  'Arts and creativity',
  'Physical activity',
  'Befriending',
  'Green and outdoors',
  'Heritage and museums',
  'Learning',
  'Mental wellbeing',
  'Music',
];
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** @param {number} count @returns {object} */
export function generateFeed(count) {
  const contents = [];
  for (let i = 0; i < count; i++) {
    const activity = ACTIVITIES[i % ACTIVITIES.length];
    const town = PLACES[(i * 7) % PLACES.length];
    const hour = 9 + (i % 8);
    contents.push({
      id: `gen-${i}`,
      name: `${town} ${activity} ${i}`,
      description:
        `A friendly ${activity.toLowerCase()} in ${town} for people who would like to meet others, ` +
        `try something new and feel more connected. Session ${i}.`,
      status: 'active',
      url: `https://offers.example.org/${i}`,
      email: `hello${i}@example.org`,
      application_process:
        i % 3 ? 'Drop in, or refer yourself by email.' : 'Through a social prescribing link worker.',
      fees_description: i % 4 ? 'Free' : '£2 a session',
      minimum_age: i % 5 ? undefined : 18,
      assured_date: i % 6 ? undefined : '2025-09-01',
      organization: {
        id: `org-${i % 200}`,
        name: `${town} Community Trust ${i % 200}`,
        description: 'Charity',
      },
      cost_options: i % 4 ? [{ id: `c-${i}`, amount: 0, currency: 'GBP' }] : [],
      schedules: [
        {
          id: `s-${i}`,
          freq: 'WEEKLY',
          byday: DAYS[i % 7],
          opens_at: `${String(hour).padStart(2, '0')}:00`,
          closes_at: `${String(hour + 2).padStart(2, '0')}:00`,
        },
      ],
      attributes: [
        { id: `a-${i}`, taxonomy_term: { id: `t-${i % 8}`, name: CATEGORIES[i % CATEGORIES.length] } },
      ],
      phones: [{ id: `p-${i}`, number: `0117 496 0${String(i % 1000).padStart(3, '0')}` }],
      service_at_locations: [
        {
          id: `sal-${i}`,
          location: {
            id: `l-${i}`,
            name: `${town} Hall`,
            addresses: [
              {
                id: `ad-${i}`,
                address_1: `${1 + (i % 90)} High Street`,
                city: town,
                postal_code: 'BS1 1AA',
                address_type: 'physical',
              },
            ],
            accessibility: [{ id: `ac-${i}`, description: 'Step-free entrance' }],
          },
        },
      ],
    });
  }
  return {
    total_items: count,
    total_pages: 1,
    page_number: 1,
    size: count,
    first_page: true,
    last_page: true,
    empty: count === 0,
    contents,
  };
}
