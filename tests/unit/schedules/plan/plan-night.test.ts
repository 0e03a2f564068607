import { describe, expect, it } from 'vitest';
import {
  type ConfigInput,
  type LuminairePlan,
  NO_CIRCUITS,
  nightWindow,
  type Profile,
  planNight,
  planNights,
  sunTimesForNight,
  ZoneClock,
} from '#schedules/index.ts';
import { carcassonne, config, luminaire, withResidentialFade } from '#tests/support/schedules/fixtures.ts';

type OverrideInput = NonNullable<ConfigInput['overrides']>[number];

const paris = ZoneClock.of('Europe/Paris');
const oslo = ZoneClock.of('Europe/Oslo');

function readable(plan: LuminairePlan, clock = paris): string[] {
  return plan.transitions.map((t) => `${clock.format(t.at).slice(11, 19)} ${t.level}`);
}

function only(plan: { luminaires: readonly LuminairePlan[] }): LuminairePlan {
  expect(plan.luminaires).toHaveLength(1);
  return plan.luminaires[0] as LuminairePlan;
}

/** A config whose only rule gives every luminaire `profile`. */
const onlyProfile = (profile: NonNullable<ConfigInput['profiles']>[string]) =>
  config({ profiles: { only: profile }, calendar: [{ profile: 'only' }] });

const tromso = (fields = {}) => luminaire({ lat: 69.65, lon: 18.96, ...fields });
const tromsoConfig = (profile = {}) =>
  config({
    site: { ...carcassonne.site, name: 'Tromsø', timezone: 'Europe/Oslo', latitude: 69.65, longitude: 18.96 },
    profiles: { ...carcassonne.profiles, residential: { ...carcassonne.profiles.residential, ...profile } },
  } as never);

