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

/**
 * Values loaded many keys at a time (a batch's thing names): each call loads, in one `load`, only
 * the keys not held or expired, and keeps for `ttlSeconds` each key's value (undefined when `load`
 * did not return one) and every other value `load` returned (a load that reads a whole inventory
 * answers the next calls too). A failed load is not cached.
 */
export function cachedByKeys<K, T>(
  load: (keys: readonly K[]) => Promise<readonly T[]>,
  keyOf: (value: T) => K,
  ttlSeconds: number,
  now: () => number,
): (keys: readonly K[]) => Promise<T[]> {
  const entries = new Map<K, { loaded: Promise<Map<K, T>>; loadedAt: number }>();
  const fresh = (key: K, t: number) => {
    const entry = entries.get(key);
    return entry !== undefined && t - entry.loadedAt < ttlSeconds;
  };
  return async (keys) => {
    const t = now();
    const unique = [...new Set(keys)];
    const missing = unique.filter((key) => !fresh(key, t));
    if (missing.length > 0) {
      const current = {
        loaded: load(missing).then((values) => new Map(values.map((v) => [keyOf(v), v] as const))),
        loadedAt: t,
      };
      for (const key of missing) entries.set(key, current);
      current.loaded.then(
        (values) => {
          for (const key of values.keys()) if (!fresh(key, t)) entries.set(key, current);
        },
        () => {
          for (const key of missing) if (entries.get(key) === current) entries.delete(key);
        },
      );
    }
    const found: T[] = [];
    for (const key of unique) {
      const value = (await entries.get(key)?.loaded)?.get(key);
      if (value !== undefined) found.push(value);
    }
    return found;
  };
}
