/**
 * The facts that are the only one of the batch for their row (by `keyOf`), by key. Such a row
 * needs no load when its fact creates it (RowCache.createUnlessPresent) or sets columns to values
 * the fact carries (RowCache.patch): nothing else in the batch folds over it, so there is no
 * order to keep in memory. Rows with several facts are loaded and folded in order as before.
 */
export const singleFacts = <F>(facts: readonly F[], keyOf: (fact: F) => string): Map<string, F> => {
  const seen = new Map<string, F | null>();
  for (const fact of facts) {
    const key = keyOf(fact);
    seen.set(key, seen.has(key) ? null : fact);
  }
  const single = new Map<string, F>();
  for (const [key, fact] of seen) if (fact !== null) single.set(key, fact);
  return single;
};
