import { createHash } from 'node:crypto';

/** The value with every object's keys sorted, recursively: one JSON text per value, whatever the key order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * The strong ETag of a configuration item as an item GET returns it: `"` + the first 16 hex chars of
 * the SHA-256 of its canonical JSON + `"`. The API and the CLI compute it alike, so a client can
 * send back the ETag of the item it read (If-Match) without keeping the header.
 */
export function etagOf(value: unknown): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex');
  return `"${digest.slice(0, 16)}"`;
}
