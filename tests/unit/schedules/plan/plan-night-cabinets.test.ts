import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  boundsOf,
  type ConfigInput,
  circuitsOf,
  contactorNights,
  NO_CIRCUITS,
  nightWindow,
  planNight,
  planNights,
  SunField,
  type Transition,
  ZoneClock,
} from '#schedules/index.ts';
import { cabinet, config, luminaire } from '#tests/support/schedules/fixtures.ts';

const PARIS = ZoneClock.of('Europe/Paris');
const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const level = fc.integer({ min: 0, max: 100 });
const profile = fc.record({
  on: fc.oneof(
    hhmm,
    fc.record({ event: fc.constant('sunset' as const), offsetMinutes: fc.integer({ min: -90, max: 90 }) }),
  ),
  off: fc.oneof(
    hhmm,
    fc.record({ event: fc.constant('sunrise' as const), offsetMinutes: fc.integer({ min: -90, max: 90 }) }),
  ),
  onLevel: fc.integer({ min: 1, max: 100 }),
  steps: fc.array(fc.record({ at: hhmm, level }), { maxLength: 4 }),
});

function levelAt(transitions: readonly Transition[], t: number): number {
  let current = 0;
  for (const transition of transitions) if (transition.at <= t) current = transition.level;
  return current;
}

