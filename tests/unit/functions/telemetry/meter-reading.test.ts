import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MeterState } from '#functions/store/index.ts';
import {
  maxIncrementWh,
  type ReadingContext,
  readMeter,
  timestampReject,
} from '#functions/telemetry/meter-reading.ts';
import type { TelemetryMessage } from '#protocol/messages/telemetry.ts';

const report = (over: Partial<TelemetryMessage>): TelemetryMessage => ({
  thing: 'L-1',
  ts: 1_000,
  seq: 1,
  counterId: 'c1',
  energyWh: 100,
  burningHours: 10,
  level: 100,
  powerW: 36,
  planHash: null,
  faults: [],
  ...over,
});

const state: MeterState = {
  counterId: 'c1',
  ts: 1_000,
  seq: 1,
  energyWh: 100,
  burningHours: 10,
  night: '2026-06-21',
  faults: [],
};

/** A 36 W luminaire: at most 36 * 1.1 / 4 + 5 = 14.9 Wh in a quarter of an hour. */
const context: ReadingContext = { night: '2026-06-21', faults: [], ratedW: 36 };

/** Feeds readings one after the other, as the ingest does, and sums what they count. */
function feed(start: MeterState | undefined, messages: readonly TelemetryMessage[]) {
  let meter = start;
  let wh = 0;
  const kinds: string[] = [];
  for (const message of messages) {
    const reading = readMeter(meter, message, context);
    kinds.push(reading.kind === 'rejected' ? reading.reason : reading.kind);
    if (reading.kind === 'old') continue;
    if (reading.kind !== 'rejected') wh += reading.wh;
    meter = reading.next ?? meter;
  }
  return { meter, wh, kinds };
}

