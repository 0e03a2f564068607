import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Config, Tariff, WEEKDAYS } from '#schedules/config/schema.ts';
import { MINUTES_PER_WEEK, seasonGrid, tariffOn } from '#schedules/tariff/periods.ts';
import { carcassonne, offPeakTariff } from '#tests/support/schedules/fixtures.ts';

const withPeriods = (periods: unknown) => ({
  ...offPeakTariff,
  seasons: [{ name: 'all-year', months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], periods }],
});

const messagesAt = (raw: unknown) => {
  const parsed = Config.safeParse({ ...carcassonne, site: { ...carcassonne.site, tariffs: raw } });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('tariff periods', () => {
  it('accepts periods that cover the week exactly once', () => {
    expect(Tariff.safeParse(offPeakTariff).success).toBe(true);
  });

  it('names the uncovered hours of a season and its path', () => {
    const gap = withPeriods([{ name: 'HC', eurPerKwh: 0.1, slots: [{ from: '00:00', to: '06:00' }] }]);
    expect(messagesAt([gap])).toEqual([
      'site.tariffs.0.seasons.0.periods: no period covers mon 06:00-tue 00:00, tue 06:00-wed 00:00, wed 06:00-thu 00:00 and 4 more',
    ]);
  });

  it('names hours two periods cover', () => {
    const overlap = withPeriods([
      { name: 'HC', eurPerKwh: 0.1, slots: [{ from: '00:00', to: '07:00' }] },
      { name: 'HP', eurPerKwh: 0.2, slots: [{ from: '06:00', to: '24:00' }] },
    ]);
    expect(messagesAt([overlap])).toEqual([
      'site.tariffs.0.seasons.0.periods: periods overlap on mon 06:00-mon 07:00, tue 06:00-tue 07:00, wed 06:00-wed 07:00 and 4 more',
    ]);
  });

  it('refuses months in no season or in two', () => {
    const seasons = [
      { ...offPeakTariff.seasons[0], name: 'winter', months: [1, 2, 3, 11, 12] },
      { ...offPeakTariff.seasons[0], name: 'summer', months: [3, 4, 5, 6, 7, 8, 9] },
    ];
    expect(messagesAt([{ ...offPeakTariff, seasons }])).toEqual([
      'site.tariffs.0.seasons: no season covers Oct',
      'site.tariffs.0.seasons: more than one season covers Mar',
    ]);
  });

  it('refuses a slot crossing midnight, asking for two slots', () => {
    const crossing = withPeriods([{ name: 'HC', eurPerKwh: 0.1, slots: [{ from: '22:00', to: '06:00' }] }]);
    expect(messagesAt([crossing])[0]).toMatch(
      /^site\.tariffs\.0\.seasons\.0\.periods\.0\.slots\.0\.to: to must be after from/,
    );
  });

  it('refuses tariffs valid on the same night, naming the later one', () => {
    const later = { ...offPeakTariff, id: 'ep-2027', validFrom: '2026-12-01' };
    expect(messagesAt([{ ...offPeakTariff, validTo: '2026-12-31' }, later])).toEqual([
      'site.tariffs.1.validFrom: validity overlaps tariff "ep-hphc-2026" (at most one tariff of an option per night)',
    ]);
    expect(messagesAt([{ ...offPeakTariff, validTo: '2026-11-30' }, later])).toEqual([]);
  });

  it('keeps configs without tariffs valid: the flat price applies', () => {
    const parsed = Config.parse(carcassonne);
    expect(parsed.site.tariffs).toEqual([]);
    expect(tariffOn(parsed.site.tariffs, '2026-06-01')).toBeUndefined();
  });

  it('any week cut into consecutive slots covers every minute exactly once', () => {
    // Cut points on the minutes of the week, each stretch given to one of three periods.
    const cuts = fc.uniqueArray(fc.integer({ min: 1, max: MINUTES_PER_WEEK - 1 }), { maxLength: 20 });
    fc.assert(
      fc.property(
        cuts,
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 21, maxLength: 21 }),
        (raw, owners) => {
          const bounds = [0, ...[...raw].sort((a, b) => a - b), MINUTES_PER_WEEK];
          const periods = [0, 1, 2].map((p) => ({
            name: `P${p}`,
            eurPerKwh: 0.1 * (p + 1),
            slots: [] as object[],
          }));
          for (let i = 0; i + 1 < bounds.length; i++) {
            for (const slot of daySlots(bounds[i] as number, bounds[i + 1] as number)) {
              periods[owners[i] as number]?.slots.push(slot);
            }
          }
          const used = periods.filter((p) => p.slots.length > 0);
          const tariff = Tariff.parse(withPeriods(used));
          const { grid, overlaps } = seasonGrid(tariff.seasons[0] as Tariff['seasons'][number]);
          expect(grid.every((p) => p >= 0)).toBe(true);
          expect(overlaps.some(Boolean)).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });
});

/** Minutes [from, to) of the week as slots of single days. */
function daySlots(from: number, to: number): object[] {
  const slots: object[] = [];
  const hhmm = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  for (let start = from; start < to; ) {
    const day = Math.floor(start / 1440);
    const end = Math.min(to, (day + 1) * 1440);
    const toMinute = end - day * 1440;
    slots.push({
      days: [WEEKDAYS[day]],
      from: hhmm(start - day * 1440),
      to: toMinute === 1440 ? '24:00' : hhmm(toMinute),
    });
    start = end;
  }
  return slots;
}
