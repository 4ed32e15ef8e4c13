import { isFiltered, NO_FILTERS, type OfferFilters } from '../core/offer-search';
import { DAY_CODES, DAY_NAMES, type DayCode } from '../core/schedule-text';

export interface OfferFiltersProps {
  filters: OfferFilters;
  /** Category names to choose from (see `categoriesOf`). */
  categories: string[];
  /** Show the age box: only when some offers state ages (see `hasAges`). */
  showAge: boolean;
  onChange: (filters: OfferFilters) => void;
  /** Starts the controls' ids: unique in the document or shadow root (default `lw-`). */
  idPrefix?: string;
}

const value = (event: Event) => (event.currentTarget as HTMLInputElement | HTMLSelectElement).value;

/** Search and filters for a list of offers. Controlled: the caller keeps `filters` and searches. */
export function OfferFiltersForm({ filters, categories, showAge, onChange, idPrefix }: OfferFiltersProps) {
  const id = idPrefix ?? 'lw-';
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
      <div class="lw-field lw-search">
        <label for={`${id}q`}>Search offers</label>
        <input
          id={`${id}q`}
          type="search"
          value={filters.query}
          autocomplete="off"
          onInput={(event) => set({ query: value(event) })}
        />
      </div>
      <div class="lw-field">
        <label for={`${id}c`}>Category</label>
        <select id={`${id}c`} value={chosen} onChange={(event) => set({ category: value(event) })}>
          <option value="">All categories</option>
          {choices.map((name) => (
            <option value={name}>{name}</option>
          ))}
        </select>
      </div>
      <div class="lw-field">
        <label for={`${id}d`}>Day</label>
        <select
          id={`${id}d`}
          value={filters.day}
          onChange={(event) => set({ day: value(event) as DayCode | '' })}
        >
          <option value="">Any day</option>
          {DAY_CODES.map((code, i) => (
            <option value={code}>{DAY_NAMES[i]}</option>
          ))}
        </select>
      </div>
      {showAge && (
        <div class="lw-field lw-age">
          <label for={`${id}a`}>Age</label>
          <input
            id={`${id}a`}
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
        </div>
      )}
      <div class="lw-field lw-check">
        <input
          id={`${id}f`}
          type="checkbox"
          checked={filters.freeOnly}
          onChange={(event) => set({ freeOnly: (event.currentTarget as HTMLInputElement).checked })}
        />
        <label for={`${id}f`}>Free only</label>
      </div>
      {isFiltered(filters) && (
        <button type="button" class="lw-link" onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </button>
      )}
    </form>
  );
}
