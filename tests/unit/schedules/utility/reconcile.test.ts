import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LoadCurve } from '#schedules/utility/readings.ts';
import { type ReconcileCabinet, type ReconcileInput, reconcile } from '#schedules/utility/reconcile.ts';

const PDL = '30001234567890';
const cabinet: ReconcileCabinet = {
  id: 'C-1',
  lat: 43.21,
  lon: 2.35,
  deliveryPointId: PDL,
  subscribedKva: 2,
  lineLossPercent: 0,
};
const FROM = Date.parse('2026-01-15T00:00:00Z') / 1000;
const period = { from: FROM, to: FROM + 86_400 };

interface Reading {
  readonly deliveryPointId: string;
  readonly start: number;
  readonly powerW: number;
}

function curvesOf(readings: readonly Reading[]): Map<string, LoadCurve> {
  const ids = [...new Set(readings.map((r) => r.deliveryPointId))];
  return new Map(
    ids.map((id) => {
      const rows = readings.filter((r) => r.deliveryPointId === id);
      const curve = {
        starts: Float64Array.from(rows, (r) => r.start),
        powerW: Float64Array.from(rows, (r) => r.powerW),
      };
      return [id, curve];
    }),
  );
}

/** A January day in Carcassonne: 1 kW while dark (before 07:00 and from 17:00 UTC), plus `extra` W by day. */
function day(extraByDay = 0): Reading[] {
  return Array.from({ length: 48 }, (_, i) => {
    const hour = i / 2;
    const dark = hour < 7 || hour >= 17;
    const midday = hour >= 10 && hour < 12;
    return { deliveryPointId: PDL, start: FROM + i * 1800, powerW: dark ? 1000 : midday ? extraByDay : 0 };
  });
}

function input(readings: Reading[], overrides: Partial<ReconcileInput> = {}): ReconcileInput {
  return {
    cabinets: [cabinet],
    readings: { kind: 'load-curve', intervalSeconds: 1800, curves: curvesOf(readings) },
    period,
    meteredKwh: new Map([['C-1', 14]]),
    plannedKwh: new Map([['C-1', 14]]),
    ...overrides,
  };
}

const kinds = (i: ReconcileInput) => reconcile(i).findings.map((f) => f.kind);

