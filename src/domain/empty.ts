/**
 * The list a look-up that misses stands in with (`map.get(key) ?? EMPTY`), shared so that the miss allocates
 * nothing. Not frozen: `for … of` over a frozen array leaves V8's fast path and allocates on every step.
 */
export const EMPTY: readonly never[] = [];
