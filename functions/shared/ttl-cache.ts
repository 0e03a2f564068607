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

/** How long a held value counts as current: a key's value, or the finding that it has none. */
export interface KeyTtl {
  readonly found: number;
  readonly absent: number;
}

/**
 * Values loaded many keys at a time (a batch's thing names): each call loads, in one `load`, only
 * the keys not held or expired. Every value `load` returned is held `ttl.found` seconds, also those
 * of keys not asked for (a load that reads a whole inventory answers the next calls too); a key
 * asked for that `load` had no value for is held `ttl.absent` seconds, so a value added since is
 * found soon after. A call first waits for the loads in flight, which may answer it: concurrent
 * calls share one whole-inventory read instead of each making its own. A failed load is not cached.
 */
export function cachedByKeys<K, T>(
  load: (keys: readonly K[]) => Promise<readonly T[]>,
  keyOf: (value: T) => K,
  ttl: KeyTtl,
  now: () => number,
): (keys: readonly K[]) => Promise<T[]> {
  const held = new Map<K, { value: T | undefined; loadedAt: number }>();
  const loading = new Set<Promise<void>>();
  const missingOf = (keys: readonly K[]) => {
    const t = now();
    return keys.filter((key) => {
      const entry = held.get(key);
      return (
        entry === undefined || t - entry.loadedAt >= (entry.value === undefined ? ttl.absent : ttl.found)
      );
    });
  };
  return async (keys) => {
    const unique = [...new Set(keys)];
    let missing = missingOf(unique);
    while (missing.length > 0 && loading.size > 0) {
      await Promise.allSettled(loading);
      missing = missingOf(missing);
    }
    if (missing.length > 0) {
      const loadedAt = now();
      const loaded = load(missing).then((values) => {
        for (const key of missing) held.set(key, { value: undefined, loadedAt });
        for (const value of values) held.set(keyOf(value), { value, loadedAt });
      });
      loading.add(loaded);
      try {
        await loaded;
      } finally {
        loading.delete(loaded);
      }
    }
    return unique.flatMap((key) => {
      const value = held.get(key)?.value;
      return value === undefined ? [] : [value];
    });
  };
}

/** How much `heldByKey` holds at most. */
export interface HoldBounds<T> {
  /** Values held at most: past it, the one computed first is dropped. */
  readonly entries: number;
  /**
   * The approximate total size held at most, as `sizeOf` counts a computed value (in flight ones
   * count nothing): past it, the values computed first are dropped, a value larger alone is not held.
   */
  readonly size?: { readonly max: number; readonly of: (value: T) => number };
}

/**
 * Values computed by key and held `ttlSeconds` in a warm container (the open nights a report
 * closed, for the reports asked right after it); expired ones are dropped whenever a value is
 * asked. Concurrent calls for a key share one computation; a failed one is not held. `bounds` caps
 * what is held, so a burst of distinct keys cannot grow the container's memory without limit.
 */
export function heldByKey<T>(
  ttlSeconds: number,
  now: () => number,
  bounds: HoldBounds<T>,
): (key: string, compute: () => Promise<T>) => Promise<T> {
  // A Map iterates in insertion order: the first entries are the ones computed first.
  const held = new Map<string, { value: Promise<T>; computedAt: number; size: number }>();
  let heldSize = 0;
  const drop = (key: string) => {
    heldSize -= held.get(key)?.size ?? 0;
    held.delete(key);
  };
  const dropOldestWhile = (over: () => boolean) => {
    for (const key of held.keys()) {
      if (!over()) return;
      drop(key);
    }
  };
  return (key, compute) => {
    const t = now();
    for (const [k, entry] of held) if (t - entry.computedAt >= ttlSeconds) drop(k);
    const entry = held.get(key);
    if (entry !== undefined) return entry.value;
    dropOldestWhile(() => held.size >= bounds.entries);
    const current = { value: compute(), computedAt: t, size: 0 };
    held.set(key, current);
    current.value.then(
      (value) => {
        const size = bounds.size;
        if (size === undefined || held.get(key) !== current) return;
        current.size = size.of(value);
        heldSize += current.size;
        dropOldestWhile(() => heldSize > size.max);
      },
      () => {
        if (held.get(key) === current) drop(key);
      },
    );
    return current.value;
  };
}
