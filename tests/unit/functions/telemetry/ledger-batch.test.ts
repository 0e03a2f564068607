import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sumContributions } from '#functions/store/index.ts';
import {
  advanceMeter,
  rollupUpdates,
  splitHomeNights,
  streamPosition,
} from '#functions/telemetry/ledger-batch.ts';
import type { TelemetryMessage } from '#protocol/messages/telemetry.ts';

const contribution = fc.record({
  luminaireId: fc.constantFrom('L1', 'L2', 'L3', 'L4'),
  night: fc.constantFrom('2026-06-30', '2026-07-01', '2026-07-02'),
  sequence: fc.bigInt({ min: 1n, max: 10n ** 30n }),
  ts: fc.integer({ min: 1_780_000_000, max: 1_790_000_000 }),
  wh: fc.integer({ min: 0, max: 500 }),
  burnH: fc.integer({ min: 0, max: 4 }),
});
type Generated = typeof contribution extends fc.Arbitrary<infer T> ? T : never;
/** A batch's contributions as `advanceMeter` gives them: in stream order, each with its luminaire-night item. */
const placedInStreamOrder = (generated: readonly Generated[]) =>
  [...generated]
    .sort((a, b) => (a.sequence < b.sequence ? -1 : a.sequence > b.sequence ? 1 : 0))
    .map((c) => ({
      target: { luminaireId: c.luminaireId, night: c.night },
      contribution: { position: streamPosition(String(c.sequence)), ts: c.ts, wh: c.wh, burnH: c.burnH },
    }));

describe('batched ledger aggregation', () => {
  it('orders stream positions as the sequence numbers they encode', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 60n }),
        fc.bigInt({ min: 0n, max: 10n ** 60n }),
        (a, b) => {
          expect(streamPosition(String(a)) < streamPosition(String(b))).toBe(a < b);
        },
      ),
    );
  });

  it("writes each luminaire-night item once with its own contributions' sums, in stream order, and no other item", () => {
    fc.assert(
      fc.property(fc.array(contribution, { maxLength: 40 }), (generated) => {
        const placed = placedInStreamOrder(generated);
        const updates = rollupUpdates(placed);
        expect(sumContributions(updates.flatMap((u) => u.contributions))).toEqual(
          sumContributions(placed.map((p) => p.contribution)),
        );
        expect(new Set(updates.map((u) => JSON.stringify(u.target))).size).toBe(updates.length);
        for (const { target, contributions } of updates) {
          expect(contributions).toEqual(
            placed
              .filter((p) => p.target.luminaireId === target.luminaireId && p.target.night === target.night)
              .map((p) => p.contribution),
          );
        }
      }),
    );
  });

  it("leaves to the meter state's write exactly the luminaire-night updates of each luminaire's new state's night", () => {
    const homes = fc.dictionary(
      fc.constantFrom('L1', 'L2', 'L3', 'L4'),
      fc.constantFrom('2026-06-30', '2026-07-01', '2026-07-02'),
    );
    fc.assert(
      fc.property(fc.array(contribution, { maxLength: 40 }), homes, (generated, home) => {
        const updates = rollupUpdates(placedInStreamOrder(generated));
        const { carried, others } = splitHomeNights(updates, new Map(Object.entries(home)));
        const isHome = ({ target }: (typeof updates)[number]) => home[target.luminaireId] === target.night;
        expect(others).toEqual(updates.filter((u) => !isHome(u)));
        expect(carried).toEqual(
          new Map(updates.filter(isHome).map((u) => [u.target.luminaireId, u.contributions])),
        );
      }),
    );
  });
});

describe('a luminaire folded through its batch', () => {
  const message = (seq: number, energyWh: number, counterId = 'drv-1'): TelemetryMessage => ({
    thing: 'lum-1',
    ts: 1_782_000_000 + seq * 900,
    seq,
    counterId,
    energyWh,
    burningHours: 0,
    level: 70,
    powerW: 25,
    planHash: 'abc',
    faults: [],
  });
  const context = { night: '2026-06-21', faults: [], ratedW: 40 };
  const placed = (m: TelemetryMessage) => ({
    position: streamPosition(String(100 + m.seq)),
    message: m,
    context,
  });

  it('counts each reading from the state the previous one left, and a repeat or an older one not at all', () => {
    const result = advanceMeter('L1', undefined, [
      placed(message(0, 1_000)),
      placed(message(1, 1_009)),
      placed(message(1, 1_009)),
      placed(message(0, 1_000)),
      placed(message(2, 3, 'drv-2')),
      placed(message(3, 12, 'drv-2')),
    ]);
    expect(result.outcomes.map((o) => o.kind)).toEqual([
      'baseline',
      'counted',
      'old',
      'old',
      'baseline',
      'counted',
    ]);
    expect(result.contributions.map((c) => c.contribution.wh)).toEqual([0, 9, 0, 9]);
    expect(result.next).toMatchObject({ counterId: 'drv-2', energyWh: 12, seq: 3, planHash: 'abc' });
  });

  it('leaves the meter state alone when every reading is old', () => {
    const previous = { ...message(5, 2_000), night: '2026-06-21', faults: [] };
    const result = advanceMeter('L1', previous, [placed(message(4, 1_990)), placed(message(5, 2_000))]);
    expect(result).toEqual({
      outcomes: [{ kind: 'old' }, { kind: 'old' }],
      next: undefined,
      contributions: [],
    });
  });
});
