import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  batchLineOf,
  distinctTouched,
  ledgerPerReport,
  ledgerUsageAt,
  reportsPerBatch,
} from '#schedules/cost/ledger-batches.ts';
import { type BatchSums, emptyBatchSums } from '#schedules/cost/usage.ts';
import { measurementOf } from './fixtures.ts';

/** What a ledger batch costs in this test's world: a fixed part, a part per report, rollups drawn among `items`. */
interface World {
  readonly fixedCpu: number;
  readonly cpuPerReport: number;
  readonly fixedRounds: number;
  readonly roundsPerReport: number;
  readonly ownWrite: number;
  readonly ownRead: number;
  readonly sharedRead: number;
  readonly items: number;
}

/** The sums a run of `sizes` batches would meter in `world`, each report its own luminaire's visit, two rollups a report. */
function runOf(world: World, sizes: readonly number[]): BatchSums {
  const sums: BatchSums = { ...emptyBatchSums(), sharedItems: world.items };
  for (const n of sizes) {
    const cpu = world.fixedCpu + world.cpuPerReport * n;
    const rounds = world.fixedRounds + world.roundsPerReport * n;
    const written = distinctTouched(world.items, 2 * n);
    Object.assign(sums, {
      batches: sums.batches + 1,
      records: sums.records + n,
      recordsSquared: sums.recordsSquared + n * n,
      cpuMs: sums.cpuMs + cpu,
      cpuMsByRecords: sums.cpuMsByRecords + n * cpu,
      rounds: sums.rounds + rounds,
      roundsByRecords: sums.roundsByRecords + n * rounds,
      luminaireVisits: sums.luminaireVisits + n,
      ownReadUnits: sums.ownReadUnits + world.ownRead * n,
      ownWriteUnits: sums.ownWriteUnits + world.ownWrite * n,
      sharedItemsWritten: sums.sharedItemsWritten + written,
      sharedReadUnits: sums.sharedReadUnits + world.sharedRead,
      sharedWriteUnits: sums.sharedWriteUnits + written,
    });
  }
  return sums;
}

/** 200,000 luminaires against the measured site's 136. */
const CITY = 200_000 / 136;

/** A run of 3,000 batches of 4 reports, each its luminaire's visit, that wrote `kinds` of other items, a unit each. */
function runOfKinds(ownWriteUnits: number, kinds: BatchSums['sharedKinds']): BatchSums {
  const all = Object.values(kinds);
  const written = all.reduce((total, kind) => total + kind.written, 0);
  return {
    ...emptyBatchSums(),
    batches: 3_000,
    records: 12_000,
    recordsSquared: 3_000 * 16,
    luminaireVisits: 12_000,
    ownWriteUnits,
    sharedItemsWritten: written,
    sharedWriteUnits: written,
    sharedItems: all.reduce((total, kind) => total + kind.items, 0),
    sharedKinds: kinds,
  };
}

const worlds = fc.record({
  fixedCpu: fc.double({ min: 0, max: 200, noNaN: true }),
  cpuPerReport: fc.double({ min: 0.01, max: 5, noNaN: true }),
  fixedRounds: fc.double({ min: 0, max: 10, noNaN: true }),
  roundsPerReport: fc.double({ min: 0, max: 1, noNaN: true }),
  ownWrite: fc.double({ min: 1, max: 3, noNaN: true }),
  ownRead: fc.double({ min: 0.5, max: 2, noNaN: true }),
  sharedRead: fc.double({ min: 0, max: 5, noNaN: true }),
  items: fc.integer({ min: 2, max: 400 }),
});
const batchSizes = fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 2, maxLength: 40 });