describe('planNight', () => {
  it('plans the example night: sunset+10 at 100, 22:30 at 70, extinction 00:30-05:00, off at sunrise-10', () => {
    const l = luminaire();
    const plan = planNight(config(), [l], '2026-06-21', NO_CIRCUITS);
    expect(plan.night).toBe('2026-06-21');
    expect(plan.timezone).toBe('Europe/Paris');
    const p = only(plan);
    const sun = sunTimesForNight(l.lat, l.lon, nightWindow(paris, '2026-06-21'));
    expect(p.profile).toBe('residential');
    expect(p.on).toBe(Math.round(sun.sunset + 600));
    expect(p.off).toBe(Math.round(sun.sunrise - 600));
    expect(readable(p)).toEqual([
      `${paris.format(p.on as number).slice(11, 19)} 100`,
      '22:30:00 70',
      '00:30:00 0',
      '05:00:00 70',
      `${paris.format(p.off as number).slice(11, 19)} 0`,
    ]);
    expect(paris.format(p.on as number)).toMatch(/^2026-06-21T21:4\d:\d\d\+02:00$/);
  });

  it('computes planned energy (LED watts x level, standby when off) and the sunset-to-sunrise baseline', () => {
    const l = luminaire({ ledWatts: 40, baselineWatts: 150 });
    const p = only(planNight(config(), [l], '2026-06-21', NO_CIRCUITS));
    const window = nightWindow(paris, '2026-06-21');
    const sun = sunTimesForNight(l.lat, l.lon, window);
    const t = p.transitions.map((x) => x.at);
    const [on, s1, s2, s3, off] = t as [number, number, number, number, number];
    const litSeconds = s2 - on + (off - s3);
    const fullPowerSeconds = (s1 - on) * 1 + (s2 - s1) * 0.7 + (off - s3) * 0.7;
    expect(p.energyWh).toBeCloseTo(
      (40 * fullPowerSeconds + 0.5 * (window.end - window.start - litSeconds)) / 3600,
      6,
    );
    expect(p.baselineWh).toBeCloseTo((150 * (sun.sunrise - sun.sunset)) / 3600, 1);
  });

  it('puts a 02:30 step of the spring-forward night at 03:30 +02:00 (2026-03-28, Paris)', () => {
    const c = onlyProfile({ on: '20:00', off: '06:00', steps: [{ at: '02:30', level: 40 }] });
    const p = only(planNight(c, [luminaire()], '2026-03-28', NO_CIRCUITS));
    expect(p.transitions.map((t) => paris.format(t.at))).toEqual([
      '2026-03-28T20:00:00+01:00',
      '2026-03-29T03:30:00+02:00',
      '2026-03-29T06:00:00+02:00',
    ]);
  });

  it('keeps one transition, the step listed last, when two steps fall on one instant (02:30 and 03:30 in spring)', () => {
    const c = onlyProfile({
      on: '20:00',
      off: '06:00',
      steps: [
        { at: '02:30', level: 40 },
        { at: '03:30', level: 60 },
      ],
    });
    const p = only(planNight(c, [luminaire()], '2026-03-28', NO_CIRCUITS));
    expect(p.transitions.map((t) => `${paris.format(t.at)} ${t.level}`)).toEqual([
      '2026-03-28T20:00:00+01:00 100',
      '2026-03-29T03:30:00+02:00 60',
      '2026-03-29T06:00:00+02:00 0',
    ]);
  });

  it('puts a 02:30 step of the fall-back night at its first occurrence, +02:00 (2026-10-24, Paris)', () => {
    const c = onlyProfile({ on: '20:00', off: '06:00', steps: [{ at: '02:30', level: 40 }] });
    const p = only(planNight(c, [luminaire()], '2026-10-24', NO_CIRCUITS));
    expect(p.transitions.map((t) => paris.format(t.at))).toEqual([
      '2026-10-24T20:00:00+02:00',
      '2026-10-25T02:30:00+02:00',
      '2026-10-25T06:00:00+01:00',
    ]);
    expect((p.off as number) - (p.on as number)).toBe(11 * 3600);
  });

  it('keeps a luminaire off in the midnight sun (Tromsø, June): no on, no off, no transitions', () => {
    const p = only(planNight(tromsoConfig(), [tromso()], '2026-06-21', NO_CIRCUITS));
    expect(p).toMatchObject({ profile: null, on: null, off: null, transitions: [], baselineWh: 0 });
    expect(p.energyWh).toBeCloseTo(0.5 * 24, 6);
  });

  it('lights a luminaire for the whole window in the polar night (Tromsø, December), steps included', () => {
    const window = nightWindow(oslo, '2026-12-21');
    const p = only(planNight(tromsoConfig(), [tromso()], '2026-12-21', NO_CIRCUITS));
    expect(p.on).toBe(window.start);
    expect(p.off).toBe(window.end);
    expect(readable(p, oslo)).toEqual([
      '12:00:00 100',
      '22:30:00 70',
      '00:30:00 0',
      '05:00:00 70',
      '12:00:00 0',
    ]);
    expect(p.baselineWh).toBeCloseTo(150 * 24, 6);
  });

  it('keeps a luminaire off in the polar night when its profile says polarNight "off"', () => {
    const p = only(planNight(tromsoConfig({ polarNight: 'off' }), [tromso()], '2026-12-21', NO_CIRCUITS));
    expect(p.transitions).toEqual([]);
    expect(p.on).toBeNull();
  });

  it('raises lit levels to the luminaire minLevel but keeps extinction (0) off', () => {
    const c = onlyProfile({
      on: '20:00',
      off: '06:00',
      onLevel: 5,
      steps: [
        { at: '22:00', level: 30 },
        { at: '23:00', level: 0 },
        { at: '04:00', level: 10 },
      ],
    });
    const p = only(planNight(c, [luminaire({ minLevel: 20 })], '2026-06-21', NO_CIRCUITS));
    expect(readable(p)).toEqual(['20:00:00 20', '22:00:00 30', '23:00:00 0', '04:00:00 20', '06:00:00 0']);
  });

  it('merges steps whose driven levels are equal, so no two consecutive transitions repeat a level', () => {
    const c = onlyProfile({
      on: '20:00',
      off: '06:00',
      onLevel: 10,
      steps: [
        { at: '21:00', level: 15 },
        { at: '22:00', level: 100 },
        { at: '23:00', level: 100 },
      ],
    });
    const p = only(planNight(c, [luminaire({ minLevel: 15 })], '2026-06-21', NO_CIRCUITS));
    expect(readable(p)).toEqual(['20:00:00 15', '22:00:00 100', '06:00:00 0']);
  });

  it('comes on at the level of a step already passed when the sun sets after it (Oslo, June)', () => {
    const c = config({
      site: { ...carcassonne.site, timezone: 'Europe/Oslo', latitude: 59.91, longitude: 10.75 },
      profiles: {
        late: { on: { event: 'sunset' }, off: { event: 'sunrise' }, steps: [{ at: '22:00', level: 50 }] },
      },
      calendar: [{ profile: 'late' }],
    });
    const p = only(planNight(c, [luminaire({ lat: 59.91, lon: 10.75 })], '2026-06-21', NO_CIRCUITS));
    expect(p.transitions).toHaveLength(2);
    expect(p.transitions[0]?.level).toBe(50);
    expect(oslo.format(p.on as number)).toMatch(/T22:4\d/);
  });

  it('resolves a sun-event step to that night, and clips steps outside on..off', () => {
    const c = config({
      profiles: {
        astro: {
          on: { event: 'sunset' },
          off: { event: 'sunrise' },
          onLevel: 60,
          steps: [
            { at: { event: 'civilDusk', offsetMinutes: 0 }, level: 100 },
            { at: { event: 'civilDawn', offsetMinutes: 0 }, level: 60 },
            { at: '13:00', level: 30 },
            { at: '09:00', level: 10 },
          ],
        },
      },
      calendar: [{ profile: 'astro' }],
    });
    const l = luminaire();
    const sun = sunTimesForNight(l.lat, l.lon, nightWindow(paris, '2026-06-21'));
    const p = only(planNight(c, [l], '2026-06-21', NO_CIRCUITS));
    // 13:00 is before sunset: the luminaire comes on at its level; 09:00 is after sunrise: dropped.
    expect(p.transitions.map((t) => t.level)).toEqual([30, 100, 60, 0]);
    expect(Math.abs((p.transitions[1]?.at as number) - sun.civilDusk)).toBeLessThanOrEqual(1);
    expect(Math.abs((p.transitions[2]?.at as number) - sun.civilDawn)).toBeLessThanOrEqual(1);
  });

  it('gives the festival profile to the Cité on 14 July and the default elsewhere', () => {
    const cite = luminaire({ zone: 'cite', street: 'Rue Cros-Mayrevieille' });
    const bastide = luminaire();
    const plan = planNight(config(), [cite, bastide], '2026-07-14', NO_CIRCUITS);
    expect(plan.luminaires.map((p) => p.profile)).toEqual(['festival', 'residential']);
    expect(plan.luminaires[0]?.transitions).toHaveLength(2);
  });

  it('leaves a luminaire no rule selects unlit', () => {
    const c = config({ calendar: [{ profile: 'residential', zones: ['cite'] }] });
    expect(only(planNight(c, [luminaire({ zone: 'bastide' })], '2026-06-21', NO_CIRCUITS))).toMatchObject({
      profile: null,
      transitions: [],
    });
  });
});

