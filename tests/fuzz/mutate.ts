import fc from 'fast-check';

// Mutated inputs: a valid example with one value somewhere inside replaced, removed or retyped. Most
// of what reaches a boundary in real life is nearly right, so this finds more than random JSON alone.

/** A deep copy of `value` with the value at `path` (indices taken modulo each level's size) replaced. */
export function mutate(value: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const [step = 0, ...rest] = path;
  if (Array.isArray(value)) {
    if (value.length === 0) return replacement;
    const index = step % value.length;
    return value.map((item, i) => (i === index ? mutate(item, rest, replacement) : item));
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[step % keys.length] as string;
  return {
    ...(value as Record<string, unknown>),
    [key]: mutate((value as Record<string, unknown>)[key], rest, replacement),
  };
}

/** `seed` mutated once at a random depth, by any JSON value or `undefined` (a field left out). */
export const mutationOf = (seed: unknown) =>
  fc
    .tuple(
      fc.array(fc.nat(), { maxLength: 6 }),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)),
    )
    .map(([path, replacement]) => mutate(seed, path, replacement));

/** `seed` from an arbitrary: as it is, mutated once or twice, or replaced by anything at all. */
export const validThenMutated = <T>(seed: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 4, arbitrary: seed as fc.Arbitrary<unknown> },
    { weight: 4, arbitrary: seed.chain((value) => mutationOf(value)) },
    { weight: 1, arbitrary: seed.chain((value) => mutationOf(value).chain((once) => mutationOf(once))) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
  );
