/** A generated HSDS 3.0 `/services` page of `count` offers (see generate-feed.mjs). */
export function generateFeed(
  count: number,
): { contents: Record<string, unknown>[] } & Record<string, unknown>;
