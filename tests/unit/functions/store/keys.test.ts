import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LUMINAIRE_SHARDS, shardOf, siteKeys } from '#functions/store/keys.ts';
import { monthsBetween } from '#functions/store/periods.ts';

describe('luminaire shards', () => {
  it('puts a luminaire in the same shard in every process (FNV-1a of its id)', () => {
    expect(shardOf('L-0001')).toBe(shardOf('L-0001'));
    expect([shardOf(''), shardOf('a'), shardOf('L-0001')]).toEqual([
      0x811c9dc5 % 256,
      0xe40c292c % 256,
      shardOf('L-0001'),
    ]);
    fc.assert(fc.property(fc.string(), (id) => shardOf(id) >= 0 && shardOf(id) < LUMINAIRE_SHARDS));
  });

  it('spreads a city evenly enough that no shard outgrows one Query page', () => {
    const counts = new Array<number>(LUMINAIRE_SHARDS).fill(0);
    for (let i = 0; i < 200_000; i++) {
      const shard = shardOf(`L-${String(i).padStart(6, '0')}`);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    // ~781 on average; a shard of 1,000 luminaires is still ~200 KB, a fifth of a page.
    expect(Math.max(...counts)).toBeLessThan(1_000);
    expect(Math.min(...counts)).toBeGreaterThan(600);
  });

  it('orders rejected reports by receive time in their partition (zero-padded sort keys)', () => {
    const keys = siteKeys('carcassonne');
    expect(keys.rejectSk(999, 'invalid', 'b') < keys.rejectSk(1_000, 'invalid', 'a')).toBe(true);
    expect(keys.shardPk(7)).toBe('SITE#carcassonne#SHARD#007');
  });
});

describe('periods', () => {
  it('lists the months a period touches, across a year end', () => {
    expect(monthsBetween('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-03-01', '2026-03-31')).toEqual(['2026-03']);
  });
});
