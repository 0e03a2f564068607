import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MeterState } from '../../../../functions/store/index.ts';
import { readMeter } from '../../../../functions/telemetry/meter-reading.ts';
import type { TelemetryMessage } from '../../../../protocol/messages.ts';

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

describe('meter reading', () => {
  it('takes the first reading as a baseline that counts nothing', () => {
    expect(readMeter(undefined, report({}), '2026-06-21', [])).toMatchObject({
      kind: 'baseline',
      wh: 0,
      firstOfNight: true,
    });
  });

  it('counts the counter difference of a newer reading of the same counter', () => {
    const reading = readMeter(
      state,
      report({ ts: 1_900, seq: 2, energyWh: 109, burningHours: 10.25 }),
      '2026-06-21',
      [],
    );
    expect(reading).toMatchObject({ kind: 'counted', wh: 9, burnH: 0.25, firstOfNight: false });
  });

  it('counts nothing for a repeated or older reading', () => {
    expect(readMeter(state, report({}), '2026-06-21', []).kind).toBe('old');
    expect(readMeter(state, report({ ts: 900, seq: 0, energyWh: 90 }), '2026-06-21', []).kind).toBe('old');
  });

  it('orders readings of the same second by sequence number', () => {
    expect(readMeter(state, report({ seq: 2, energyWh: 101 }), '2026-06-21', [])).toMatchObject({ wh: 1 });
  });

  it('treats a lower counter or a new counter id as a reset: new baseline, nothing negative', () => {
    expect(readMeter(state, report({ ts: 2_000, seq: 2, energyWh: 3 }), '2026-06-21', [])).toMatchObject({
      kind: 'baseline',
      wh: 0,
    });
    expect(
      readMeter(state, report({ ts: 2_000, seq: 0, counterId: 'c2', energyWh: 500 }), '2026-06-21', []),
    ).toMatchObject({ kind: 'baseline', wh: 0, next: { counterId: 'c2', energyWh: 500 } });
  });

  it('marks the first reading of a new night', () => {
    expect(readMeter(state, report({ ts: 90_000, seq: 2, energyWh: 150 }), '2026-06-22', [])).toMatchObject({
      firstOfNight: true,
    });
  });

  it('whatever the delivery order and duplicates, counts exactly the counter rise from the first delivered reading', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 30 }),
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
          let meter: MeterState | undefined;
          let counted = 0;
          for (const message of delivery) {
            const reading = readMeter(meter, message, '2026-06-21', []);
            if (reading.kind === 'old') continue;
            counted += reading.wh;
            meter = reading.next;
          }
          const first = delivery[0] as TelemetryMessage;
          expect(counted).toBe(energy - first.energyWh);
          expect(meter?.energyWh).toBe(energy);
        },
      ),
    );
  });
});
