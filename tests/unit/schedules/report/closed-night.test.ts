import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cabinet, Config, circuitsOf } from '#schedules/index.ts';
import { hasOwnController } from '#schedules/inventory/schema.ts';
import { closeNightAsPlanned } from '#schedules/report/closed-night.ts';
import { classifyNight } from '#schedules/report/night-classes.ts';
import type { PlannedNight } from '#schedules/report/night-windows.ts';
import {
  type LuminaireNightReadings,
  type ReportLuminaire,
  type SavingsReportInput,
  savingsReport,
} from '#schedules/report/savings.ts';
import { flatTariff } from '#schedules/tariff/periods.ts';
import type { PriceLine, Shares } from '#schedules/tariff/prices.ts';
import {
  cabinet,
  carcassonne,
  luminaire as fixture,
  offPeakTariff,
} from '#tests/support/schedules/fixtures.ts';

/** Two price lines of the tariff every night falls under here. */
const LINES: PriceLine[] = [
  { tariffId: 'flat', season: 'winter', period: 'HP', eurPerKwh: 0.3 },
  { tariffId: 'flat', season: 'winter', period: 'HC', eurPerKwh: 0.1 },
];
const NIGHTS = ['2026-01-30', '2026-01-31', '2026-02-01'];
const SLACK = 900;
const site = { name: 'Carcassonne', co2KgPerKwh: 0.053, currency: 'EUR' };

const sharesOf = (hp: number): Shares => ({
  lines: [0, 1],
  fractions: [hp, 1 - hp],
  eurPerKwh: 0.3 * hp + 0.1 * (1 - hp),
});

/**
 * The report as it was computed before nights were closed: every luminaire-night of the period
 * added straight into its group (the oracle the closed-night sums must equal).
 */
function perLuminaireSums(input: SavingsReportInput) {
  const readings = new Map(input.readings.map((r) => [`${r.luminaireId}/${r.night}`, r]));
  const groups = new Map<string, { ids: Set<string>; nights: number[]; wh: number[]; kwh: number[] }>();
  const keyOf = (l: ReportLuminaire, night: string) =>
    ({ site: site.name, zone: l.zone, street: `${l.zone} / ${l.street}`, month: night.slice(0, 7) })[
      input.groupBy
    ];
  for (const l of input.luminaires) {
    for (const [night, hours] of input.nightHours) {
      const reading = readings.get(`${l.id}/${night}`);
      const planned = input.plannedOf(l.id, night);
      const kind = hasOwnController(l) ? classifyNight(planned, reading, input.slackSeconds) : 'stipulated';
      const wh = hasOwnController(l) ? (reading?.wh ?? 0) : planned.plannedWh;
      const key = keyOf(l, night);
      let g = groups.get(key);
      if (g === undefined) {
        g = { ids: new Set(), nights: [0, 0, 0, 0], wh: [0, 0, 0, 0, 0, 0, 0], kwh: [0, 0] };
        groups.set(key, g);
      }
      g.ids.add(l.id);
      const k = ['complete', 'partial', 'silent', 'stipulated'].indexOf(kind);
      g.nights[k] = (g.nights[k] ?? 0) + 1;
      if (kind === 'silent') continue;
      planned.shares.lines.forEach((line, i) => {
        g.kwh[line] = (g.kwh[line] ?? 0) + (wh * (planned.shares.fractions[i] ?? 0)) / 1000;
      });
      if (kind === 'partial') {
        g.wh[1] = (g.wh[1] ?? 0) + wh;
        continue;
      }
      const add = (i: number, v: number) => {
        g.wh[i] = (g.wh[i] ?? 0) + v;
      };
      add(kind === 'complete' ? 0 : 2, wh);
      add(3, l.baselineWatts * hours);
      add(4, l.ledWatts * hours);
      add(5, wh * planned.shares.eurPerKwh);
      add(6, l.baselineWatts * hours * planned.baselineShares.eurPerKwh);
    }
  }
  return groups;
}

const luminaire = fc.record({
  zone: fc.constantFrom('cite', 'bastide'),
  street: fc.constantFrom('Rue Trivalle', 'Rue de la Cité'),
  ledWatts: fc.integer({ min: 10, max: 150 }),
  baselineWatts: fc.integer({ min: 50, max: 400 }),
  metered: fc.boolean(),
});
const night = fc.record({
  start: fc.integer({ min: 0, max: 3000 }),
  length: fc.integer({ min: 1000, max: 6000 }),
  litHours: fc.double({ min: 0, max: 14, noNaN: true }),
  plannedWh: fc.double({ min: 0, max: 2000, noNaN: true }),
  hp: fc.double({ min: 0, max: 1, noNaN: true }),
  /** The baseline's share of HP hours on the luminaire's delivery point (its cabinet's option). */
  baselineHp: fc.double({ min: 0, max: 1, noNaN: true }),
  reading: fc.option(
    fc.record({
      wh: fc.double({ min: 0, max: 3000, noNaN: true }),
      burnH: fc.double({ min: 0, max: 16, noNaN: true }),
      firstTs: fc.integer({ min: 0, max: 5000 }),
      lastTs: fc.integer({ min: 2000, max: 12000 }),
    }),
  ),
});

/** Equal but for the order floating-point sums were added in. */
const close = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));

