import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldCabinetReadings, type NightReading } from '#functions/cabinet-meter/fold.ts';
import type { CabinetMeterState } from '#functions/store/index.ts';

const T0 = 1_782_000_000;
const RATED_W = 9_000;

/** A reading `i` of a meter whose phases hold `wh` split evenly, at 15-minute intervals. */
const reading = (i: number, wh: number, counterId = 'meter-1'): NightReading => ({
  event: {
    thing: 'CAB-1',
    ts: T0 + i * 900,
    seq: i,
    counterId,
    phasesWh: [wh / 2, wh / 4, wh / 4],
    totalWh: wh,
    receivedAt: (T0 + i * 900) * 1000,
  },
  night: `N${Math.floor((T0 + i * 900) / 86_400)}`,
});

const counted = (nights: ReadonlyMap<string, number>): number =>
  [...nights.values()].reduce((a, b) => a + b, 0);

/** Folds readings one delivery at a time, as consecutive batches do. */
function deliverOneByOne(readings: readonly NightReading[]): { total: number; state?: CabinetMeterState } {
  let state: CabinetMeterState | undefined;
  let total = 0;
  for (const r of readings) {
    const advance = foldCabinetReadings(state, [r], RATED_W);
    total += counted(advance.nights);
    state = advance.next ?? state;
  }
  return { total, ...(state === undefined ? {} : { state }) };
}

describe('cabinet meter fold', () => {
  it('counts the energy between the first reading and the newest one, whatever the duplicates and order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 2, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (increments, picks) => {
          const readings = increments.map((_, i) =>
            reading(
              i,
              increments.slice(0, i + 1).reduce((a, b) => a + b, 0),
            ),
          );
          const first = readings[0] as NightReading;
          const rest = readings.slice(1);
          // Duplicates and reordering after the first delivery: every reading arrives at least once.
          const shuffled = [...rest, ...picks.map((p) => rest[p % rest.length] as NightReading)].sort(
            (a, b) => ((a.event.seq * 7919 + b.event.ts) % 3) - 1,
          );
          const { total, state } = deliverOneByOne([first, ...shuffled]);
          const newest = readings[readings.length - 1] as NightReading;
          expect(total).toBeCloseTo(newest.event.totalWh - first.event.totalWh, 6);
          expect(state?.energyWh).toBe(newest.event.totalWh);
          expect(state?.phasesWh).toEqual(newest.event.phasesWh);
        },
      ),
    );
  });

  it('adds each counted difference to the night of the reading it reaches', () => {
    const readings = [reading(0, 0), reading(1, 500), reading(96, 900), reading(97, 1_400)];
    const { nights } = foldCabinetReadings(undefined, readings, RATED_W);
    expect([...nights]).toEqual([
      [readings[1]?.night, 500],
      [readings[2]?.night, 900],
    ]);
  });

  it('takes a new counter id as a new baseline, counting nothing for it', () => {
    const { total } = deliverOneByOne([
      reading(0, 1_000),
      reading(1, 1_500),
      reading(2, 10, 'meter-2'),
      reading(3, 60, 'meter-2'),
    ]);
    expect(total).toBe(550);
  });

  it('tells a counter reset from a glitch by the next reading, counting from the reset on', () => {
    const reset = deliverOneByOne([reading(0, 1_000), reading(1, 1_100), reading(2, 5), reading(3, 50)]);
    expect(reset.total).toBe(145);
    const glitch = deliverOneByOne([reading(0, 1_000), reading(1, 1_100), reading(2, 5), reading(3, 1_200)]);
    expect(glitch.total).toBe(200);
  });

  it('rejects a rise faster than the subscribed power allows, counting nothing', () => {
    const { outcomes, nights } = foldCabinetReadings(
      undefined,
      [reading(0, 0), reading(1, 100_000)],
      RATED_W,
    );
    expect(outcomes.map((o) => (o.kind === 'rejected' ? o.reason : o.kind))).toEqual([
      'baseline',
      'implausible-energy',
    ]);
    expect(counted(nights)).toBe(0);
  });
});
