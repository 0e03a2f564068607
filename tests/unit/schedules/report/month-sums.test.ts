import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ClosedNight, lineKey } from '#schedules/report/closed-night.ts';
import { addNights, type MonthSums, monthOf } from '#schedules/report/month-sums.ts';
import { type ReportGrouping, reportOfClosedNights, reportOfMonths } from '#schedules/report/savings.ts';
import { flatTariff } from '#schedules/tariff/periods.ts';
import type { PriceLine } from '#schedules/tariff/prices.ts';
import { streetSumsOf } from '#tests/support/schedules/street-sums.ts';

const LINES: PriceLine[] = [
  { tariffId: 'flat', season: 'winter', period: 'HP', eurPerKwh: 0.3 },
  { tariffId: 'flat', season: 'winter', period: 'HC', eurPerKwh: 0.1 },
  { tariffId: 'tempo', season: 'winter', period: 'HP', eurPerKwh: 0.5 },
];
/** Across a month's end, so that the period has two months. */
const DATES = ['2026-01-29', '2026-01-30', '2026-01-31', '2026-02-01', '2026-02-02', '2026-02-03'];
const site = { name: 'Carcassonne', co2KgPerKwh: 0.053, currency: 'EUR' };
const PLACES = [
  { zone: 'cite', street: 'Rue Trivalle' },
  { zone: 'cite', street: 'Rue de la Cité' },
  { zone: 'bastide', street: 'Rue Verdun' },
];

const amount = fc.double({ min: 0, max: 1e6, noNaN: true });
const street = fc.record({
  place: fc.constantFrom(...PLACES),
  counts: fc.array(fc.nat(40), { minLength: 4, maxLength: 4 }),
  figures: fc.array(amount, { minLength: 10, maxLength: 10 }),
  kwh: fc.array(fc.option(amount), { minLength: LINES.length, maxLength: LINES.length }),
});
const night = fc.record({
  lines: fc.shuffledSubarray([0, 1, 2]),
  streets: fc.uniqueArray(street, { selector: (s) => s.place, maxLength: PLACES.length }),
});

interface DrawnNight {
  readonly lines: readonly number[];
  readonly streets: readonly {
    readonly place: (typeof PLACES)[number];
    readonly counts: readonly number[];
    readonly figures: readonly number[];
    readonly kwh: readonly (number | null)[];
  }[];
}

function closedNight(date: string, drawn: DrawnNight): ClosedNight {
  return {
    night: date,
    lines: drawn.lines.map((i) => LINES[i] as PriceLine),
    streets: drawn.streets.map(({ place, counts, figures, kwh }) => {
      const kwhByLine: Record<string, number> = {};
      for (const line of drawn.lines) {
        const value = kwh[line];
        if (value !== null && value !== undefined) kwhByLine[lineKey(LINES[line] as PriceLine)] = value;
      }
      return streetSumsOf(place, counts, figures, kwhByLine);
    }),
  };
}

describe('month totals', () => {
  it('extended with the nights after them give the very report of every night added one by one', () => {
    fc.assert(
      fc.property(
        fc.array(night, { minLength: DATES.length, maxLength: DATES.length }),
        fc.array(fc.nat(4), { minLength: 2, maxLength: 2 }),
        fc.constantFrom('site', 'zone', 'street', 'month') as fc.Arbitrary<ReportGrouping>,
        (drawn, stored, groupBy) => {
          const nights = drawn.map((n, i) => closedNight(DATES[i] as string, n));
          const ofMonth = [...new Set(DATES.map(monthOf))].map((month) =>
            nights.filter((n) => monthOf(n.night) === month),
          );
          // Each month's first nights as a stored total (none to all), the rest added to it.
          const months: MonthSums[] = ofMonth.map((monthNights, m) => {
            const month = monthOf(monthNights[0]?.night as string);
            const cut = Math.min(stored[m] ?? 0, monthNights.length);
            return addNights(month, monthNights.slice(cut), addNights(month, monthNights.slice(0, cut)));
          });
          const common = {
            site,
            from: DATES[0] as string,
            to: DATES.at(-1) as string,
            groupBy,
            luminaires: PLACES,
            contracts: [{ option: null, subscribedKva: 6, tariffOf: () => flatTariff(0.2) }],
            period: { start: 0, end: 100_000 },
            alarms: [],
          };
          expect(reportOfMonths({ ...common, months })).toEqual(reportOfClosedNights({ ...common, nights }));
        },
      ),
    );
  });
});
