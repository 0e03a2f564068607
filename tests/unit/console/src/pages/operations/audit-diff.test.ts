import { describe, expect, it } from 'vitest';
import { diffValue, jsonDiff } from '#console/src/pages/operations/audit-diff.ts';

describe('the audit diff', () => {
  it('names each changed leaf by its path, with before and after', () => {
    const before = { name: 'residential', steps: [{ at: '23:00', level: 50 }], fadeSeconds: 30 };
    const after = { name: 'residential', steps: [{ at: '23:00', level: 30 }], fadeSeconds: 30 };
    expect(jsonDiff(before, after).lines).toEqual([
      { path: 'steps[0].level', change: 'changed', before: 50, after: 30 },
    ]);
  });

  it('tells added and removed fields and array items apart', () => {
    const { lines } = jsonDiff(
      { steps: [{ level: 50 }], reason: 'x' },
      { steps: [{ level: 50 }, { level: 20 }], until: '2026-12-01' },
    );
    expect(lines).toEqual([
      { path: 'reason', change: 'removed', before: 'x' },
      { path: 'steps[1]', change: 'added', after: { level: 20 } },
      { path: 'until', change: 'added', after: '2026-12-01' },
    ]);
  });

  it('shows a creation and a deletion as the whole value', () => {
    expect(jsonDiff(null, { a: 1 }).lines).toEqual([{ path: '', change: 'added', after: { a: 1 } }]);
    expect(jsonDiff({ a: 1 }, undefined).lines).toEqual([{ path: '', change: 'removed', before: { a: 1 } }]);
  });

  it('finds nothing between equal values', () => {
    expect(jsonDiff({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }).lines).toEqual([]);
  });

  it('quotes keys that are not identifiers', () => {
    const { lines } = jsonDiff({ 'rue de la paix': 1 }, { 'rue de la paix': 2 });
    expect(lines[0]?.path).toBe('["rue de la paix"]');
  });

  it('keeps a bulk change readable: at most the limit, and how many were left out', () => {
    const before = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
    const after = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i + 1]));
    const diff = jsonDiff(before, after, 4);
    expect(diff.lines).toHaveLength(4);
    expect(diff.omitted).toBe(6);
  });

  it('prints values as compact JSON, cut when long', () => {
    expect(diffValue('on')).toBe('"on"');
    expect(diffValue({ level: 30 })).toBe('{"level":30}');
    expect(diffValue('x'.repeat(300), 10)).toHaveLength(10);
  });
});
