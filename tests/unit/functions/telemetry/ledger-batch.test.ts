import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sumContributions } from '#functions/store/index.ts';
import {
  advanceMeter,
  rollupTargets,
  rollupUpdates,
  splitHomeNights,
  streamPosition,
} from '#functions/telemetry/ledger-batch.ts';
import type { TelemetryMessage } from '#protocol/messages/telemetry.ts';

const luminaire = fc.record({
  id: fc.constantFrom('L1', 'L2', 'L3', 'L4'),
  zone: fc.constantFrom('cite', 'bastide'),
  street: fc.constantFrom('Rue A', 'Rue B', 'Rue C'),
});
const contribution = fc.record({
  luminaire,
  night: fc.constantFrom('2026-06-30', '2026-07-01', '2026-07-02'),
  sequence: fc.bigInt({ min: 1n, max: 10n ** 30n }),
  ts: fc.integer({ min: 1_780_000_000, max: 1_790_000_000 }),
  wh: fc.integer({ min: 0, max: 500 }),
  burnH: fc.integer({ min: 0, max: 4 }),
  first: fc.boolean(),
  zoneWriteShard: fc.integer({ min: 0, max: 3 }),
});
/** A generated contribution with the rollup items it adds to. */
const placedOf = (c: typeof contribution extends fc.Arbitrary<infer T> ? T : never) => ({
  targets: rollupTargets(c.luminaire, c.night, c.zoneWriteShard),
  contribution: {
    position: streamPosition(String(c.sequence)),
    ts: c.ts,
    wh: c.wh,
    burnH: c.burnH,
    luminaireNights: c.first ? (1 as const) : (0 as const),
  },
});

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

  it('gives every rollup level the same sums, one update per item, contributions in stream order', () => {
    fc.assert(
      fc.property(fc.array(contribution, { maxLength: 40 }), (generated) => {
        const placed = generated.map(placedOf);
        const updates = rollupUpdates(placed);
        const expected = sumContributions(placed.map((p) => p.contribution));
        for (const kind of ['luminaire-night', 'zone-night', 'street-month']) {
          const ofKind = updates.filter((u) => u.target.kind === kind);
          const sums = sumContributions(ofKind.flatMap((u) => u.contributions));
          expect(sums).toEqual(expected);
          expect(new Set(ofKind.map((u) => JSON.stringify(u.target))).size).toBe(ofKind.length);
        }
        for (const { contributions } of updates) {
          const positions = contributions.map((c) => c.position);
          expect(positions).toEqual([...positions].sort());
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
        const updates = rollupUpdates(generated.map(placedOf));
        const { carried, others } = splitHomeNights(updates, new Map(Object.entries(home)));
        const isHome = ({ target }: (typeof updates)[number]) =>
          target.kind === 'luminaire-night' && home[target.luminaireId] === target.night;
        expect(others).toEqual(updates.filter((u) => !isHome(u)));
        expect(carried).toEqual(
          new Map(
            updates
              .filter(isHome)
              .map((u) => [(u.target as { luminaireId: string }).luminaireId, u.contributions]),
          ),
        );
      }),
    );
  });
});

describe('a luminaire folded through its batch', () => {
  const lum = { id: 'L1', zone: 'cite', street: 'Rue A' };
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
    const result = advanceMeter(
      lum,
      undefined,
      [
        placed(message(0, 1_000)),
        placed(message(1, 1_009)),
        placed(message(1, 1_009)),
        placed(message(0, 1_000)),
        placed(message(2, 3, 'drv-2')),
        placed(message(3, 12, 'drv-2')),
      ],
      0,
    );
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
    const result = advanceMeter(lum, previous, [placed(message(4, 1_990)), placed(message(5, 2_000))], 0);
    expect(result).toEqual({
      outcomes: [{ kind: 'old' }, { kind: 'old' }],
      next: undefined,
      contributions: [],
    });
  });
});
