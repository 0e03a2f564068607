import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  boundsOf,
  type Config,
  type ConfigInput,
  type Luminaire,
  type LuminairePlan,
  NO_CIRCUITS,
  nightWindow,
  planNight,
  SUN_EVENTS,
  SunField,
  type TimeSpec,
  type Transition,
  ZoneClock,
} from '#schedules/index.ts';
import { config, luminaire } from '#tests/support/schedules/fixtures.ts';

const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const timeSpec: fc.Arbitrary<TimeSpec> = fc.oneof(
  hhmm,
  fc.record({ event: fc.constantFrom(...SUN_EVENTS), offsetMinutes: fc.integer({ min: -120, max: 120 }) }),
);
const level = fc.integer({ min: 0, max: 100 });
const profile = fc.record({
  on: timeSpec,
  off: timeSpec,
  onLevel: level,
  steps: fc.array(fc.record({ at: timeSpec, level }), { maxLength: 5 }),
  polarNight: fc.constantFrom('lit' as const, 'off' as const),
});
/** Places and their zones: Carcassonne (mid-latitude) and Tromsø (polar day and night). */
const PLACES = [
  { timezone: 'Europe/Paris', lat: 43.213, lon: 2.3491 },
  { timezone: 'Europe/Oslo', lat: 69.65, lon: 18.96 },
];

function scenario() {
  return fc
    .record({
      place: fc.constantFrom(...PLACES),
      day: fc.integer({ min: 0, max: 364 }),
      profiles: fc.array(profile, { minLength: 1, maxLength: 3 }),
      overrides: fc.array(
        fc.record({
          start: fc.integer({ min: -6 * 3600, max: 30 * 3600 }),
          length: fc.integer({ min: 60, max: 12 * 3600 }),
          level,
          zone: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
        }),
        { maxLength: 3 },
      ),
      luminaires: fc.array(
        fc.record({
          zone: fc.constantFrom('a', 'b', 'c'),
          street: fc.constantFrom('s1', 's2'),
          minLevel: fc.integer({ min: 0, max: 60 }),
          dLat: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
          dLon: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        }),
        { minLength: 1, maxLength: 8 },
      ),
    })
    .map(({ place, day, profiles, overrides, luminaires }) => {
      const night = addDays('2026-01-01', day);
      const window = nightWindow(ZoneClock.of(place.timezone), night);
      const input: ConfigInput = {
        site: {
          name: 'test',
          timezone: place.timezone,
          latitude: place.lat,
          longitude: place.lon,
          tariffEurPerKwh: 0.2,
          co2KgPerKwh: 0.05,
        },
        profiles: Object.fromEntries(profiles.map((p, i) => [`p${i}`, p])),
        calendar: profiles.map((_, i) => ({
          profile: `p${i}`,
          priority: i,
          ...(i === 0 ? {} : { zones: [['a', 'b', 'c'][i % 3] as string] }),
        })),
        overrides: overrides.map((o, i) => ({
          id: `o${i}`,
          target: o.zone === undefined ? { all: true as const } : { zones: [o.zone] },
          level: o.level,
          from: new Date((window.start + o.start) * 1000).toISOString(),
          until: new Date((window.start + o.start + o.length) * 1000).toISOString(),
          reason: 'property',
        })),
      };
      return {
        night,
        config: config(input),
        luminaires: luminaires.map(({ dLat, dLon, ...l }) =>
          luminaire({ ...l, lat: place.lat + dLat, lon: place.lon + dLon }),
        ),
      };
    });
}

function levelAt(transitions: readonly Transition[], t: number): number {
  let current = 0;
  for (const transition of transitions) if (transition.at <= t) current = transition.level;
  return current;
}

/**
 * The rules of issue 2 written out naively, instant by instant: overrides (last listed wins), else
 * the profile between on and off (the last step at or before t, else onLevel), lit levels raised to
 * minLevel.
 */
