import type { LiveStatePage } from '#protocol/live-state-page.ts';

/** A page of two luminaires of one street: one lit reporting, one off that never reported. */
export const twoLuminaires: LiveStatePage = {
  at: '2026-06-21T22:00:00.000Z',
  reportIntervalSeconds: 900,
  zones: ['cite'],
  streets: ['Rue Trivalle'],
  ids: ['L-1', 'L-2'],
  lon: [2.36, 2.37],
  lat: [43.2, 43.21],
  zone: [0, 0],
  street: [0, 0],
  state: [2, 1],
  level: [70, 0],
  age: [10, -1],
};
