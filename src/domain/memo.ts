/**
 * Memoises `compute(key)` on the key object itself, under a private symbol (non-enumerable, so JSON,
 * spreads and equality checks never see it). Per-request results are kept this way rather than in a
 * WeakMap: a WeakMap's entries kept each request's results alive through young-generation collections,
 * which then promoted them (about 20 µs a request, BENCHMARKS.md); here they die with the request.
 */
export function memoOn<K extends object, V>(slot: symbol, key: K, compute: (key: K) => V): V {
  const held = (key as Record<symbol, V | undefined>)[slot];
  if (held !== undefined) return held;
  const value = compute(key);
  Object.defineProperty(key, slot, { value });
  return value;
}
