import { describe, expect, it } from 'vitest';
import {
  acknowledgePath,
  alarmsInListOrder,
  alarmsOnMapHref,
  isNamedAlarmKind,
  keptWithAlarms,
  luminairesWithAlarms,
  mapShowsAlarmsOnly,
} from '#console/src/pages/operations/alarms.ts';

const alarm = (luminaireId: string, kind: string, openedAt: string, acknowledgedAt?: string) => ({
  luminaireId,
  kind,
  zone: 'bastide',
  street: 'Rue de Verdun',
  openedAt,
  ...(acknowledgedAt === undefined ? {} : { acknowledgedAt, acknowledgedBy: 'tech' }),
});

describe('the alarm list', () => {
  it('puts unacknowledged alarms first, the longest open first', () => {
    const ordered = alarmsInListOrder([
      alarm('L-3', 'lampFailure', '2026-11-29T10:00:00Z'),
      alarm('L-1', 'dayBurning', '2026-11-20T10:00:00Z', '2026-11-21T08:00:00Z'),
      alarm('L-2', 'not-reporting', '2026-11-28T10:00:00Z'),
    ]);
    expect(ordered.map((a) => a.luminaireId)).toEqual(['L-2', 'L-3', 'L-1']);
  });

  it('acknowledges through the path of that luminaire and kind, encoded', () => {
    expect(acknowledgePath({ luminaireId: 'L-0001', kind: 'plan-drift' })).toBe(
      '/alarms/L-0001/plan-drift/acknowledge',
    );
    expect(acknowledgePath({ luminaireId: 'L 1/2', kind: 'x' })).toBe('/alarms/L%201%2F2/x/acknowledge');
  });
});

describe('alarms on the map', () => {
  it('are asked for by a flag of the map route', () => {
    const href = alarmsOnMapHref();
    expect(href).toBe('#/map?alarms=1');
    expect(mapShowsAlarmsOnly(new URLSearchParams(href.split('?')[1]))).toBe(true);
    expect(mapShowsAlarmsOnly(new URLSearchParams('zone=bastide'))).toBe(false);
  });

  it('keep each luminaire with an open alarm once', () => {
    const ids = luminairesWithAlarms([
      alarm('L-1', 'lampFailure', '2026-11-29T10:00:00Z'),
      alarm('L-1', 'dayBurning', '2026-11-29T11:00:00Z'),
      alarm('L-2', 'supplyLoss', '2026-11-29T12:00:00Z'),
    ]);
    expect([...ids].sort()).toEqual(['L-1', 'L-2']);
  });
});

describe('alarm kinds', () => {
  it('have words for every controller fault and the kinds the cloud raises, and none for others', () => {
    for (const kind of ['lampFailure', 'dayBurning', 'not-reporting', 'plan-drift']) {
      expect(isNamedAlarmKind(kind)).toBe(true);
    }
    expect(isNamedAlarmKind('toString')).toBe(false);
  });
});

describe('the map under the alarm filter', () => {
  const ids = ['L-1', 'L-2', 'L-3', 'L-4'];

  it('keeps, of what its other filters kept, the luminaires with an open alarm', () => {
    expect([...keptWithAlarms(Uint32Array.of(0, 1, 3), ids, new Set(['L-2', 'L-3', 'L-4']))]).toEqual([1, 3]);
  });

  it('keeps nothing until the alarm list is loaded', () => {
    expect([...keptWithAlarms(Uint32Array.of(0, 1, 2, 3), ids, undefined)]).toEqual([]);
  });
});
