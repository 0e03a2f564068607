/**
 * 32-bit FNV-1a of a string's UTF-16 code units, as an unsigned integer. Stable across runtimes
 * and processes, unlike any built-in hash, so the cloud (luminaire shards) and the controllers
 * (their place in a spread) derive the same number from a name wherever they run.
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
