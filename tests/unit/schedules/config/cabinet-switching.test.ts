import { describe, expect, it } from 'vitest';
import { cabinetSwitchingProblems } from '#schedules/config/cabinet-switching.ts';
import { Cabinet, formatProblem } from '#schedules/index.ts';
import { config, luminaire } from '#tests/support/schedules/fixtures.ts';

const cabinet = Cabinet.parse({
  id: 'CAB-1',
  lat: 43.213,
  lon: 2.3491,
  zone: 'cite',
  deliveryPointId: '20000000000001',
  subscribedKva: 6,
  tariffOption: 'ep-c5',
  controller: 'connected',
});

describe('cabinetSwitchingProblems', () => {
  it('names the cabinet, its luminaires and their switch times where node-less luminaires disagree', () => {
    const luminaires = [
      luminaire({ id: 'A', zone: 'cite', cabinet: 'CAB-1', controller: 'none' }),
      luminaire({ id: 'B', zone: 'bastide', cabinet: 'CAB-1', controller: 'none' }),
    ];
    const problems = cabinetSwitchingProblems(
      config(),
      [cabinet],
      luminaires,
      '2026-07-13',
      3,
      'cabinets.csv',
    );
    expect(problems.map(formatProblem)).toEqual([
      'cabinets.csv: cabinet CAB-1: its luminaires without their own controller ask for different switch times on 1 of 3 nights ' +
        '(first the night of 2026-07-14: A (1): 21:29–06:24; B (1): 21:39–00:30, 05:00–06:14); the contactor lights them all whenever one asks',
    ]);
  });

  it('finds nothing when the node-less luminaires of each cabinet switch together, or luminaires have their own controllers', () => {
    const together = [
      luminaire({ id: 'A', cabinet: 'CAB-1', controller: 'none' }),
      luminaire({ id: 'B', cabinet: 'CAB-1', controller: 'none', lon: 2.36 }),
      luminaire({ id: 'C', zone: 'cite', cabinet: 'CAB-1' }),
    ];
    expect(cabinetSwitchingProblems(config(), [cabinet], together, '2026-07-13', 3, 'c.csv')).toEqual([]);
  });
});
