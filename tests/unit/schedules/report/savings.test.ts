import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlannedNight } from '#schedules/report/night-windows.ts';
import {
  type LuminaireNightReadings,
  type ReportLuminaire,
  type SavingsReportInput,
  savingsReport,
} from '#schedules/report/savings.ts';
import { flatPricing } from '#tests/support/schedules/pricing.ts';

const site = { name: 'Carcassonne', co2KgPerKwh: 0.053, currency: 'EUR' };
const FLAT = flatPricing(0.2);
const mercury: ReportLuminaire = {
  id: 'L-1',
  zone: 'cite',
  street: 'Rue Trivalle',
  ledWatts: 70,
  baselineWatts: 125,
};
/** Every luminaire-night planned from 1000 to 5000 here; one report interval of slack. */
const WINDOW = { start: 1000, end: 5000 };
/** Planned lit 9 h; a luminaire without a meter is stipulated to use 385 Wh (the 70 W LED dimmed). */
const PLANNED: PlannedNight = {
  ...WINDOW,
  litHours: 9,
  plannedWh: 385,
  shares: FLAT.shares,
  baselineShares: FLAT.shares,
};
const SLACK = 900;

function input(overrides: Partial<SavingsReportInput>): SavingsReportInput {
  return {
    site,
    from: '2026-06-01',
    to: '2026-06-01',
    groupBy: 'site',
    luminaires: [mercury],
    nightHours: new Map([['2026-06-01', 9]]),
    plannedOf: () => PLANNED,
    pricing: FLAT.pricing,
    contracts: FLAT.contracts,
    period: { start: 0, end: 100_000 },
    alarms: [],
    slackSeconds: SLACK,
    readings: [],
    ...overrides,
  };
}

const complete = (luminaireId: string, night: string, wh: number, burnH = 9): LuminaireNightReadings => ({
  luminaireId,
  night,
  wh,
  burnH,
  firstTs: WINDOW.start,
  lastTs: WINDOW.end,
});

