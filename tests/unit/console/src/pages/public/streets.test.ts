import { describe, expect, it } from 'vitest';
import { findStreets, nightsOfMonth, timetableRow } from '#console/src/pages/public/streets.ts';
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

describe('nightsOfMonth', () => {
  it('lists every date of the month, leap February included', () => {
    expect(nightsOfMonth('2028-02')).toHaveLength(29);
    expect(nightsOfMonth('2026-11')[29]).toBe('2026-11-30');
  });
});