function expectedLevels(c: Config, l: Luminaire, night: string): (t: number) => number {
  const window = nightWindow(ZoneClock.of(c.site.timezone), night);
  const drive = (x: number) => (x === 0 ? 0 : Math.max(x, l.minLevel));
  const rule = c.calendar
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.zones === undefined || r.zones.includes(l.zone))
    .sort((a, b) => b.r.priority - a.r.priority || a.i - b.i)[0];
  const p = rule === undefined ? undefined : c.profiles[rule.r.profile];
  const sun = new SunField(window, boundsOf([l])).timesAt(l.lat, l.lon);
  const at = (spec: TimeSpec) => {
    if (typeof spec !== 'string') return Math.round(sun[spec.event] + spec.offsetMinutes * 60);
    const minutes = Number(spec.slice(0, 2)) * 60 + Number(spec.slice(3));
    return ZoneClock.of(c.site.timezone).toEpoch(minutes >= 720 ? night : addDays(night, 1), minutes * 60);
  };
  const dusk = (event: string) => event === 'sunset' || event.endsWith('Dusk');
  const polarDark = (spec: TimeSpec) =>
    typeof spec !== 'string' && sun[spec.event] === (dusk(spec.event) ? -Infinity : Infinity);
  const lit = p !== undefined && !(p.polarNight === 'off' && (polarDark(p.on) || polarDark(p.off)));
  const on = p === undefined ? 0 : Math.max(window.start, at(p.on));
  const off = p === undefined ? 0 : Math.min(window.end, at(p.off));
  const steps = (p?.steps ?? []).map((step) => ({ at: at(step.at), level: step.level }));
  return (t) => {
    if (t < window.start || t >= window.end) return 0;
    const active = c.overrides.filter((o) => {
      const targets = 'all' in o.target || (o.target.zones?.includes(l.zone) ?? true);
      return targets && Date.parse(o.from) / 1000 <= t && t < Date.parse(o.until) / 1000;
    });
    if (active.length > 0) return drive((active.at(-1) as { level: number }).level);
    if (!lit || p === undefined || !(on <= t && t < off)) return 0;
    let current = p.onLevel;
    let latest = Number.NEGATIVE_INFINITY;
    for (const step of steps) {
      if (step.at <= Math.max(t, on) && step.at >= latest) {
        latest = step.at;
        current = step.level;
      }
    }
    return drive(current);
  };
}

function instantsToCheck(plan: LuminairePlan, c: Config, night: string): number[] {
  const window = nightWindow(ZoneClock.of(c.site.timezone), night);
  const edges = [
    window.start,
    window.end - 1,
    ...plan.transitions.flatMap((t) => [t.at - 1, t.at]),
    ...c.overrides.flatMap((o) => [Date.parse(o.from) / 1000, Date.parse(o.until) / 1000 - 1]),
  ];
  const every20Minutes = Array.from({ length: 76 }, (_, i) => window.start + i * 1200);
  return [...edges, ...every20Minutes].filter((t) => t >= window.start && t < window.end);
}

describe('planNight properties', () => {
  it('gives sorted transitions inside the window, starting lit, ending at 0, never repeating a level', () => {
    fc.assert(
      fc.property(scenario(), ({ config: c, luminaires, night }) => {
        const window = nightWindow(ZoneClock.of(c.site.timezone), night);
        const plan = planNight(c, luminaires, night, NO_CIRCUITS);
        plan.luminaires.forEach((p, i) => {
          const l = luminaires[i] as Luminaire;
          expect(p.id).toBe(l.id);
          if (p.transitions.length === 0) {
            expect([p.on, p.off, p.profile]).toEqual([null, null, null]);
            return;
          }
          expect(p.on).toBe(p.transitions[0]?.at);
          expect(p.off).toBe(p.transitions.at(-1)?.at);
          expect(p.transitions[0]?.level).toBeGreaterThan(0);
          expect(p.transitions.at(-1)?.level).toBe(0);
          p.transitions.forEach((t, k) => {
            expect(Number.isInteger(t.at)).toBe(true);
            expect(t.at).toBeGreaterThanOrEqual(window.start);
            expect(t.at).toBeLessThanOrEqual(window.end);
            expect(t.level === 0 || (t.level >= l.minLevel && t.level <= 100)).toBe(true);
            const previous = p.transitions[k - 1];
            if (previous !== undefined) {
              expect(t.at).toBeGreaterThan(previous.at);
              expect(t.level).not.toBe(previous.level);
            }
          });
        });
      }),
      { numRuns: 150 },
    );
  });

  it('drives every instant of the night at the level the rules give', () => {
    fc.assert(
      fc.property(scenario(), ({ config: c, luminaires, night }) => {
        const plan = planNight(c, luminaires, night, NO_CIRCUITS);
        plan.luminaires.forEach((p, i) => {
          const l = luminaires[i] as Luminaire;
          const expected = expectedLevels(c, l, night);
          for (const t of instantsToCheck(p, c, night)) {
            expect([t, levelAt(p.transitions, t)]).toEqual([t, expected(t)]);
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('plans a luminaire the same alone as among others (grouping and caching change nothing)', () => {
    fc.assert(
      fc.property(scenario(), ({ config: c, luminaires, night }) => {
        const together = planNight(c, luminaires, night, NO_CIRCUITS).luminaires;
        luminaires.forEach((l, i) => {
          expect(planNight(c, [l], night, NO_CIRCUITS).luminaires[0]).toEqual(together[i]);
        });
      }),
      { numRuns: 100 },
    );
  });
});