/** A night, two profiles (one for the node-less zone, one for the nodes) and who is fed by the cabinet. */
const scenario = fc.record({
  day: fc.integer({ min: 0, max: 364 }),
  nodeLess: profile,
  nodes: profile,
  nodeLessCount: fc.integer({ min: 0, max: 3 }),
  nodeCount: fc.integer({ min: 1, max: 3 }),
  controller: fc.constantFrom('clock' as const, 'connected' as const),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function site(s: Scenario) {
  const night = addDays('2026-01-01', s.day);
  const c = config({
    profiles: { circuit: s.nodeLess, own: s.nodes } as ConfigInput['profiles'],
    calendar: [
      { profile: 'own', priority: 0 },
      { profile: 'circuit', zones: ['village'], priority: 1 },
    ],
  });
  const luminaires = [
    ...Array.from({ length: s.nodeLessCount }, () =>
      luminaire({ zone: 'village', controller: 'none', cabinet: 'CAB-1' }),
    ),
    ...Array.from({ length: s.nodeCount }, () => luminaire({ cabinet: 'CAB-1' })),
  ];
  return { night, config: c, luminaires };
}

describe('planNight with cabinets', () => {
  it('never lights a luminaire with its own controller while its cabinet is off', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { night, config: c, luminaires } = site(s);
        const cab = cabinet(s.controller);
        const bounded = planNight(c, luminaires, night, circuitsOf([cab], luminaires)).luminaires;
        const window = nightWindow(PARIS, night);
        const sun = new SunField(window, boundsOf([cab])).timesAt(cab.lat, cab.lon);
        const nodeLessPlans = bounded.filter((_, i) => luminaires[i]?.controller === 'none');
        const closed = (t: number): boolean =>
          s.controller === 'clock'
            ? t >= sun.sunset && t < sun.sunrise
            : nodeLessPlans.length === 0
              ? true
              : nodeLessPlans.some((plan) => levelAt(plan.transitions, t) > 0);
        const instants = bounded.flatMap((plan) => plan.transitions.flatMap((tr) => [tr.at, tr.at + 1]));
        for (const [i, plan] of bounded.entries()) {
          if (luminaires[i]?.controller === 'none') continue;
          for (const t of instants) if (levelAt(plan.transitions, t) > 0) expect(closed(t)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('leaves the plans unchanged when the cabinet is on all night, or is a plain contactor', () => {
    fc.assert(
      fc.property(scenario, fc.constantFrom('none' as const, 'connected' as const), (s, controller) => {
        const {
          night,
          config: base,
          luminaires,
        } = site({ ...s, nodeLessCount: Math.max(1, s.nodeLessCount) });
        const window = nightWindow(PARIS, night);
        // The node-less circuit lit over the whole night window by an override.
        const c = config({
          ...base,
          overrides: [
            {
              id: 'all-night',
              target: { zones: ['village'] },
              level: 100,
              from: new Date(window.start * 1000).toISOString(),
              until: new Date(window.end * 1000).toISOString(),
              reason: 'test',
            },
          ],
        } as Partial<ConfigInput>);
        const free = planNight(c, luminaires, night, NO_CIRCUITS).luminaires;
        const bounded = planNight(
          c,
          luminaires,
          night,
          circuitsOf([cabinet(controller)], luminaires),
        ).luminaires;
        expect(bounded).toEqual(free);
      }),
      { numRuns: 40 },
    );
  });

  it('recomputes the energy of a cut plan: a luminaire cut all night draws standby only', () => {
    const night = '2026-06-21';
    const c = config({
      profiles: {
        dark: { on: '23:00', off: '23:30' },
        own: { on: { event: 'sunset' }, off: { event: 'sunrise' } },
      },
      calendar: [
        { profile: 'own', priority: 0 },
        { profile: 'dark', zones: ['village'], priority: 1 },
      ],
    } as Partial<ConfigInput>);
    const cut = luminaire({ cabinet: 'CAB-1' });
    const fed = [luminaire({ zone: 'village', controller: 'none', cabinet: 'CAB-1' }), cut];
    const [nodeLess, node] = planNight(c, fed, night, circuitsOf([cabinet('connected')], fed)).luminaires;
    expect(node?.transitions).toEqual(
      nodeLess?.transitions.map((t) => ({ ...t, level: t.level === 0 ? 0 : 100 })),
    );
    const window = nightWindow(PARIS, night);
    const litHours = 0.5;
    const standbyHours = (window.end - window.start) / 3600 - litHours;
    expect(node?.energyWh).toBeCloseTo(cut.ledWatts * litHours + c.site.standbyWatts * standbyHours, 6);
  });

  it('plans a luminaire alone as with all the others: the circuits carry what its cabinet follows', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { night, config: c, luminaires } = site(s);
        const circuits = circuitsOf([cabinet(s.controller)], luminaires);
        const together = planNight(c, luminaires, night, circuits).luminaires;
        for (const [i, l] of luminaires.entries()) {
          if (l.controller === 'none') continue;
          expect(planNight(c, [l], night, circuits).luminaires[0]).toEqual(together[i]);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("plans a luminaire from its connected cabinet's contactor planned beforehand as from the luminaires it follows", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 3 }), (s, count) => {
        const { night, config: c, luminaires } = site(s);
        const cab = cabinet('connected');
        const schedules = planNights(c, luminaires, night, count, NO_CIRCUITS);
        const planned = {
          cabinets: [cab],
          nodeLess: [],
          contactors: new Map([[cab.id, contactorNights(luminaires, schedules, night, count)]]),
        };
        const circuits = circuitsOf([cab], luminaires);
        for (let k = 0; k < count; k++) {
          const date = addDays(night, k);
          expect(planNight(c, luminaires, date, planned)).toEqual(planNight(c, luminaires, date, circuits));
        }
      }),
      { numRuns: 40 },
    );
  });

  it("keeps a luminaire behind a clock dark during the clock's night cut, as its profile asks outside it", () => {
    const night = '2026-06-21';
    const c = config({
      profiles: { own: { on: { event: 'sunset' }, off: { event: 'sunrise' } } },
      calendar: [{ profile: 'own', priority: 0 }],
    } as Partial<ConfigInput>);
    // At the cabinet: the clock's sunset and sunrise are the profile's (to the sun field's second).
    const l = luminaire({ cabinet: 'CAB-1', lat: 43.214, lon: 2.35 });
    const [free] = planNight(c, [l], night, NO_CIRCUITS).luminaires;
    const [cut] = planNight(c, [l], night, circuitsOf([cabinet('clock', '23:00-05:00')], [l])).luminaires;
    const off = PARIS.toEpoch(night, 23 * 3600);
    const back = PARIS.toEpoch(addDays(night, 1), 5 * 3600);
    const sunrise = free?.off ?? 0;
    expect(cut?.transitions.map((t) => [Math.round(t.at), t.level])).toEqual([
      [Math.round(free?.on ?? 0), 100],
      [off, 0],
      [back, 100],
      [Math.round(sunrise), 0],
    ]);
    expect(cut?.energyWh).toBeLessThan(free?.energyWh ?? 0);
  });
});