describe('meter reading', () => {
  it('takes the first reading as a baseline that counts nothing', () => {
    expect(readMeter(undefined, report({}), context)).toMatchObject({ kind: 'baseline', wh: 0 });
  });

  it('counts the counter difference of a newer reading of the same counter', () => {
    const reading = readMeter(
      state,
      report({ ts: 1_900, seq: 2, energyWh: 109, burningHours: 10.25 }),
      context,
    );
    expect(reading).toMatchObject({ kind: 'counted', wh: 9, burnH: 0.25 });
  });

  it('counts nothing for a repeated or older reading', () => {
    expect(readMeter(state, report({}), context).kind).toBe('old');
    expect(readMeter(state, report({ ts: 900, seq: 0, energyWh: 90 }), context).kind).toBe('old');
  });

  it('orders readings of the same second by sequence number', () => {
    expect(readMeter(state, report({ seq: 2, energyWh: 101 }), context)).toMatchObject({ wh: 1 });
  });

  it('takes a new counter id as a legitimate reset: a new baseline that counts nothing', () => {
    expect(
      readMeter(state, report({ ts: 2_000, seq: 0, counterId: 'c2', energyWh: 500 }), context),
    ).toMatchObject({
      kind: 'baseline',
      wh: 0,
      next: { counterId: 'c2', energyWh: 500 },
    });
  });

  it('rejects energy above the rated power over the elapsed time and keeps the accepted reading', () => {
    expect(maxIncrementWh(36, 900)).toBeCloseTo(14.9);
    const reading = readMeter(state, report({ ts: 1_900, seq: 2, energyWh: 115 }), context);
    expect(reading).toMatchObject({ kind: 'rejected', reason: 'implausible-energy' });
    expect(reading.kind === 'rejected' && reading.next).toMatchObject({
      energyWh: 100,
      ts: 1_000,
      pending: { energyWh: 115 },
    });
    expect(readMeter(state, report({ ts: 1_900, seq: 2, energyWh: 9e9 }), context)).toMatchObject({
      kind: 'rejected',
      reason: 'implausible-energy',
    });
  });

  it('does not let burning hours rise faster than the clock', () => {
    expect(
      readMeter(state, report({ ts: 1_900, seq: 2, energyWh: 109, burningHours: 500 }), context),
    ).toMatchObject({
      burnH: 0.25,
    });
  });

  it('holds a lower counter as a suspected glitch and counts a normal next reading once, from the old counter', () => {
    const { wh, kinds, meter } = feed(state, [
      report({ ts: 1_900, seq: 2, energyWh: 3 }),
      report({ ts: 2_800, seq: 3, energyWh: 115 }),
    ]);
    expect(kinds).toEqual(['counter-decrease', 'counted']);
    expect(wh).toBe(15);
    expect(meter).toMatchObject({ energyWh: 115, seq: 3 });
    expect(meter?.pending).toBeUndefined();
  });

  it('accepts a lower counter as a reset when the next reading continues from it', () => {
    const { wh, kinds, meter } = feed(state, [
      report({ ts: 1_900, seq: 2, energyWh: 3 }),
      report({ ts: 2_800, seq: 3, energyWh: 12 }),
      report({ ts: 3_700, seq: 4, energyWh: 21 }),
    ]);
    expect(kinds).toEqual(['counter-decrease', 'counted', 'counted']);
    expect(wh).toBe(9 + 9);
    expect(meter).toMatchObject({ energyWh: 21 });
  });

  it('accepts a reset whose two readings arrive in reverse order, baseline at the earlier one', () => {
    const { wh, kinds, meter } = feed(state, [
      report({ ts: 2_800, seq: 3, energyWh: 12 }),
      report({ ts: 1_900, seq: 2, energyWh: 3 }),
    ]);
    expect(kinds).toEqual(['counter-decrease', 'counted']);
    expect(wh).toBe(9);
    expect(meter).toMatchObject({ ts: 2_800, energyWh: 12 });
  });

  it('recovers from a counter that jumped and runs on from there, without counting the jump', () => {
    const { wh, kinds } = feed(state, [
      report({ ts: 1_900, seq: 2, energyWh: 5e9 }),
      report({ ts: 2_800, seq: 3, energyWh: 5e9 + 8 }),
    ]);
    expect(kinds).toEqual(['implausible-energy', 'counted']);
    expect(wh).toBe(8);
  });

  it('keeps a held reading undecided when an earlier plausible reading arrives late', () => {
    const { wh, kinds, meter } = feed(state, [
      report({ ts: 2_800, seq: 3, energyWh: 2 }),
      report({ ts: 1_900, seq: 2, energyWh: 106 }),
      report({ ts: 3_700, seq: 4, energyWh: 110 }),
    ]);
    expect(kinds).toEqual(['counter-decrease', 'counted', 'counted']);
    expect(wh).toBe(10);
    expect(meter?.pending).toBeUndefined();
  });

  it('counts a repeated suspect reading once as rejected and does not move the held one', () => {
    const held = readMeter(state, report({ ts: 1_900, seq: 2, energyWh: 3 }), context);
    const meter = held.kind === 'rejected' ? held.next : undefined;
    expect(readMeter(meter, report({ ts: 1_900, seq: 2, energyWh: 3 }), context)).toEqual({
      kind: 'rejected',
      reason: 'counter-decrease',
    });
  });

  it('bounds timestamps by the receive time: 5 minutes ahead, 48 hours behind', () => {
    const receivedAt = 1_000_000 * 1000;
    expect(timestampReject({ ts: 1_000_000 + 300, receivedAt })).toBeUndefined();
    expect(timestampReject({ ts: 1_000_000 + 301, receivedAt })).toBe('future-timestamp');
    expect(timestampReject({ ts: 4_102_444_800, receivedAt })).toBe('future-timestamp');
    expect(timestampReject({ ts: 1_000_000 - 48 * 3600, receivedAt })).toBeUndefined();
    expect(timestampReject({ ts: 1_000_000 - 48 * 3600 - 1, receivedAt })).toBe('stale-timestamp');
  });

  it('whatever the delivery order and duplicates, counts exactly the counter rise from the first delivered reading', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        (increments, picks) => {
          let energy = 0;
          const readings = increments.map((increment, i) => {
            energy += increment;
            return report({ ts: 1_000 + i * 900, seq: i, energyWh: energy });
          });
          // A delivery: every reading at least once, in an order and with repeats chosen by `picks`.
          const delivery = [
            ...picks.map((p) => readings[p % readings.length] as TelemetryMessage),
            ...readings,
          ];
          const { wh, meter } = feed(undefined, delivery);
          const first = delivery[0] as TelemetryMessage;
          expect(wh).toBe(energy - first.energyWh);
          expect(meter?.energyWh).toBe(energy);
        },
      ),
    );
  });
});
