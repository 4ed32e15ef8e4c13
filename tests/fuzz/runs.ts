/**
 * How many generated inputs each property tries: a few hundred in `npm test`, 10,000 or more in
 * `npm run fuzz` (which sets FUZZ_RUNS).
 */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** Counts inputs tried per boundary, printed at the end of a fuzz run for the notes. */
export const tried = new Map<string, number>();
export function count(boundary: string): void {
  tried.set(boundary, (tried.get(boundary) ?? 0) + 1);
}
