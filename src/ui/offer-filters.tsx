import { isFiltered, NO_FILTERS, type OfferFilters } from '../core/offer-search';
import { DAY_CODES, DAY_NAMES, type DayCode } from '../core/schedule-text';

export interface OfferFiltersProps {
  filters: OfferFilters;
  /** Category names to choose from (see `categoriesOf`). */
  categories: string[];
  /** Show the age box: only when some offers state ages (see `hasAges`). */
  showAge: boolean;
  onChange: (filters: OfferFilters) => void;
}

const value = (event: Event) => (event.currentTarget as HTMLInputElement | HTMLSelectElement).value;

/**
 * Search and filters for a list of offers. Controlled: the caller keeps `filters` and searches. Each control
 * sits inside its label, which names it without ids (none to clash in the page or shadow root).
 */
export function OfferFiltersForm({ filters, categories, showAge, onChange }: OfferFiltersProps) {
  const set = (change: Partial<OfferFilters>) => onChange({ ...filters, ...change });
  // A preselected category the feed does not have still shows as chosen, so the empty list makes sense.
  const choices =
    filters.category && !categories.some((c) => c.toLowerCase() === filters.category.toLowerCase())
      ? [filters.category, ...categories]
      : categories;
  const chosen = choices.find((c) => c.toLowerCase() === filters.category.toLowerCase()) ?? '';
  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is a newer element than the partners' browsers may know; role="search" is understood everywhere
    <form class="lw-filters" role="search" onSubmit={(event) => event.preventDefault()}>
      <label class="lw-field lw-search">
        Search offers
        <input
          type="search"
          value={filters.query}
          autocomplete="off"
          onInput={(event) => set({ query: value(event) })}
        />
      </label>
      <label class="lw-field">
        Category
        <select value={chosen} onChange={(event) => set({ category: value(event) })}>
          <option value="">All categories</option>
          {choices.map((name) => (
            <option value={name}>{name}</option>
          ))}
        </select>
      </label>
      <label class="lw-field">
        Day
        <select value={filters.day} onChange={(event) => set({ day: value(event) as DayCode | '' })}>
          <option value="">Any day</option>
          {DAY_CODES.map((code, i) => (
            <option value={code}>{DAY_NAMES[i]}</option>
          ))}
        </select>
      </label>
      {showAge && (
        <label class="lw-field lw-age">
          Age
          <input
            type="number"
            inputmode="numeric"
            min="0"
            max="120"
            value={filters.age ?? ''}
            onInput={(event) => {
              const age = Number.parseInt(value(event), 10);
              set({ age: age >= 0 && age <= 150 ? age : undefined });
            }}
          />
        </label>
      )}
      <label class="lw-field lw-check">
        <input
          type="checkbox"
          checked={filters.freeOnly}
          onChange={(event) => set({ freeOnly: (event.currentTarget as HTMLInputElement).checked })}
        />
        Free only
      </label>
      {isFiltered(filters) && (
        <button type="button" class="lw-link" onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </button>
      )}
    </form>
  );
}
