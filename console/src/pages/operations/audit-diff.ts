/**
 * A readable diff of an audit entry's `before` and `after` JSON: one line per leaf that was added,
 * removed or changed, named by its path (`steps[1].level`), so a reviewer sees "level 50 → 30"
 * instead of two JSON documents to compare by eye.
 */

export type DiffChange = 'added' | 'removed' | 'changed';

export interface DiffLine {
  /** Dotted path with array indexes; empty for the whole value. */
  readonly path: string;
  readonly change: DiffChange;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface JsonDiff {
  readonly lines: readonly DiffLine[];
  /** Lines left out past the limit (a bulk import's entry can change thousands of leaves). */
  readonly omitted: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const keyPath = (path: string, key: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? (path === '' ? key : `${path}.${key}`) : `${path}[${JSON.stringify(key)}]`;

export function jsonDiff(before: unknown, after: unknown, limit = 200): JsonDiff {
  const lines: DiffLine[] = [];
  let omitted = 0;
  const push = (line: DiffLine) => {
    if (lines.length < limit) lines.push(line);
    else omitted += 1;
  };
  const walk = (path: string, a: unknown, b: unknown) => {
    if (a === undefined && b === undefined) return;
    if (a === undefined) return push({ path, change: 'added', after: b });
    if (b === undefined) return push({ path, change: 'removed', before: a });
    if (isRecord(a) && isRecord(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const key of keys) walk(keyPath(path, key), a[key], b[key]);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) walk(`${path}[${i}]`, a[i], b[i]);
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) push({ path, change: 'changed', before: a, after: b });
  };
  walk('', before ?? undefined, after ?? undefined);
  return { lines, omitted };
}

/** A value of a diff line as compact JSON, cut at `max` characters. */
export function diffValue(value: unknown, max = 120): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? 'null');
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
