import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeLedger, type StreamRecord } from '#functions/telemetry/ledger.ts';
import { PLAUSIBILITY } from '#functions/telemetry/meter-reading.ts';
import type { TelemetryEvent } from '#protocol/messages/telemetry.ts';
import type { Luminaire } from '#schedules/index.ts';
import { testConfig, testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import {
  memoryAlarmStore,
  memoryRejectStore,
  memoryRollupStore,
  memoryTelemetryStore,
} from '../shared/memory-stores.ts';

/**
 * Simulated controllers with true cumulative meters report through the network and the ingest.
 * A behaving device only meets what the network and the field do to an honest controller:
 * duplicated and reordered deliveries, driver replacements (new counterId). A faulty one also
 * glitches its counter, jumps it to absurd values and runs its clock ahead or behind.
 *
 * The reports reach the batched ledger as a Kinesis shard does: in arrival order, in batches of
 * any size, and a batch whose invocation crashes (the stores fail after some writes) is delivered
 * again from its first record; a batch reporting a failed record is resumed from that record.
 *
 * What the ledger guarantees:
 * - behaving device: it counts exactly the counter differences along the chain of readings that
 *   were the newest delivered so far (a late reading counts nothing: its energy is inside the newer
 *   reading's counter), within one counterId. Nothing rejected, nothing counted twice.
 * - any device: never more than the rated power (plus the margin) over the span of its accepted
 *   timestamps, plus the fixed allowance per counted reading.
 * - the luminaire-night, zone-night and street-month rollups add up to the same total, whatever
 *   crashed where.
 */

/**
 * Where the devices start: an evening, or two hours before local noon, so that their readings (up
 * to six hours) straddle the boundary of two nights and the meter state moves to the next night.
 */
const STARTS = [Date.parse('2026-06-21T16:00:00Z') / 1000, Date.parse('2026-06-22T08:00:00Z') / 1000];
const SKEW_AHEAD_ACCEPTED = 200;

const FAULTS = ['low', 'high', 'absurd', 'unparseable', 'future', 'past', 'skewed'] as const;
type Fault = (typeof FAULTS)[number];

const step = fc.record({
  dt: fc.noBias(fc.integer({ min: 60, max: 1_800 })),
  /** Percent of the rated power drawn since the previous reading (an honest meter stays within 100). */
  percent: fc.noBias(fc.integer({ min: 0, max: 100 })),
  newCounter: fc.integer({ min: 0, max: 12 }).map((n) => n === 0),
  fault: fc.option(fc.constantFrom(...FAULTS), { freq: 3 }),
  /** Network delays of each delivered copy (1 or 2: a QoS 1 redelivery), seconds. */
  delays: fc.array(fc.integer({ min: 0, max: 2_500 }), { minLength: 1, maxLength: 2 }),
});
const device = fc.record({
  behaving: fc.boolean(),
  /** A controller in the field has metered for years before this window. */
  initialWh: fc.integer({ min: 0, max: 50_000 }),
  steps: fc.array(step, { minLength: 1, maxLength: 12 }),
});
type Device = typeof device extends fc.Arbitrary<infer T> ? T : never;

interface Delivery {
  readonly event: unknown;
  readonly receivedAt: number;
  readonly order: number;
}

/** The readings one device sends, and the deliveries the network makes of them. */
function simulate(luminaire: Luminaire, { behaving, initialWh, steps }: Device, start: number) {
  let t = start;
  let energy = initialWh;
  let counter = 0;
  const deliveries: Omit<Delivery, 'order'>[] = [];
  steps.forEach((s, seq) => {
    t += s.dt;
    if (s.newCounter) {
      counter += 1;
      energy = 0;
    }
    energy += Math.floor((luminaire.ledWatts * s.percent * s.dt) / 360_000);
    const truth: Omit<TelemetryEvent, 'receivedAt'> = {
      thing: luminaire.thingName,
      ts: t,
      seq,
      counterId: `drv-${counter}`,
      energyWh: energy,
      burningHours: 0,
      level: 70,
      powerW: 25,
      planHash: null,
      faults: [],
    };
    const sent = behaving || s.fault === null ? truth : withFault(truth, s.fault);
    for (const delay of s.delays) {
      const receivedAt = (t + delay) * 1000;
      deliveries.push({ event: { ...sent, receivedAt }, receivedAt });
    }
  });
  return { deliveries, lastT: t };
}

function withFault(report: Omit<TelemetryEvent, 'receivedAt'>, fault: Fault): Record<string, unknown> {
  switch (fault) {
    case 'low':
      return { ...report, energyWh: Math.floor(report.energyWh / 3) };
    case 'high':
      return { ...report, energyWh: report.energyWh * 7 + 500 };
    case 'absurd':
      return { ...report, energyWh: 5e9 };
    case 'unparseable':
      return { ...report, energyWh: 9e15 };
    case 'future':
      return { ...report, ts: report.ts + 3_600 };
    case 'past':
      return { ...report, ts: report.ts - 3 * 86_400 };
    case 'skewed':
      return { ...report, ts: report.ts + SKEW_AHEAD_ACCEPTED };
  }
}

/** Counter differences along the newest-so-far chain of delivered readings, per counterId. */
function chainLedger(events: readonly TelemetryEvent[]): number {
  let last: TelemetryEvent | undefined;
  let wh = 0;
  for (const e of events) {
    if (last !== undefined && (e.ts < last.ts || (e.ts === last.ts && e.seq <= last.seq))) continue;
    if (last !== undefined && e.counterId === last.counterId) wh += e.energyWh - last.energyWh;
    last = e;
  }
  return wh;
}

/** How the stream hands the shard to the ledger: batch sizes, and after how many writes each attempt crashes. */
const delivery = fc.record({
  batchSizes: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 6 }),
  crashes: fc.array(fc.option(fc.integer({ min: 0, max: 12 }), { freq: 2 }), { maxLength: 8 }),
});
type Delivery_ = typeof delivery extends fc.Arbitrary<infer T> ? T : never;