describe('the ledger modelled with AWS batches', () => {
  it('finds the fixed and per-record parts of a batch from batches of different sizes', () => {
    const line = batchLineOf(
      { batches: 3, records: 1 + 3 + 10, recordsSquared: 1 + 9 + 100 },
      3 * 40 + 2 * 14,
      40 * 14 + 2 * 110,
    );
    expect(line.fixed).toBeCloseTo(40, 9);
    expect(line.perRecord).toBeCloseTo(2, 9);
  });

  it('takes all of the work as per record when the batches were all of one size, or the fixed part would be below nothing', () => {
    expect(batchLineOf({ batches: 2, records: 10, recordsSquared: 50 }, 30, 150)).toEqual({
      fixed: 0,
      perRecord: 3,
    });
    // Batches of 1 and 10 costing 1 and 19: the line meets no record below nothing.
    expect(batchLineOf({ batches: 2, records: 11, recordsSquared: 101 }, 20, 191)).toEqual({
      fixed: 0,
      perRecord: 20 / 11,
    });
  });

  it('is never below what each report pays itself, and meets it no lower for bigger batches', () => {
    fc.assert(
      fc.property(
        worlds,
        batchSizes,
        fc.double({ min: 0.01, max: 2_000, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        (world, sizes, scale, batch) => {
          const m = ledgerPerReport(runOf(world, sizes), scale, batch);
          expect(m.writeUnits).toBeGreaterThanOrEqual(m.own.writeUnits - 1e-9);
          expect(m.readUnits).toBeGreaterThanOrEqual(m.own.readUnits - 1e-9);
          expect(m.cpuMs).toBeGreaterThanOrEqual(m.own.cpuMs - 1e-9);
          expect(m.own.writeUnits).toBeCloseTo(world.ownWrite, 6);
          const bigger = ledgerPerReport(runOf(world, sizes), scale, batch * 2);
          expect(bigger.cpuMs).toBeLessThanOrEqual(m.cpuMs + 1e-9);
          expect(bigger.writeUnits).toBeLessThanOrEqual(m.writeUnits + 1e-9);
        },
      ),
    );
  });

  it("does not depend on how the run's own stream happened to batch the reports", () => {
    fc.assert(
      fc.property(
        worlds,
        batchSizes,
        batchSizes,
        fc.integer({ min: 1, max: 10_000 }),
        (world, some, others, batch) => {
          fc.pre(new Set(some).size > 1 && new Set(others).size > 1);
          const a = ledgerPerReport(runOf(world, some), 1_000, batch);
          const b = ledgerPerReport(runOf(world, others), 1_000, batch);
          expect(a.cpuMs).toBeCloseTo(b.cpuMs, 6);
          expect(a.rounds).toBeCloseTo(b.rounds, 6);
          expect(a.own.writeUnits).toBeCloseTo(b.own.writeUnits, 6);
          expect(a.readUnits).toBeCloseTo(b.readUnits, 6);
        },
      ),
    );
  });

  it("draws one item a report of each kind nearly every batch wrote (a rollup), whatever the run's own batches shared, a rare kind at its rate", () => {
    // A run measured before Wave 9 (the ledger then wrote zone and street rollups): a site of one
    // zone (2 nights) and 15 streets, batches of 4 reports: every batch wrote the zone item once and
    // ~3 streets; a reject now and then.
    const m = ledgerPerReport(
      runOfKinds(12_000, {
        ZONEDAY: { batches: 3_000, written: 3_000, items: 2 },
        STREETMONTH: { batches: 3_000, written: 9_000, items: 15 },
        REJECTS: { batches: 12, written: 12, items: 12 },
      }),
      CITY,
      1_110,
    );
    const expected =
      distinctTouched(2 * CITY, 1_110) +
      distinctTouched(15 * CITY, 1_110) +
      distinctTouched(12 * CITY, 1_110 / 1_000);
    expect(m.writeUnits).toBeCloseTo(1 + expected / 1_110, 6);
    // Far more than the ~1 rollup write a report the local batches made: a city's batch touches ~1,100 streets.
    expect(m.writeUnits - m.own.writeUnits).toBeGreaterThan(1.5);
  });

  it("prices a report of a ledger writing only its luminaire's items at those, and the rare rejects at their rate", () => {
    const m = ledgerPerReport(
      runOfKinds(12_120, { REJECTS: { batches: 12, written: 12, items: 12 } }),
      CITY,
      1_110,
    );
    expect(m.own.writeUnits).toBeCloseTo(1.01, 9);
    expect(m.writeUnits).toBeCloseTo(1.01 + distinctTouched(12 * CITY, 1_110 / 1_000) / 1_110, 9);
    // A reject a thousand reports: a thousandth of a write unit a report, whatever the batch's size.
    expect(m.writeUnits - m.own.writeUnits).toBeLessThan(0.0011);
  });

  it('gives a shard the reports of its window at the mean rate, one at least, the batch size at most', () => {
    const batching = { batchSize: 10_000, batchWindowSeconds: 5 };
    expect(reportsPerBatch(222, 1, batching)).toBeCloseTo(1_110, 9);
    expect(reportsPerBatch(222, 2, batching)).toBeCloseTo(555, 9);
    expect(reportsPerBatch(0.01, 1, batching)).toBe(1);
    expect(reportsPerBatch(1e6, 1, batching)).toBe(10_000);
  });

  it('writes each rollup item a batch touches once, never more items than the reports draw nor than exist', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (items, draws) => {
          const touched = distinctTouched(items, draws);
          expect(touched).toBeLessThanOrEqual(Math.min(items, draws) + 1e-6);
          expect(distinctTouched(items, draws + 1)).toBeGreaterThanOrEqual(touched - 1e-9);
        },
      ),
    );
  });

  it("grows the ledger's month with the fleet: its units and CPU are never less for more luminaires", () => {
    const world = {
      fixedCpu: 60,
      cpuPerReport: 0.8,
      fixedRounds: 3,
      roundsPerReport: 0.1,
      ownWrite: 1,
      ownRead: 1,
      sharedRead: 1,
      items: 30,
    };
    const sums = runOf(world, [1, 2, 3, 5, 8, 3, 2]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400_000 }), fc.integer({ min: 1, max: 400_000 }), (n, more) => {
        // Reports per batch grow with the fleet (one shard; the batch size caps them).
        const at = (fleet: number) => {
          const batch = reportsPerBatch((fleet * 96) / 86_400, 1, {
            batchSize: 10_000,
            batchWindowSeconds: 5,
          });
          const m = ledgerPerReport(sums, fleet / 136, batch);
          return { writes: m.writeUnits * fleet, cpu: m.cpuMs * fleet };
        };
        const [small, large] = [at(n), at(n + more)];
        expect(large.writes).toBeGreaterThanOrEqual(small.writes - 1e-6);
        expect(large.cpu).toBeGreaterThanOrEqual(small.cpu - 1e-6);
      }),
    );
  });

  it("bills the function's requests a batch each and its log lines with them, its round trips over its services as measured", () => {
    const fn = measurementOf(136).usage.functions.telemetry;
    if (fn === undefined) throw new Error('no telemetry in the fixture');
    const sums = runOf(
      {
        fixedCpu: 50,
        cpuPerReport: 1,
        fixedRounds: 4,
        roundsPerReport: 0.2,
        ownWrite: 1,
        ownRead: 1,
        sharedRead: 2,
        items: 40,
      },
      [2, 4, 6, 8],
    );
    const m = ledgerPerReport(sums, 100, 500);
    const usage = ledgerUsageAt(
      {
        ...fn,
        requests: 4,
        logBytes: 400,
        awsRounds: { dynamodb: 30, 'dynamodb+iotdata': 10 },
        batches: sums,
      },
      m,
    );
    expect(usage.requests).toBeCloseTo(20 / 500, 9);
    expect(usage.logBytes).toBeCloseTo((400 / 4) * (20 / 500), 9);
    expect(usage.cpuMs).toBeCloseTo(20 * (1 + 50 / 500), 6);
    const rounds = usage.awsRounds as Record<string, number>;
    expect((rounds.dynamodb ?? 0) / (rounds['dynamodb+iotdata'] ?? 1)).toBeCloseTo(3, 9);
    expect((rounds.dynamodb ?? 0) + (rounds['dynamodb+iotdata'] ?? 0)).toBeCloseTo(20 * (0.2 + 4 / 500), 6);
  });
});
