import { describe, expect, it } from 'vitest';
import {
  communeTimetable,
  findStreets,
  MAX_TIMETABLE_GROUPS,
  timetableRow,
} from '#console/src/pages/public/streets.ts';
import type { StreetNight } from '#schedules/public/street-schedule.ts';

const street = (name: string, fields: Partial<StreetNight> = {}): StreetNight => ({
  zone: 'bastide',
  street: name,
  night: '2026-11-30',
  switchOn: '17:20',
  switchOff: '07:40',
  extinctions: [{ from: '00:30', to: '05:00' }],
  reason: { rule: 'default', profile: 'residential', description: null, temporaryChange: false },
  ...fields,
});

describe('findStreets', () => {
  const streets = [street('Rue Aimé Ramond'), street('Rue de Verdun'), street('Place Carnot')];

  it('finds a street whatever the accents, case and word order typed', () => {
    expect(findStreets(streets, 'ramond AIME').map((s) => s.street)).toEqual(['Rue Aimé Ramond']);
  });

  it('finds nothing for an empty search', () => {
    expect(findStreets(streets, '  ')).toEqual([]);
  });

  it('stops at the limit', () => {
    expect(findStreets(streets, 'rue', 1)).toHaveLength(1);
  });
});

describe('timetableRow', () => {
  it('prints the times most streets of the zone follow', () => {
    const row = timetableRow('2026-12-01', [
      street('a'),
      street('b'),
      street('boulevard', { extinctions: [], switchOn: '17:15' }),
    ]);
    expect(row).toEqual({
      night: '2026-12-01',
      switchOn: '17:20',
      switchOff: '07:40',
      extinctions: '00:30–05:00',
    });
  });
});

describe('communeTimetable', () => {
  const nights = ['2026-12-01', '2026-12-02'];
  const month = (name: string, fields: Partial<StreetNight> = {}) =>
    nights.map((night) => street(name, { night, ...fields }));

  it('groups the streets that keep the same times every night into one table', () => {
    const groups = communeTimetable(nights, [
      ...month('Rue de Verdun'),
      ...month('Place Carnot'),
      ...month('Rue Trivalle', { zone: 'cite', extinctions: [] }),
    ]);
    expect(groups.map((g) => g.streets)).toEqual([['Place Carnot', 'Rue de Verdun'], ['Rue Trivalle']]);
    expect(groups[0]?.rows).toEqual([
      { night: '2026-12-01', switchOn: '17:20', switchOff: '07:40', extinctions: '00:30–05:00' },
      { night: '2026-12-02', switchOn: '17:20', switchOff: '07:40', extinctions: '00:30–05:00' },
    ]);
    expect(groups[1]?.rows[0]?.extinctions).toBe('');
  });

  it('separates a street whose times differ on one night only', () => {
    const groups = communeTimetable(nights, [
      ...month('Rue de Verdun'),
      street('Place Carnot', { night: '2026-12-01' }),
      street('Place Carnot', { night: '2026-12-02', switchOff: '23:00' }),
    ]);
    expect(groups).toHaveLength(2);
  });

  it('falls back to one table per zone, its most common times, when the streets differ too much', () => {
    const streets = Array.from({ length: MAX_TIMETABLE_GROUPS + 1 }, (_, i) =>
      month(`Rue ${i}`, { zone: i < 3 ? 'bastide' : 'cite', switchOn: `17:${10 + i}` }),
    ).flat();
    const groups = communeTimetable(nights, streets);
    expect(groups.map((g) => g.zone)).toEqual(['bastide', 'cite']);
    expect(groups[0]?.streets).toEqual(['Rue 0', 'Rue 1', 'Rue 2']);
    expect(groups[0]?.rows).toHaveLength(2);
  });
});
