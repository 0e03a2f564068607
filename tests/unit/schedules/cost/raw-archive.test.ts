import { describe, expect, it } from 'vitest';
import { archivePutsFor } from '#schedules/cost/raw-archive.ts';
import { RAW_ARCHIVE_BATCHING as BATCHING } from './fixtures.ts';

const MONTH = 30 * 24 * 3600;
const KB5 = 5 * 1024;

describe('archivePutsFor', () => {
  it('reads a busy shard in batches of the batch size: 20 records of 500 reports each, one call', () => {
    const reports = 43_200 * 20_000;
    const puts = archivePutsFor(reports, 300, 1, MONTH, BATCHING);
    expect(puts.batches).toBe(reports / 10_000);
    expect(puts.records).toBe(puts.batches * 20);
    expect(puts.calls).toBe(puts.batches);
    expect(puts.reportsPerRecord).toBe(500);
    expect(puts.billedBytes).toBe(puts.records * Math.ceil((500 * 301 - 1) / KB5) * KB5);
  });

  it('bills a quiet shard one window a batch, each record at least 5 KB', () => {
    // 3 reports a minute: one record of 3 reports a minute, billed as one block.
    const puts = archivePutsFor(43_200 * 3, 300, 1, MONTH, BATCHING);
    expect(puts).toEqual({
      batches: 43_200,
      calls: 43_200,
      records: 43_200,
      billedBytes: 43_200 * KB5,
      reportsPerRecord: 3,
    });
  });

  it('bills within one 5 KB block a record of the bytes the reports hold, from a few dozen reports a record on', () => {
    for (const perMinute of [40, 700, 9_000, 50_000]) {
      const reports = 43_200 * perMinute;
      const { billedBytes, records } = archivePutsFor(reports, 230, 2, MONTH, BATCHING);
      expect(billedBytes).toBeGreaterThanOrEqual(reports * 230);
      expect(billedBytes).toBeLessThanOrEqual(reports * 231 + records * KB5);
    }
  });

  it('has nothing to put without reports', () => {
    expect(archivePutsFor(0, 300, 4, MONTH, BATCHING)).toMatchObject({
      batches: 0,
      records: 0,
      billedBytes: 0,
    });
  });
});