/** Writes of the stores count down to a crash: the invocation dies mid-batch, as a Lambda can. */
class Crash extends Error {}

function crashable<T extends object>(store: T, budget: { left: number | null }): T {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || ['meterStates', 'meterState'].includes(String(key))) return value;
      return async (...args: unknown[]) => {
        if (budget.left !== null && budget.left-- <= 0) throw new Crash('crashed');
        return value.apply(target, args);
      };
    },
  });
}

describe('batched telemetry ledger under faults', () => {
  it('counts exactly the true increments of behaving devices, never more than rated power, on their own night items, through crashes and redeliveries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(device, { minLength: 1, maxLength: 4 }),
        delivery,
        fc.constantFrom(...STARTS),
        async (devices, plan, start) => {
          const luminaires = testLuminaires(devices.length);
          const rollups = memoryRollupStore();
          const telemetry = memoryTelemetryStore(rollups);
          const rejects = memoryRejectStore();
          const budget: { left: number | null } = { left: null };
          const ingestBatch = makeLedger({
            config: async () => testConfig(),
            luminairesOf: async (things) => luminaires.filter((l) => things.includes(l.thingName)),
            meters: crashable(telemetry, budget),
            rollups: crashable(rollups, budget),
            alarms: crashable(memoryAlarmStore(), budget),
            rejects: crashable(rejects, budget),
            countReject: () => {},
            now: () => start,
          });
          const simulated = devices.map((d, i) => simulate(luminaires[i] as Luminaire, d, start));
          const deliveries: Delivery[] = simulated
            .flatMap((s) => s.deliveries)
            .map((d, order) => ({ ...d, order }))
            .sort((a, b) => a.receivedAt - b.receivedAt || a.order - b.order);
          await consumeShard(
            ingestBatch,
            deliveries.map((d, i) => ({ sequenceNumber: String(1_000 + i), data: d.event })),
            plan,
            budget,
          );

          devices.forEach((d, i) => {
            const luminaire = luminaires[i] as Luminaire;
            const ledger = [...rollups.items.values()]
              .filter(({ target }) => target.luminaireId === luminaire.id)
              .reduce((sum, night) => sum + night.wh, 0);
            const own = deliveries
              .map((delivery) => delivery.event as TelemetryEvent)
              .filter((e) => e.thing === luminaire.thingName);
            const { lastT } = simulated[i] as { lastT: number };
            const span = lastT + SKEW_AHEAD_ACCEPTED - start;
            const bound =
              luminaire.ledWatts * (1 + PLAUSIBILITY.powerMargin) * (span / 3600) +
              PLAUSIBILITY.allowanceWh * own.length;
            expect(ledger).toBeLessThanOrEqual(bound);
            if (d.behaving) {
              expect(ledger).toBe(chainLedger(own));
              expect([...rejects.items.values()].filter((r) => r.thing === luminaire.thingName)).toEqual([]);
            }
          });
        },
      ),
      { numRuns: 80 },
    );
  });
});

/** A Kinesis shard's consumer: batches from the checkpoint; a crash redelivers the batch, a failure resumes there. */
async function consumeShard(
  ingestBatch: ReturnType<typeof makeLedger>,
  records: readonly StreamRecord[],
  { batchSizes, crashes }: Delivery_,
  budget: { left: number | null },
): Promise<void> {
  let checkpoint = 0;
  let attempt = 0;
  while (checkpoint < records.length) {
    const size = batchSizes[attempt % batchSizes.length] as number;
    const batch = records.slice(checkpoint, checkpoint + size);
    budget.left = crashes[attempt] ?? null;
    attempt++;
    try {
      const { retryFrom } = await ingestBatch('shardId-000000000000', batch);
      checkpoint =
        retryFrom === undefined
          ? checkpoint + batch.length
          : records.findIndex((r) => r.sequenceNumber === retryFrom);
    } catch (error) {
      if (!(error instanceof Crash)) throw error;
    }
  }
  budget.left = null;
}