describe('closed nights', () => {
  it('add up to the same report as every luminaire-night counted straight into its group', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(luminaire, fc.array(night, { minLength: 3, maxLength: 3 })), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.constantFrom('site', 'zone', 'street', 'month') as fc.Arbitrary<SavingsReportInput['groupBy']>,
        (drawn, groupBy) => {
          const luminaires: ReportLuminaire[] = drawn.map(([l], i) => ({
            id: `L-${i}`,
            zone: l.zone,
            street: l.street,
            ledWatts: l.ledWatts,
            baselineWatts: l.baselineWatts,
            ...(l.metered ? {} : { controller: 'none' as const }),
          }));
          const planned = new Map<string, PlannedNight>();
          const readings: LuminaireNightReadings[] = [];
          drawn.forEach(([, nights], i) => {
            nights.forEach((n, k) => {
              const date = NIGHTS[k] as string;
              planned.set(`L-${i}/${date}`, {
                start: n.start,
                end: n.start + n.length,
                litHours: n.litHours,
                plannedWh: n.plannedWh,
                shares: sharesOf(n.hp),
                baselineShares: sharesOf(n.baselineHp),
              });
              if (n.reading !== null) readings.push({ luminaireId: `L-${i}`, night: date, ...n.reading });
            });
          });
          const input: SavingsReportInput = {
            site,
            from: NIGHTS[0] as string,
            to: NIGHTS[2] as string,
            groupBy,
            luminaires,
            nightHours: new Map(NIGHTS.map((date, k) => [date, 10 + k])),
            plannedOf: (id, date) => planned.get(`${id}/${date}`) as PlannedNight,
            pricing: { lines: LINES },
            contracts: [{ option: null, subscribedKva: 0, tariffOf: () => flatTariff(0.2) }],
            period: { start: 0, end: 100_000 },
            alarms: [],
            slackSeconds: SLACK,
            readings,
          };
          const report = savingsReport(input);
          const oracle = perLuminaireSums(input);
          expect(report.groups.map((g) => g.key)).toEqual(
            [...oracle.keys()].sort((a, b) => a.localeCompare(b)),
          );
          for (const group of report.groups) {
            const o = oracle.get(group.key);
            if (o === undefined) throw new Error(`no oracle group ${group.key}`);
            expect(group.luminaires).toBe(o.ids.size);
            expect([
              group.completeLuminaireNights,
              group.partialLuminaireNights,
              group.silentLuminaireNights,
              group.stipulatedLuminaireNights,
            ]).toEqual(o.nights);
            const [metered, partial, stipulated, baseline, led, meteredCost, baselineCost] = o.wh as number[];
            close(group.meteredKwh, (metered as number) / 1000);
            close(group.partialMeteredKwh, (partial as number) / 1000);
            close(group.stipulatedKwh, (stipulated as number) / 1000);
            close(group.baselineKwh, (baseline as number) / 1000);
            close(group.ledReferenceKwh, (led as number) / 1000);
            close(group.meteredCost, (meteredCost as number) / 1000);
            close(group.baselineCost, (baselineCost as number) / 1000);
          }
          const billed = [...oracle.values()].reduce(
            ([hp, hc], g): [number, number] => [hp + (g.kwh[0] ?? 0), hc + (g.kwh[1] ?? 0)],
            [0, 0] as [number, number],
          );
          const bill = new Map(report.bill.energy.map((line) => [line.period, line.kwh]));
          for (const [i, line] of LINES.entries()) close(bill.get(line.period) ?? 0, billed[i] ?? 0);
        },
      ),
    );
  });
});

describe('a night closed behind cabinets on different contract options', () => {
  /** One price all day and all year on the delivery points of `option`. */
  const flatOn = (option: string, eurPerKwh: number) => ({
    ...offPeakTariff,
    id: `${option}-2026`,
    option,
    seasons: [
      {
        name: 'all-year',
        months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        periods: [{ name: 'base', eurPerKwh, slots: [{ from: '00:00', to: '24:00' }] }],
      },
    ],
  });
  const cabinetOn = (id: string, tariffOption: string, deliveryPointId: string) =>
    Cabinet.parse({ ...cabinet('clock'), id, tariffOption, deliveryPointId });

  it("prices each luminaire's baseline on its own cabinet's option", () => {
    const site = Config.parse({
      ...carcassonne,
      site: { ...carcassonne.site, tariffs: [flatOn('cheap', 0.1), flatOn('dear', 0.3)] },
    });
    const cabinets = [
      cabinetOn('CAB-A', 'cheap', '10000000000001'),
      cabinetOn('CAB-B', 'dear', '10000000000002'),
    ];
    const luminaires = [
      fixture({ id: 'L-A', street: 'Rue A', cabinet: 'CAB-A', controller: 'none' }),
      fixture({ id: 'L-B', street: 'Rue B', cabinet: 'CAB-B', controller: 'none' }),
    ];
    const closed = closeNightAsPlanned(
      site,
      luminaires,
      '2026-06-10',
      new Map(),
      circuitsOf(cabinets, luminaires),
    );
    const [a, b] = closed.streets;
    expect([a?.street, b?.street]).toEqual(['Rue A', 'Rue B']);
    expect(a?.baselineWh).toBeGreaterThan(0);
    expect(b?.baselineWh).toBe(a?.baselineWh);
    expect(a?.baselineCostWh).toBeCloseTo((a?.baselineWh ?? 0) * 0.1, 9);
    expect(b?.baselineCostWh).toBeCloseTo((b?.baselineWh ?? 0) * 0.3, 9);
  });
});
