import { describe, expect, it } from 'vitest';
import { Tariff } from '#schedules/config/schema.ts';
import { billEstimate } from '#schedules/tariff/bill.ts';
import { offPeakTariff } from '#tests/support/schedules/fixtures.ts';

const tariff = Tariff.parse(offPeakTariff);
const lines = [
  { tariffId: tariff.id, season: 'all-year', period: 'HC', eurPerKwh: 0.12 },
  { tariffId: tariff.id, season: 'all-year', period: 'HP', eurPerKwh: 0.18 },
];
const june = Array.from({ length: 30 }, (_, d) => `2026-06-${String(d + 1).padStart(2, '0')}`);

describe('billEstimate', () => {
  it('adds energy by period, the fixed part of the whole month, then the tax lines in order', () => {
    const bill = billEstimate({
      lines,
      kwhByLine: [1000, 100],
      nights: june,
      contracts: [{ option: 'ep-c5', subscribedKva: 36, tariffOf: () => tariff }],
    });
    expect(bill.energy.map((l) => l.amount)).toEqual([120, expect.closeTo(18, 9)]);
    expect(bill.subscription).toEqual([
      {
        tariffId: tariff.id,
        option: 'ep-c5',
        kva: 36,
        eurPerKvaMonth: 1.5,
        months: expect.closeTo(1, 9),
        amount: expect.closeTo(54, 9),
      },
    ]);
    expect(bill.totalExcludingTaxes).toBeCloseTo(192, 9);
    const [excise, cta, vat] = bill.taxes;
    expect(excise?.amount).toBeCloseTo(1100 * 0.0225, 9);
    expect(cta?.amount).toBeCloseTo(54 * 0.2193, 9);
    expect(vat?.amount).toBeCloseTo((192 + 24.75 + 54 * 0.2193) * 0.2, 9);
    expect(bill.total).toBeCloseTo((192 + 24.75 + 54 * 0.2193) * 1.2, 9);
  });

  it('charges the fixed part pro rata of the nights of each month', () => {
    const bill = billEstimate({
      lines,
      kwhByLine: [0, 0],
      nights: june.slice(0, 15),
      contracts: [{ option: 'ep-c5', subscribedKva: 10, tariffOf: () => tariff }],
    });
    expect(bill.subscription[0]?.amount).toBeCloseTo(7.5, 9);
    expect(bill.energy).toEqual([]);
  });

  it("bills each option's delivery points on its own tariff: energy by its lines, its kVA at its price", () => {
    const c4 = Tariff.parse({
      ...offPeakTariff,
      id: 'ep-c4-2026',
      option: 'ep-c4',
      subscriptionEurPerKvaMonth: 2,
    });
    const c4Line = { tariffId: c4.id, season: 'all-year', period: 'HC', eurPerKwh: 0.12 };
    const bill = billEstimate({
      lines: [...lines, c4Line],
      kwhByLine: [1000, 0, 500],
      nights: june,
      contracts: [
        { option: null, subscribedKva: 0, tariffOf: () => tariff },
        { option: 'ep-c5', subscribedKva: 36, tariffOf: () => tariff },
        { option: 'ep-c4', subscribedKva: 100, tariffOf: () => c4 },
      ],
    });
    expect(bill.energy.map((l) => [l.tariffId, l.amount])).toEqual([
      [tariff.id, 120],
      [c4.id, 60],
    ]);
    expect(bill.subscription.map((l) => [l.tariffId, l.option, l.kva, l.amount])).toEqual([
      [tariff.id, 'ep-c5', 36, expect.closeTo(54, 9)],
      [c4.id, 'ep-c4', 100, expect.closeTo(200, 9)],
    ]);
    expect(bill.totalExcludingTaxes).toBeCloseTo(120 + 60 + 54 + 200, 9);
  });
});