describe('reconcile', () => {
  it('finds nothing when the bill, our meters and the plans agree and the subscription fits', () => {
    const result = reconcile(input(day()));
    expect(result.deliveryPoints).toEqual([
      {
        deliveryPointId: PDL,
        cabinetIds: ['C-1'],
        billedKwh: 14,
        meteredKwh: 14,
        meteredBy: { 'C-1': 'luminaire meters' },
        plannedKwh: 14,
        maxDemandKva: 1 / 0.9,
        subscribedKva: 2,
        daylightKwh: 0,
      },
    ]);
    expect(result.findings).toEqual([]);
  });

  it('adds the line loss to our metered and planned energy', () => {
    const result = reconcile(input(day(), { cabinets: [{ ...cabinet, lineLossPercent: 5 }] }));
    expect(result.deliveryPoints[0]?.meteredKwh).toBeCloseTo(14.7);
    expect(result.deliveryPoints[0]?.plannedKwh).toBeCloseTo(14.7);
  });

  it("takes a cabinet's own meter for it, line loss included, instead of its luminaires', and says so", () => {
    const other = { ...cabinet, id: 'C-2', lineLossPercent: 10 };
    const result = reconcile(
      input(day(), {
        cabinets: [{ ...cabinet, lineLossPercent: 5 }, other],
        meteredKwh: new Map([
          ['C-1', 100],
          ['C-2', 4],
        ]),
        cabinetMeteredKwh: new Map([['C-1', 9.6]]),
      }),
    );
    expect(result.deliveryPoints[0]?.meteredKwh).toBeCloseTo(9.6 + 4 * 1.1);
    expect(result.deliveryPoints[0]?.meteredBy).toEqual({
      'C-1': 'cabinet meter',
      'C-2': 'luminaire meters',
    });
  });

  it('reports an unknown load when the bill exceeds what our meters and the plans explain', () => {
    expect(
      kinds(input(day(), { meteredKwh: new Map([['C-1', 7]]), plannedKwh: new Map([['C-1', 7]]) })),
    ).toEqual(['unknown-load']);
  });

  it('compares with the plans when no meter counted, saying so', () => {
    const result = reconcile(input(day(), { meteredKwh: undefined, plannedKwh: new Map([['C-1', 7]]) }));
    expect(result.findings.map((f) => [f.kind, f.message])).toEqual([
      ['unknown-load', 'billed 14 kWh, the plans ask 7 kWh with line loss: 7 kWh unexplained'],
    ]);
  });

  it('reports a faulty meter when our meters disagree with a bill the plans explain', () => {
    expect(kinds(input(day(), { meteredKwh: new Map([['C-1', 5]]) }))).toEqual(['faulty-meter']);
    expect(kinds(input(day(), { meteredKwh: new Map([['C-1', 30]]) }))).toEqual(['faulty-meter']);
  });

  it('reports a circuit drawing power in daylight half-hours', () => {
    const result = reconcile(
      input(day(1000), { plannedKwh: new Map([['C-1', 16]]), meteredKwh: new Map([['C-1', 16]]) }),
    );
    expect(result.deliveryPoints[0]?.daylightKwh).toBe(2);
    expect(result.findings.map((f) => f.kind)).toEqual(['day-burning']);
  });

  it('prices the subscribed power above the maximum demand and its headroom', () => {
    const result = reconcile(
      input(day(), { cabinets: [{ ...cabinet, subscribedKva: 12 }], thresholds: { eurosPerKvaMonth: 1.5 } }),
    );
    expect(result.findings).toEqual([
      expect.objectContaining({ kind: 'over-subscription', deliveryPointId: PDL, yearlyCostEuros: 180 }),
    ]);
  });

  it('reconciles index readings by the difference of the first and last index of the period', () => {
    const readings = [
      { deliveryPointId: PDL, date: '2026-01-16', indexKwh: 1014 },
      { deliveryPointId: PDL, date: '2026-01-15', indexKwh: 1000 },
    ];
    const result = reconcile(input([], { readings: { kind: 'index', readings } }));
    expect(result.deliveryPoints[0]).toMatchObject({ billedKwh: 14, maxDemandKva: null });
    expect(result.findings).toEqual([]);
  });

  it('reports an index that went down as a faulty meter', () => {
    const readings = [
      { deliveryPointId: PDL, date: '2026-01-15', indexKwh: 1000 },
      { deliveryPointId: PDL, date: '2026-01-16', indexKwh: 900 },
    ];
    expect(kinds(input([], { readings: { kind: 'index', readings } }))).toEqual(['faulty-meter']);
  });

  it('scales the billed energy and the maximum demand with the readings', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 50, noNaN: true }), (k) => {
        const base = reconcile(input(day(300))).deliveryPoints[0];
        const scaled = reconcile(input(day(300).map((r) => ({ ...r, powerW: r.powerW * k }))))
          .deliveryPoints[0];
        expect(scaled?.billedKwh).toBeCloseTo((base?.billedKwh ?? 0) * k, 6);
        expect(scaled?.maxDemandKva).toBeCloseTo((base?.maxDemandKva ?? 0) * k, 6);
        expect(scaled?.daylightKwh).toBeCloseTo((base?.daylightKwh ?? 0) * k, 6);
      }),
      { numRuns: 30 },
    );
  });

  it('gives the same figures and findings whatever the order of the rows and cabinets', () => {
    const other: ReconcileCabinet = {
      ...cabinet,
      id: 'C-2',
      deliveryPointId: '30009876543210',
      subscribedKva: 9,
    };
    const readings = [...day(400), ...day().map((r) => ({ ...r, deliveryPointId: other.deliveryPointId }))];
    const base = {
      cabinets: [cabinet, other],
      plannedKwh: new Map([
        ['C-1', 14],
        ['C-2', 3],
      ]),
    };
    const expected = reconcile(input(readings, base));
    fc.assert(
      fc.property(
        fc.shuffledSubarray(readings, { minLength: readings.length }),
        fc.boolean(),
        (shuffled, flip) => {
          const cabinets = flip ? [other, cabinet] : [cabinet, other];
          expect(reconcile(input(shuffled, { ...base, cabinets }))).toEqual(expected);
        },
      ),
      { numRuns: 30 },
    );
  });
});
