import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peakToMeanOf, provisionedUnitsFor } from '#schedules/cost/capacity.ts';
import { gbSecondsOf } from '#schedules/cost/duration.ts';
import { monthlyCost, telemetryShardsFor } from '#schedules/cost/monthly.ts';
import type { RunSample } from '#schedules/cost/usage.ts';
import { measurementOf, prices, RAW_ARCHIVE_BATCHING } from './fixtures.ts';

const fleets = fc.integer({ min: 1, max: 500_000 });
const lineNamed = (cost: ReturnType<typeof monthlyCost>, item: string) => {
  const line = cost.lines.find((l) => l.item.startsWith(item));
  if (line === undefined) throw new Error(`no line ${item}`);
  return line;
};

describe('the monthly cost at a fleet size', () => {
  it('is the sum of its lines, split into what grows with the fleet and what does not', () => {
    fc.assert(
      fc.property(fleets, (n) => {
        const cost = monthlyCost(measurementOf(136), prices, n);
        const sum = cost.lines.reduce((total, l) => total + l.usd, 0);
        expect(cost.totalUsd).toBeCloseTo(sum, 9);
        expect(cost.scalingUsd.perLuminaire + cost.scalingUsd.fixed).toBeCloseTo(cost.totalUsd, 9);
        expect(cost.perLuminaireUsd).toBeCloseTo(cost.totalUsd / n, 12);
      }),
    );
  });

  it('scales per-luminaire lines linearly with the fleet and leaves the fixed ones alone', () => {
    fc.assert(
      fc.property(fleets, fc.integer({ min: 2, max: 20 }), (n, factor) => {
        const small = monthlyCost(measurementOf(136), prices, n);
        const large = monthlyCost(measurementOf(136), prices, n * factor);
        small.lines.forEach((line, i) => {
          const other = large.lines[i];
          if (line.scaling === 'perLuminaire')
            expect((other?.quantity ?? 0) / factor / line.quantity).toBeCloseTo(1, 9);
          else if (!line.item.startsWith('Kinesis shard-hours')) expect(other?.quantity).toBe(line.quantity);
        });
      }),
    );
  });

  it('does not depend on the size of the measured site or the length of the run', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 1, max: 4 }), (measured, days) => {
        const reference = monthlyCost(measurementOf(100), prices, 10_000);
        const other = monthlyCost(measurementOf(measured, days), prices, 10_000);
        expect(other.totalUsd).toBeCloseTo(reference.totalUsd, 6);
      }),
    );
  });

  it('prices a luminaire connected all month at 43,200 connection-minutes', () => {
    const line = lineNamed(monthlyCost(measurementOf(136), prices, 10_000), 'IoT connectivity');
    expect(line.quantity).toBeCloseTo(10_000 * 43_200, 3);
    expect(line.usd).toBeCloseTo((10_000 * 43_200 * prices.prices.iotConnectivity.usd) / 1e6, 6);
  });

  it('counts a scheduled function’s runs as fixed and its work as growing with the fleet', () => {
    const cost = monthlyCost(measurementOf(136), prices, 10_000);
    expect(lineNamed(cost, 'Lambda alarm-sweep requests')).toMatchObject({
      scaling: 'fixed',
      quantity: 96 * 30,
    });
    expect(lineNamed(cost, 'Lambda alarm-sweep GB-seconds').scaling).toBe('perLuminaire');
  });

  it('bills every start of a scheduled function, a start that joined a running one at the runs’ average work', () => {
    const measurement = measurementOf(136);
    const sweep = measurement.usage.functions['alarm-sweep'];
    if (sweep === undefined) throw new Error('fixture without the sweep');
    const joined = { ...sweep, requests: 1, cpuMs: 300, awsRounds: { dynamodb: 40 }, readUnits: 10 };
    const cost = monthlyCost(
      { ...measurement, usage: { ...measurement.usage, functions: { 'alarm-sweep': joined } } },
      prices,
      136,
    );
    expect(lineNamed(cost, 'Lambda alarm-sweep requests').quantity).toBe(96 * 30);
    expect(lineNamed(cost, 'Lambda alarm-sweep GB-seconds').quantity).toBeCloseTo(
      gbSecondsOf(joined, prices.lambdaTiming, 'modelled') * 96 * 30,
      6,
    );
    expect(lineNamed(cost, 'DynamoDB read request units').quantity).toBeCloseTo(10 * 96 * 30, 6);
  });

  it('bills the part of a scheduled run measured not to grow with the fleet by the run, the rest per luminaire', () => {
    const measurement = measurementOf(136);
    const sweep = measurement.usage.functions['alarm-sweep'];
    if (sweep === undefined) throw new Error('fixture without the sweep');
    const perRun = { cpuMs: sweep.cpuMs / 96, readUnits: sweep.readUnits / 96, writeUnits: 0 };
    const sample = (luminaires: number, fixedShare: number) => {
      const scale = fixedShare + ((1 - fixedShare) * luminaires) / 136;
      return {
        luminaires,
        cpuMs: perRun.cpuMs * scale,
        awsRounds: Object.fromEntries(Object.entries(sweep.awsRounds).map(([k, n]) => [k, (n / 96) * scale])),
        readUnits: perRun.readUnits * scale,
        writeUnits: 0,
      };
    };
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fleets, (fixedShare, n) => {
        const split = structuredClone(measurement);
        const fn = split.usage.functions['alarm-sweep'];
        if (fn === undefined) throw new Error('fixture without the sweep');
        fn.runAtSizes = [sample(136, fixedShare), sample(2_823, fixedShare)];
        // At the measured site's size the split changes nothing; the fixed part is the same at any size.
        expect(monthlyCost(split, prices, 136).totalUsd).toBeCloseTo(
          monthlyCost(measurement, prices, 136).totalUsd,
          9,
        );
        const fixed = lineNamed(monthlyCost(split, prices, n), "Lambda alarm-sweep runs' fixed part");
        expect(fixed.scaling).toBe('fixed');
        expect(fixed.quantity).toBeCloseTo(
          lineNamed(monthlyCost(split, prices, 136), "Lambda alarm-sweep runs' fixed part").quantity,
          9,
        );
        expect(
          lineNamed(monthlyCost(split, prices, n), "DynamoDB scheduled runs' fixed part, read").quantity,
        ).toBeCloseTo(fixedShare * perRun.readUnits * 96 * 30, 6);
      }),
    );
  });

  it('prices Lambda durations by the model unless asked for the wall clock, and changes nothing else', () => {
    const measurement = measurementOf(136);
    const modelled = monthlyCost(measurement, prices, 10_000);
    const wallClock = monthlyCost(measurement, prices, 10_000, { lambda: 'wallClock' });
    const telemetry = measurement.usage.functions.telemetry;
    if (telemetry === undefined) throw new Error('fixture without telemetry');
    const months = (30 * 24) / measurement.simulatedHours;
    expect(lineNamed(wallClock, 'Lambda telemetry GB-seconds').quantity).toBeCloseTo(
      telemetry.gbSeconds * months * (10_000 / 136),
      6,
    );
    modelled.lines.forEach((line, i) => {
      if (line.price !== 'lambdaArmGbSecond') expect(wallClock.lines[i]).toEqual(line);
    });
  });

  it('bills the ledger’s units as provisioned capacity-hours when so deployed, the other functions’ on demand', () => {
    const measurement = measurementOf(136);
    const onDemand = monthlyCost(measurement, prices, 200_000, { ledger: 'onDemand' });
    const provisioned = monthlyCost(measurement, prices, 200_000, { ledger: 'provisioned' });
    const telemetry = measurement.usage.functions.telemetry;
    if (telemetry === undefined) throw new Error('fixture without telemetry');
    const ledgerWrites = telemetry.writeUnits * 30 * (200_000 / 136);
    expect(lineNamed(provisioned, 'DynamoDB write request units').quantity).toBeCloseTo(
      lineNamed(onDemand, 'DynamoDB write request units').quantity - ledgerWrites,
      3,
    );
    expect(onDemand.lines.some((line) => line.item.startsWith('DynamoDB ledger table'))).toBe(false);
    expect(lineNamed(provisioned, 'DynamoDB ledger table write capacity').quantity).toBe(
      provisionedUnitsFor(ledgerWrites / (30 * 24), peakToMeanOf(measurement)) * 30 * 24,
    );
  });

  it('models the aggregated Firehose records and the archive function’s batches for the fleet, not from the run’s own', () => {
    const measurement = measurementOf(100);
    measurement.deployment = { ...measurement.deployment, rawArchive: RAW_ARCHIVE_BATCHING };
    const { telemetry } = measurement.usage.functions;
    if (telemetry === undefined) throw new Error('the fixture has a ledger');
    measurement.usage.functions['raw-archive'] = {
      ...telemetry,
      memoryMb: 256,
      requests: 5_000,
      awsRounds: { firehose: 5_000 },
    };
    const cost = monthlyCost(measurement, prices, 200_000);
    const firehose = cost.lines.find((l) => l.price === 'firehoseGbIngested');
    // 300-byte reports, 500 a record: billed about what they weigh, not 5 KB each.
    expect(firehose?.item).toMatch(/records of up to 500 reports/);
    const reports = 200_000 * 96 * 30;
    expect(firehose?.quantity).toBeLessThan((reports * 310) / 1024 ** 3);
    const requests = cost.lines.find((l) => l.item.startsWith('Lambda raw-archive requests'));
    expect(requests?.quantity).toBeLessThanOrEqual(telemetryShardsFor(measurement, 200_000) * 43_200 * 2);
    const before = monthlyCost(measurementOf(100), prices, 200_000);
    expect(before.lines.find((l) => l.price === 'firehoseGbIngested')?.quantity).toBeCloseTo(
      (reports * 5120) / 1024 ** 3,
    );
  });

  it("models the ledger's requests, units and CPU from AWS's batches at the fleet, whatever the run's own batches held", () => {
    /** The same ledger work, the run's stream having cut it into batches of `size`. */
    const batchedBy = (size: number) => {
      const measurement = measurementOf(136);
      measurement.deployment = {
        ...measurement.deployment,
        ledgerBatching: { batchSize: 10_000, batchWindowSeconds: 5 },
      };
      const telemetry = measurement.usage.functions.telemetry;
      if (telemetry === undefined) throw new Error('the fixture has a ledger');
      const reports = 136 * 96;
      const batches = reports / size;
      // 40 ms of CPU a batch and 1 ms a report; a report's own write and read; two rollups each (all distinct).
      const cpu = 40 + size;
      telemetry.requests = batches;
      telemetry.batches = {
        batches,
        records: reports,
        recordsSquared: batches * size * size,
        cpuMs: batches * cpu,
        cpuMsByRecords: batches * size * cpu,
        rounds: batches * 3,
        roundsByRecords: batches * size * 3,
        luminaireVisits: reports,
        ownReadUnits: reports,
        ownWriteUnits: reports,
        sharedItemsWritten: reports * 2,
        sharedReadUnits: batches,
        sharedWriteUnits: reports * 2,
        sharedItems: 40,
        sharedKinds: {},
      };
      // Two sizes make the line: mix in batches of one.
      const ones = 100;
      const b = telemetry.batches;
      Object.assign(b, {
        batches: b.batches + ones,
        records: b.records + ones,
        recordsSquared: b.recordsSquared + ones,
        cpuMs: b.cpuMs + ones * 41,
        cpuMsByRecords: b.cpuMsByRecords + ones * 41,
        rounds: b.rounds + ones * 3,
        roundsByRecords: b.roundsByRecords + ones * 3,
        luminaireVisits: b.luminaireVisits + ones,
        ownReadUnits: b.ownReadUnits + ones,
        ownWriteUnits: b.ownWriteUnits + ones,
        sharedItemsWritten: b.sharedItemsWritten + 2 * ones,
        sharedReadUnits: b.sharedReadUnits + ones,
        sharedWriteUnits: b.sharedWriteUnits + 2 * ones,
      });
      return monthlyCost(measurement, prices, 200_000, { ledger: 'onDemand' });
    };
    const [three, forty] = [batchedBy(3), batchedBy(48)];
    for (const item of [
      'Lambda telemetry requests',
      'Lambda telemetry GB-seconds',
      'DynamoDB write request units',
    ])
      expect(lineNamed(three, item).quantity / lineNamed(forty, item).quantity).toBeCloseTo(1, 6);
    // ~1,110 reports a batch on one shard at 200,000: a request per ~1,110 reports, not per 3.
    expect(lineNamed(three, 'Lambda telemetry requests').quantity).toBeCloseTo(
      (200_000 * 96 * 30) / ((200_000 * 96 * 5) / 86_400),
      -2,
    );
  });

  it("prices the push's chunks as a fixed number of invocations and messages, their per-luminaire work growing", () => {
    const measurement = measurementOf(136);
    const chunk = {
      runs: 'perEvent' as const,
      memoryMb: 512,
      scheduledRuns: 0,
      requests: 256,
      gbSeconds: 1,
      cpuMs: 256 * 5 + 136,
      awsRounds: { dynamodb: 256 * 3 },
      readUnits: 256 * 3 + 136,
      writeUnits: 256 * 2 + 136,
      logBytes: 256 * 100,
      runAtSizes: [
        {
          luminaires: 136,
          cpuMs: 5 + 136 / 256,
          awsRounds: { dynamodb: 3 },
          readUnits: 3 + 136 / 256,
          writeUnits: 2 + 136 / 256,
        },
        {
          luminaires: 2_823,
          cpuMs: 5 + 2_823 / 256,
          awsRounds: { dynamodb: 3 },
          readUnits: 3 + 2_823 / 256,
          writeUnits: 2 + 2_823 / 256,
        },
      ] as [RunSample, RunSample],
    };
    measurement.usage.functions['plan-push-chunk'] = chunk;
    const [small, large] = [
      monthlyCost(measurement, prices, 10_000),
      monthlyCost(measurement, prices, 200_000),
    ];
    for (const item of ['Lambda plan-push-chunk requests', 'SQS requests (plan-push chunks)']) {
      expect(lineNamed(large, item).scaling).toBe('fixed');
      expect(lineNamed(large, item).quantity).toBe(lineNamed(small, item).quantity);
    }
    expect(lineNamed(large, 'Lambda plan-push-chunk requests').quantity).toBe(256 * 30);
    // A write a luminaire a push grows with the fleet; the chunks' lease and release do not.
    const fixedWrites = lineNamed(large, "DynamoDB scheduled runs' fixed part, write request units").quantity;
    expect(fixedWrites).toBeCloseTo(256 * 2 * 30, 6);
  });

  it('refuses a fleet that is not a positive whole number', () => {
    expect(() => monthlyCost(measurementOf(1), prices, 0)).toThrow(RangeError);
    expect(() => monthlyCost(measurementOf(1), prices, 1.5)).toThrow(RangeError);
  });
});

describe('telemetry shards', () => {
  const spreadOver = (seconds: number) => {
    const measurement = measurementOf(136);
    const perMinute = measurement.usage.kinesis.records / (24 * 60);
    measurement.usage.kinesis.peakMinuteRecords = Math.ceil(perMinute * (900 / seconds));
    return measurement;
  };

  it('hold the busiest minute at half a shard: 4 at 200,000 with a round in 2 minutes, 1 with it over the period', () => {
    expect(telemetryShardsFor(spreadOver(120), 10_000)).toBe(1);
    expect(telemetryShardsFor(spreadOver(120), 200_000)).toBe(4);
    expect(telemetryShardsFor(spreadOver(900), 200_000)).toBe(1);
  });

  it('are never fewer for more luminaires', () => {
    const measurement = measurementOf(136);
    fc.assert(
      fc.property(fleets, fleets, (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(telemetryShardsFor(measurement, low)).toBeLessThanOrEqual(
          telemetryShardsFor(measurement, high),
        );
      }),
    );
  });
});
