import { describe, expect, it } from 'vitest';
import type { Offer } from './offer';
import {
  categoriesOf,
  foldText,
  hasAges,
  indexOffers,
  isFiltered,
  NO_FILTERS,
  searchOffers,
} from './offer-search';

const offer = (id: string, fields: Partial<Offer> = {}): Offer => ({
  id,
  name: id,
  categories: [],
  schedules: [],
  howToJoin: [],
  status: 'active',
  ...fields,
});

const walk = offer('Riverside walk', {
  organisation: { name: 'Frome Ramblers' },
  description: 'A gentle stroll by the river.',
  categories: ['Physical activity'],
  schedules: [{ byDay: ['TU'] }],
  cost: { free: true },
});
const art = offer('Art club', {
  description: 'Painting and a walk around the galleries.',
  categories: ['Arts and creativity'],
  schedules: [{ byDay: ['1SA'], freq: 'MONTHLY' }],
  cost: { free: false, text: '£3' },
  eligibility: { minAge: 18 },
});
const cafe = offer('Café Crème conversation', {
  categories: ['arts and creativity', 'Befriending'],
  schedules: [{ freq: 'DAILY' }],
  eligibility: { minAge: 60, maxAge: 99 },
});
const index = indexOffers([walk, art, cafe]);
const names = (filters: Partial<typeof NO_FILTERS>) =>
  searchOffers(index, { ...NO_FILTERS, ...filters }).map((o) => o.name);

describe('searchOffers', () => {
  it('lists everything in feed order with no filters', () => {
    expect(names({})).toEqual(['Riverside walk', 'Art club', 'Café Crème conversation']);
  });

  it('ranks name matches before description matches', () => {
    expect(names({ query: 'walk' })).toEqual(['Riverside walk', 'Art club']);
  });

  it('needs every word, in any order, across name, organisation and description', () => {
    expect(names({ query: 'ramblers river' })).toEqual(['Riverside walk']);
    expect(names({ query: 'ramblers painting' })).toEqual([]);
  });

  it('ignores case and accents', () => {
    expect(names({ query: 'CAFE creme' })).toEqual(['Café Crème conversation']);
  });

  it('filters by category, whatever its case', () => {
    expect(names({ category: 'ARTS AND CREATIVITY' })).toEqual(['Art club', 'Café Crème conversation']);
  });

  it('filters by day, counting monthly positions and daily offers', () => {
    expect(names({ day: 'TU' })).toEqual(['Riverside walk', 'Café Crème conversation']);
    expect(names({ day: 'SA' })).toEqual(['Art club', 'Café Crème conversation']);
  });

  it('keeps only offers known to be free', () => {
    expect(names({ freeOnly: true })).toEqual(['Riverside walk']);
  });

  it('keeps offers open to an age, and those stating none', () => {
    expect(names({ age: 30 })).toEqual(['Riverside walk', 'Art club']);
    expect(names({ age: 70 })).toEqual(['Riverside walk', 'Art club', 'Café Crème conversation']);
    expect(names({ age: 12 })).toEqual(['Riverside walk']);
  });

  it('combines filters', () => {
    expect(names({ category: 'Arts and creativity', day: 'SA', age: 20 })).toEqual(['Art club']);
  });
});

describe('helpers', () => {
  it('folds text', () => {
    expect(foldText('  Café\n CRÈME ')).toBe('cafe creme');
  });

  it('lists categories once each, alphabetically', () => {
    expect(categoriesOf([walk, art, cafe])).toEqual([
      'Arts and creativity',
      'Befriending',
      'Physical activity',
    ]);
  });

  it('knows whether any offer states ages', () => {
    expect(hasAges([walk])).toBe(false);
    expect(hasAges([walk, art])).toBe(true);
  });

  it('knows when filters narrow the list', () => {
    expect(isFiltered(NO_FILTERS)).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, query: '  ' })).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, age: 0 })).toBe(true);
  });
});
