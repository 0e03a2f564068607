import {
  AlarmPolicy,
  type Config,
  type LocalDate,
  litTime,
  NightPlanner,
  PresencePolicy,
  type Profile,
  sunTimesForNight,
  type Transition,
} from '#schedules/index.ts';

/** Where and in which zone a night is previewed: the site's position, or a luminaire's. */
export interface NightPlace {
  readonly timezone: string;
  readonly lat: number;
  readonly lon: number;
}

/** A profile's night at one place, as the luminaires there would be planned. Instants in epoch seconds. */
export interface NightPreview {
  readonly night: LocalDate;
  readonly timezone: string;
  /** The night window, noon to noon local time. */
  readonly start: number;
  readonly end: number;
  /** ±Infinity where the sun does not set or rise that night (polar night or day). */
  readonly sunset: number;
  readonly sunrise: number;
  readonly on: number | null;
  readonly off: number | null;
  readonly transitions: readonly Transition[];
  readonly fadeSeconds: number;
  /** Hours lit at any level, and the same energy as hours at full power. */
  readonly litHours: number;
  readonly fullPowerHours: number;
}

const PREVIEWED = 'previewed';

/**
 * The night a profile gives at a place, computed by the same planner as the cloud's plans (a one-rule
 * calendar selecting the profile, one luminaire at the place): what the profile editor draws as
 * the technician types, with no round trip. The bench times this function (issue 10, `P`).
 */
export function previewNight(
  profile: Profile,
  night: LocalDate,
  place: NightPlace,
  minLevel = 0,
): NightPreview {
  const config: Config = {
    site: {
      name: PREVIEWED,
      timezone: place.timezone,
      latitude: place.lat,
      longitude: place.lon,
      tariffEurPerKwh: 0,
      tariffs: [],
      co2KgPerKwh: 0,
      standbyWatts: 0,
      currency: 'EUR',
    },
    profiles: { [PREVIEWED]: profile },
    calendar: [{ profile: PREVIEWED, priority: 0 }],
    overrides: [],
    presence: PRESENCE,
    alarms: ALARMS,
    planNights: 1,
  };
  const { lat, lon } = place;
  const planner = new NightPlanner(config, night, { minLat: lat, maxLat: lat, minLon: lon, maxLon: lon });
  const plan = planner.plan({
    id: PREVIEWED,
    thingName: PREVIEWED,
    lat,
    lon,
    zone: PREVIEWED,
    street: PREVIEWED,
    ledWatts: 100,
    baselineWatts: 100,
    minLevel,
  });
  const sun = sunTimesForNight(lat, lon, planner.window);
  const lit = litTime(plan.transitions, profile.fadeSeconds);
  return {
    night,
    timezone: place.timezone,
    start: planner.window.start,
    end: planner.window.end,
    sunset: sun.sunset,
    sunrise: sun.sunrise,
    on: plan.on,
    off: plan.off,
    transitions: plan.transitions,
    fadeSeconds: profile.fadeSeconds,
    litHours: lit.litSeconds / 3600,
    fullPowerHours: lit.fullPowerSeconds / 3600,
  };
}

const PRESENCE = PresencePolicy.parse({});
const ALARMS = AlarmPolicy.parse({});