describe('overrides in planNight', () => {
  const override = (fields: Partial<OverrideInput>): OverrideInput => ({
    id: 'o',
    target: { all: true },
    level: 100,
    from: '2026-06-22T01:00:00+02:00',
    until: '2026-06-22T02:00:00+02:00',
    reason: 'test',
    ...fields,
  });

  it('beats the calendar in its interval, also lighting a luminaire during extinction', () => {
    const p = only(
      planNight(config({ overrides: [override({})] }), [luminaire()], '2026-06-21', NO_CIRCUITS),
    );
    expect(readable(p).slice(1, -1)).toEqual([
      '22:30:00 70',
      '00:30:00 0',
      '01:00:00 100',
      '02:00:00 0',
      '05:00:00 70',
    ]);
  });

  it('lights a luminaire outside on..off (festival light in daylight) and switches it off with level 0', () => {
    const c = config({
      overrides: [
        override({
          id: 'day',
          from: '2026-06-21T14:00:00+02:00',
          until: '2026-06-21T15:00:00+02:00',
          level: 50,
        }),
        override({
          id: 'dark',
          from: '2026-06-21T23:00:00+02:00',
          until: '2026-06-21T23:30:00+02:00',
          level: 0,
        }),
      ],
    });
    const p = only(planNight(c, [luminaire({ minLevel: 60 })], '2026-06-21', NO_CIRCUITS));
    expect(readable(p).slice(0, 2)).toEqual(['14:00:00 60', '15:00:00 0']);
    expect(readable(p)).toContain('23:00:00 0');
    expect(readable(p)).toContain('23:30:00 70');
    expect(p.on).toBe(p.transitions[0]?.at);
  });

  it('lets the override listed last win where overrides overlap, and targets by zone, street or id', () => {
    const c = config({
      overrides: [
        override({ id: 'a', level: 100, target: { zones: ['bastide'] } }),
        override({ id: 'b', level: 40, target: { streets: ['Rue de Verdun'] } }),
        override({ id: 'c', level: 20, target: { luminaires: ['nobody'] } }),
      ],
    });
    const p = only(planNight(c, [luminaire()], '2026-06-21', NO_CIRCUITS));
    expect(readable(p)).toContain('01:00:00 40');
    expect(p.transitions.some((t) => t.level === 20)).toBe(false);
  });

  it('ends the night with 0 at the window end when an override keeps the luminaire lit past noon', () => {
    const c = config({
      overrides: [override({ until: '2026-06-22T13:00:00+02:00', from: '2026-06-22T05:00:00+02:00' })],
    });
    const p = only(planNight(c, [luminaire()], '2026-06-21', NO_CIRCUITS));
    expect(readable(p).slice(-2)).toEqual(['05:00:00 100', '12:00:00 0']);
  });
});

