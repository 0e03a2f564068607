/** The value of `key` in `map`, computed and stored on first use (as TC39's Map#getOrInsertComputed). */
export function getOrInsertComputed<K, V>(map: Map<K, V>, key: K, compute: (key: K) => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = compute(key);
    map.set(key, value);
  }
  return value;
}

/**
 * Values computed once per (zone, street): calendar rules and overrides select luminaires by those,
 * so every luminaire of a street (not named by id) gets the same answer.
 */
export class PlaceCache<T> {
  private readonly zones = new Map<string, Map<string, T>>();

  get(zone: string, street: string, compute: () => T): T {
    return getOrInsertComputed(getOrInsertComputed(this.zones, zone, newStreetMap<T>), street, compute);
  }
}

/** Module-level, so a lookup does not allocate a closure. */
function newStreetMap<T>(): Map<string, T> {
  return new Map();
}
