import { describe, expect, it } from 'vitest';
import { cabinetTariffProblems } from '#schedules/config/cabinet-tariffs.ts';
import { Tariffs } from '#schedules/config/schema.ts';

const tariff = (id: string, option: string | undefined, validFrom: string) => ({
  id,
  ...(option === undefined ? {} : { option }),
  label: id,
  validFrom,
  seasons: [
    {
      name: 'year',
      months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      periods: [{ name: 'base', eurPerKwh: 0.13, slots: [{ from: '00:00', to: '24:00' }] }],
    },
  ],
});

const site = (tariffs: unknown[]) => ({ site: { tariffs: Tariffs.parse(tariffs) } }) as never;

describe('cabinetTariffProblems', () => {
  it('names each cabinet whose tariff option no tariff has, with the options there are', () => {
    const config = site([tariff('c5', 'ep-c5', '2025-08-01'), tariff('c4', 'ep-c4', '2025-08-01')]);
    const cabinets = [
      { id: 'A', tariffOption: 'ep-c5' },
      { id: 'B', tariffOption: 'ep-c6' },
    ];
    expect(cabinetTariffProblems(config, cabinets, 'cabinets.csv')).toEqual([
      {
        source: 'cabinets.csv',
        path: 'cabinet B, tariffOption',
        message: '"ep-c6" is the option of no tariff of the config (options: ep-c4, ep-c5)',
      },
    ]);
  });

  it('checks nothing on a site priced at its flat tariff', () => {
    expect(cabinetTariffProblems(site([]), [{ id: 'A', tariffOption: 'ep-c5' }], 'c.csv')).toEqual([]);
  });
});

describe('Tariffs', () => {
  it('lets tariffs of different options be valid on the same nights, not two of one option', () => {
    expect(
      Tariffs.safeParse([tariff('c5', 'ep-c5', '2025-08-01'), tariff('c4', 'ep-c4', '2025-08-01')]).success,
    ).toBe(true);
    const clash = Tariffs.safeParse([tariff('a', 'ep-c5', '2025-08-01'), tariff('b', 'ep-c5', '2026-01-01')]);
    expect(clash.success || clash.error.issues.map((issue) => issue.message)).toEqual([
      'validity overlaps tariff "a" (at most one tariff of an option per night)',
    ]);
  });
});
