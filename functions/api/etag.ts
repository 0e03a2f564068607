import { createHash } from 'node:crypto';

/**
 * The strong ETag of a configuration item: the quoted first 16 hex characters of the SHA-256 of its
 * canonical JSON (object keys sorted recursively), so equal items have equal tags whatever the key
 * order they were written in.
 */
export function etagOf(value: unknown): string {
  const digest = createHash('sha256').update(canonicalJson(value)).digest('hex');
  return `"${digest.slice(0, 16)}"`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
