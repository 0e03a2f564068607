/**
 * Values kept for a while in a warm container (site configuration, the thing -> luminaire map, the
 * presence index), so each invocation does not reload them. `now` is epoch seconds. A failed load
 * is not cached.
 */
export function cachedValue<T>(
  load: () => Promise<T>,
  ttlSeconds: number,
  now: () => number,
): () => Promise<T> {
  let entry: { value: Promise<T>; loadedAt: number } | undefined;
  return () => {
    const t = now();
    if (entry === undefined || t - entry.loadedAt >= ttlSeconds) {
      const value = load();
      const current = { value, loadedAt: t };
      entry = current;
      value.catch(() => {
        if (entry === current) entry = undefined;
      });
    }
    return entry.value;
  };
}

export function cachedByKey<K, T>(
  load: (key: K) => Promise<T>,
  ttlSeconds: number,
  now: () => number,
): (key: K) => Promise<T> {
  const entries = new Map<K, () => Promise<T>>();
  return (key) => {
    let get = entries.get(key);
    if (get === undefined) {
      get = cachedValue(() => load(key), ttlSeconds, now);
      entries.set(key, get);
    }
    return get();
  };
}
