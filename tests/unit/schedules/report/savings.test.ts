import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ReportLuminaire,
  type RollupRow,
  type SavingsReportInput,
  savingsReport,
} from '../../../../schedules/report/savings.ts';

const site = { name: 'Carcassonne', tariffEurPerKwh: 0.2, co2KgPerKwh: 0.053, currency: 'EUR' };
const mercury: ReportLuminaire = { zone: 'cite', street: 'Rue Trivalle', ledWatts: 70, baselineWatts: 125 };

function input(overrides: Partial<SavingsReportInput>): SavingsReportInput {
  return {
    site,
    from: '2026-06-01',
    to: '2026-06-01',
    groupBy: 'site',
    luminaires: [mercury],
    nightHours: new Map([['2026-06-01', 9]]),
    rollups: [],
    ...overrides,
  };
}

describe('savings report', () => {
  it('splits a 125 W mercury → 70 W LED dimmed 50 % for 7 h of a 9 h night into LED and controls savings (~65 %)', () => {
    // metered: 2 h at 70 W + 7 h at 35 W = 385 Wh; baseline 9 h × 125 W = 1125 Wh; LED at 100 %: 630 Wh.
    const rows: RollupRow[] = [{ period: '2026-06-01', zone: 'cite', wh: 385, burnH: 9, luminaireDays: 1 }];
    const { total } = savingsReport(input({ rollups: rows }));
    expect(total.meteredKwh).toBeCloseTo(0.385, 9);
    expect(total.baselineKwh).toBeCloseTo(1.125, 9);
    expect(total.ledConversionSavingsKwh).toBeCloseTo(0.495, 9);
    expect(total.controlsSavingsKwh).toBeCloseTo(0.245, 9);
    expect(total.savingsShare).toBeCloseTo(0.6578, 4);
    expect(total.savingsCost).toBeCloseTo(0.74 * 0.2, 9);
    expect(total.co2AvoidedKg).toBeCloseTo(0.74 * 0.053, 9);
    expect(total.burningHours).toBe(9);
    expect(total.reportingShare).toBe(1);
  });

  it('counts the baseline only for luminaire-nights that reported, and says how many did', () => {
    const luminaires = [mercury, { ...mercury, baselineWatts: 175, ledWatts: 50 }];
    const nightHours = new Map([
      ['2026-06-01', 9],
      ['2026-06-02', 10],
    ]);
    const rollups: RollupRow[] = [
      { period: '2026-06-01', zone: 'cite', wh: 400, burnH: 18, luminaireDays: 2 },
      { period: '2026-06-02', zone: 'cite', wh: 300, burnH: 10, luminaireDays: 1 },
    ];
    const { total } = savingsReport(input({ luminaires, nightHours, to: '2026-06-02', rollups }));
    // mean baseline 150 W: 2 × 150 × 9 + 1 × 150 × 10 = 4200 Wh
    expect(total.baselineKwh).toBeCloseTo(4.2, 9);
    expect(total.reportingLuminaireNights).toBe(3);
    expect(total.luminaireNights).toBe(4);
    expect(total.reportingShare).toBe(0.75);
  });

  it('groups by zone, adding up write-shard rows of one zone-night', () => {
    const luminaires = [mercury, { ...mercury, zone: 'trebes', street: 'Avenue Pierre Curie' }];
    const rollups: RollupRow[] = [
      { period: '2026-06-01', zone: 'trebes', wh: 200, burnH: 4, luminaireDays: 1 },
      { period: '2026-06-01', zone: 'cite', wh: 100, burnH: 5, luminaireDays: 0 },
      { period: '2026-06-01', zone: 'cite', wh: 285, burnH: 4, luminaireDays: 1 },
    ];
    const report = savingsReport(input({ groupBy: 'zone', luminaires, rollups }));
    expect(report.groups.map((g) => [g.key, g.luminaires, g.meteredKwh])).toEqual([
      ['cite', 1, 0.385],
      ['trebes', 1, 0.2],
    ]);
    expect(report.total.meteredKwh).toBeCloseTo(0.585, 9);
  });

  it('groups by month, each month counting its own nights', () => {
    const nightHours = new Map([
      ['2026-06-30', 9],
      ['2026-07-01', 9],
      ['2026-07-02', 9],
    ]);
    const rollups: RollupRow[] = [...nightHours.keys()].map((night) => ({
      period: night,
      zone: 'cite',
      wh: 385,
      burnH: 9,
      luminaireDays: 1,
    }));
    const report = savingsReport(
      input({ groupBy: 'month', from: '2026-06-30', to: '2026-07-02', nightHours, rollups }),
    );
    expect(report.groups.map((g) => [g.key, g.luminaireNights, g.reportingShare])).toEqual([
      ['2026-06', 1, 1],
      ['2026-07', 2, 1],
    ]);
    expect(report.months).toEqual(report.groups);
  });

  it('uses street/month rows with the mean night of the month for street grouping', () => {
    const nightHours = new Map([
      ['2026-06-01', 9],
      ['2026-06-02', 11],
    ]);
    const rollups: RollupRow[] = [
      { period: '2026-06', zone: 'cite', street: 'Rue Trivalle', wh: 800, burnH: 20, luminaireDays: 2 },
    ];
    const report = savingsReport(input({ groupBy: 'street', to: '2026-06-02', nightHours, rollups }));
    expect(report.groups[0]?.key).toBe('cite / Rue Trivalle');
    // 2 luminaire-nights × 125 W × 10 h mean night
    expect(report.groups[0]?.baselineKwh).toBeCloseTo(2.5, 9);
  });

  it('ignores rollups outside the period', () => {
    const rollups: RollupRow[] = [
      { period: '2026-05-31', zone: 'cite', wh: 999, burnH: 9, luminaireDays: 1 },
    ];
    expect(savingsReport(input({ rollups })).total.meteredKwh).toBe(0);
  });

  it('always splits savings exactly into LED conversion plus controls', () => {
    const row = fc.record({
      wh: fc.double({ min: 0, max: 5000, noNaN: true }),
      burnH: fc.double({ min: 0, max: 16, noNaN: true }),
      luminaireDays: fc.integer({ min: 0, max: 3 }),
      zone: fc.constantFrom('cite', 'bastide', 'trebes'),
    });
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 20 }),
        fc.double({ min: 6, max: 16, noNaN: true }),
        (rows, hours) => {
          const report = savingsReport(
            input({
              groupBy: 'zone',
              nightHours: new Map([['2026-06-01', hours]]),
              rollups: rows.map((r) => ({ ...r, period: '2026-06-01' })),
            }),
          );
          for (const figures of [report.total, ...report.groups]) {
            expect(figures.ledConversionSavingsKwh + figures.controlsSavingsKwh).toBeCloseTo(
              figures.savingsKwh,
              6,
            );
          }
          const sum = report.groups.reduce((s, g) => s + g.baselineKwh, 0);
          expect(sum).toBeCloseTo(report.total.baselineKwh, 6);
        },
      ),
    );
  });
});