describe('savings report', () => {
  it('splits a 125 W mercury → 70 W LED dimmed 50 % for 7 h of a 9 h night into LED and controls savings (~65 %)', () => {
    // metered: 2 h at 70 W + 7 h at 35 W = 385 Wh; baseline 9 h × 125 W = 1125 Wh; LED at 100 %: 630 Wh.
    const { total } = savingsReport(input({ readings: [complete('L-1', '2026-06-01', 385)] }));
    expect(total.meteredKwh).toBeCloseTo(0.385, 9);
    expect(total.baselineKwh).toBeCloseTo(1.125, 9);
    expect(total.ledConversionSavingsKwh).toBeCloseTo(0.495, 9);
    expect(total.controlsSavingsKwh).toBeCloseTo(0.245, 9);
    expect(total.savingsShare).toBeCloseTo(0.6578, 4);
    expect(total.savingsCost).toBeCloseTo(0.74 * 0.2, 9);
    expect(total.co2AvoidedKg).toBeCloseTo(0.74 * 0.053, 9);
    expect(total.burningHours).toBe(9);
    expect(total.completeShare).toBe(1);
  });

  it('counts savings from complete nights only, and partial and silent nights apart', () => {
    const luminaires = [mercury, { ...mercury, id: 'L-2' }, { ...mercury, id: 'L-3' }];
    const lateStart = { ...complete('L-2', '2026-06-01', 100), firstTs: WINDOW.start + SLACK + 1 };
    const { total } = savingsReport(
      input({ luminaires, readings: [complete('L-1', '2026-06-01', 385), lateStart] }),
    );
    expect([
      total.completeLuminaireNights,
      total.partialLuminaireNights,
      total.silentLuminaireNights,
    ]).toEqual([1, 1, 1]);
    expect(total.meteredKwh).toBeCloseTo(0.385, 9);
    expect(total.partialMeteredKwh).toBeCloseTo(0.1, 9);
    expect(total.baselineKwh).toBeCloseTo(1.125, 9);
    expect(total.completeShare).toBeCloseTo(1 / 3, 9);
  });

  it("uses each complete luminaire-night's own wattages for the baseline", () => {
    const luminaires = [mercury, { ...mercury, id: 'L-2', baselineWatts: 175, ledWatts: 50 }];
    const nightHours = new Map([
      ['2026-06-01', 9],
      ['2026-06-02', 10],
    ]);
    const readings = [
      complete('L-1', '2026-06-01', 200),
      complete('L-2', '2026-06-01', 200),
      complete('L-2', '2026-06-02', 300),
    ];
    const { total } = savingsReport(input({ luminaires, nightHours, to: '2026-06-02', readings }));
    // 125 × 9 + 175 × 9 + 175 × 10 = 4450 Wh
    expect(total.baselineKwh).toBeCloseTo(4.45, 9);
    expect(total.ledReferenceKwh).toBeCloseTo((70 * 9 + 50 * 19) / 1000, 9);
    expect(total.completeLuminaireNights).toBe(3);
    expect(total.silentLuminaireNights).toBe(1);
    expect(total.luminaireNights).toBe(4);
  });

  it('shows every zone of the inventory, a silent one with 0 %', () => {
    const luminaires = [mercury, { ...mercury, id: 'L-2', zone: 'trebes', street: 'Avenue Pierre Curie' }];
    const report = savingsReport(
      input({ groupBy: 'zone', luminaires, readings: [complete('L-1', '2026-06-01', 385)] }),
    );
    expect(
      report.groups.map((g) => [g.key, g.luminaires, g.silentLuminaireNights, g.meteredKwh, g.savingsShare]),
    ).toEqual([
      ['cite', 1, 0, 0.385, expect.closeTo(0.6578, 4)],
      ['trebes', 1, 1, 0, 0],
    ]);
  });

  it('groups by street as zone / street', () => {
    const luminaires = [mercury, { ...mercury, id: 'L-2', street: 'Rue de la Cité' }];
    const report = savingsReport(input({ groupBy: 'street', luminaires }));
    expect(report.groups.map((g) => g.key)).toEqual(['cite / Rue de la Cité', 'cite / Rue Trivalle']);
  });

  it('groups by month, each month counting its own nights', () => {
    const nightHours = new Map([
      ['2026-06-30', 9],
      ['2026-07-01', 9],
      ['2026-07-02', 9],
    ]);
    const readings = [...nightHours.keys()].map((night) => complete('L-1', night, 385));
    const report = savingsReport(
      input({ groupBy: 'month', from: '2026-06-30', to: '2026-07-02', nightHours, readings }),
    );
    expect(report.groups.map((g) => [g.key, g.luminaireNights, g.completeShare])).toEqual([
      ['2026-06', 1, 1],
      ['2026-07', 2, 1],
    ]);
    expect(report.months).toEqual(report.groups);
  });

  it('ignores readings outside the period and of luminaires not in the inventory', () => {
    const readings = [complete('L-1', '2026-05-31', 999), complete('L-9', '2026-06-01', 999)];
    const { total } = savingsReport(input({ readings }));
    expect(total.meteredKwh).toBe(0);
    expect(total.silentLuminaireNights).toBe(1);
  });

  it('classifies every luminaire-night once, and savings split exactly into LED conversion plus controls', () => {
    const zones = ['cite', 'bastide', 'trebes'];
    const luminaires = zones.flatMap((zone, z) =>
      [0, 1, 2].map((i) => ({ ...mercury, id: `L-${z}-${i}`, zone, baselineWatts: 100 + 25 * i })),
    );
    const reading = fc.record({
      index: fc.nat({ max: luminaires.length - 1 }),
      wh: fc.double({ min: 0, max: 5000, noNaN: true }),
      burnH: fc.double({ min: 0, max: 16, noNaN: true }),
      firstTs: fc.integer({ min: 0, max: 6000 }),
      length: fc.integer({ min: 0, max: 6000 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(reading, { selector: (r) => r.index, maxLength: luminaires.length }),
        fc.double({ min: 6, max: 16, noNaN: true }),
        fc.constantFrom('site', 'zone', 'street', 'month') as fc.Arbitrary<SavingsReportInput['groupBy']>,
        (drawn, hours, groupBy) => {
          const readings = drawn.map((r) => ({
            luminaireId: luminaires[r.index]?.id ?? '',
            night: '2026-06-01',
            wh: r.wh,
            burnH: r.burnH,
            firstTs: r.firstTs,
            lastTs: r.firstTs + r.length,
          }));
          const report = savingsReport(
            input({ groupBy, luminaires, nightHours: new Map([['2026-06-01', hours]]), readings }),
          );
          const { total } = report;
          expect(
            total.completeLuminaireNights + total.partialLuminaireNights + total.silentLuminaireNights,
          ).toBe(luminaires.length);
          expect(total.silentLuminaireNights).toBe(luminaires.length - readings.length);
          expect(total.meteredKwh + total.partialMeteredKwh).toBeCloseTo(
            readings.reduce((sum, r) => sum + r.wh, 0) / 1000,
            6,
          );
          for (const figures of [total, ...report.groups]) {
            expect(figures.ledConversionSavingsKwh + figures.controlsSavingsKwh).toBeCloseTo(
              figures.savingsKwh,
              6,
            );
          }
          const sum = (field: 'baselineKwh' | 'completeLuminaireNights' | 'luminaires') =>
            report.groups.reduce((s, g) => s + g[field], 0);
          expect(sum('baselineKwh')).toBeCloseTo(total.baselineKwh, 6);
          expect(sum('completeLuminaireNights')).toBe(total.completeLuminaireNights);
          expect(sum('luminaires')).toBe(total.luminaires);
        },
      ),
    );
  });
});

describe('savings report: methods, prices and indicators', () => {
  const twoLines = (meteredPrice: number, baselinePrice: number) => {
    const metered = { lines: [0, 1], fractions: [0.25, 0.75], eurPerKwh: meteredPrice };
    const baseline = { lines: [0, 1], fractions: [0.5, 0.5], eurPerKwh: baselinePrice };
    return {
      plannedOf: () => ({ ...PLANNED, shares: metered, baselineShares: baseline }),
      pricing: {
        lines: [
          { tariffId: 'flat', season: 'all-year', period: 'HP', eurPerKwh: 0.3 },
          { tariffId: 'flat', season: 'all-year', period: 'HC', eurPerKwh: 0.1 },
        ],
      },
    };
  };

  it('counts a luminaire without a controller by IPMVP Option A, stipulated from its plan', () => {
    const luminaires = [mercury, { ...mercury, id: 'L-2', controller: 'none' as const }];
    const report = savingsReport(input({ luminaires, readings: [complete('L-1', '2026-06-01', 385)] }));
    const { total } = report;
    expect(report.ipmvpOption).toBe('A+B');
    expect([
      total.completeLuminaireNights,
      total.stipulatedLuminaireNights,
      total.silentLuminaireNights,
    ]).toEqual([1, 1, 0]);
    expect(total.stipulatedKwh).toBeCloseTo(0.385, 9);
    expect(total.baselineKwh).toBeCloseTo(2 * 1.125, 9);
    expect(total.savingsKwh).toBeCloseTo(2 * 1.125 - 2 * 0.385, 9);
    expect([total.completeShare, total.stipulatedShare]).toEqual([0.5, 0.5]);
    const alone = savingsReport(input({ luminaires: [luminaires[1] as ReportLuminaire] }));
    expect(alone.ipmvpOption).toBe('A');
  });

  it('prices metered energy at its planned profile and the baseline at sunset-to-sunrise shares', () => {
    const report = savingsReport(
      input({ ...twoLines(0.15, 0.2), readings: [complete('L-1', '2026-06-01', 1000)] }),
    );
    expect(report.total.meteredCost).toBeCloseTo(0.15, 9);
    expect(report.total.baselineCost).toBeCloseTo(1.125 * 0.2, 9);
    expect(report.bill.energy.map((l) => [l.period, l.kwh])).toEqual([
      ['HP', 0.25],
      ['HC', 0.75],
    ]);
    expect(report.tariffs).toEqual([
      {
        option: null,
        id: 'flat',
        label: expect.any(String),
        source: null,
        from: '2026-06-01',
        to: '2026-06-01',
        nights: 1,
      },
    ]);
  });

  it('bills partial nights too (the energy was drawn), but no saving rests on them', () => {
    const late = { ...complete('L-1', '2026-06-01', 400), firstTs: WINDOW.start + SLACK + 1 };
    const report = savingsReport(input({ readings: [late] }));
    expect(report.total.savingsKwh).toBe(0);
    expect(report.bill.energy.reduce((sum, l) => sum + l.kwh, 0)).toBeCloseTo(0.4, 9);
  });

  it('measures availability as burning hours against planned lit hours, capped night by night', () => {
    const luminaires = [mercury, { ...mercury, id: 'L-2' }];
    const readings = [complete('L-1', '2026-06-01', 385, 12), complete('L-2', '2026-06-01', 385, 4.5)];
    const report = savingsReport(input({ luminaires, readings }));
    expect(report.total.plannedLitHours).toBe(18);
    expect(report.total.availability).toBeCloseTo((9 + 4.5) / 18, 9);
    expect(report.kpis.availability).toBeCloseTo(report.total.availability, 9);
  });
});