describe('planNights', () => {
  it('joins consecutive nights into one sorted list of steps valid until the end of the last night', () => {
    const l = luminaire();
    const [schedule] = planNights(config(), [l], '2026-06-20', 3, NO_CIRCUITS);
    expect(schedule?.nights.map((n) => n.transitions.length)).toEqual([5, 5, 5]);
    expect(schedule?.steps).toHaveLength(15);
    expect(schedule?.until).toBe(nightWindow(paris, '2026-06-22').end);
    expect(schedule?.thingName).toBe(l.thingName);
  });

  it('plans no luminaires as an empty list, and refuses zero nights', () => {
    expect(planNight(config(), [], '2026-06-21', NO_CIRCUITS).luminaires).toEqual([]);
    expect(planNights(config(), [], '2026-06-21', 3, NO_CIRCUITS)).toEqual([]);
    expect(() => planNights(config(), [luminaire()], '2026-06-21', 0, NO_CIRCUITS)).toThrow(RangeError);
  });

  it("lists where the fade changes: from each night's first change on, that night's profile fade", () => {
    const c = withResidentialFade(30);
    c.profiles.festival = { ...(c.profiles.festival as Profile), fadeSeconds: 5 };
    const l = luminaire({ zone: 'cite' });
    const [schedule] = planNights(c, [l], '2026-07-12', 4, NO_CIRCUITS);
    const firstChange = (i: number) => schedule?.nights[i]?.transitions[0]?.at;
    expect(schedule?.fades).toEqual([
      { at: firstChange(0), seconds: 30 },
      { at: firstChange(2), seconds: 5 },
      { at: firstChange(3), seconds: 30 },
    ]);
    const [plain] = planNights(config(), [l], '2026-07-12', 4, NO_CIRCUITS);
    expect(plain?.fades).toEqual([]);
  });

  it('keeps a polar-night luminaire lit across noon instead of switching it off and on again', () => {
    const [schedule] = planNights(tromsoConfig({ steps: [] }), [tromso()], '2026-12-20', 3, NO_CIRCUITS);
    expect(schedule?.steps).toEqual([
      { at: nightWindow(oslo, '2026-12-20').start, level: 100 },
      { at: nightWindow(oslo, '2026-12-22').end, level: 0 },
    ]);
  });
});
