import * as SunCalc from 'suncalc';
import type { SunEvent } from '../config/schema.ts';
import { SUN_EVENTS } from '../config/schema.ts';
import type { NightWindow } from '../time/night.ts';

/** Which side of the night an event is on, the sun's altitude there and suncalc's name for it. */
const EVENTS: Record<
  SunEvent,
  { readonly side: 'dusk' | 'dawn'; readonly angle: number; readonly name: string }
> = {
  sunset: { side: 'dusk', angle: -0.833, name: 'sunset' },
  sunrise: { side: 'dawn', angle: -0.833, name: 'sunrise' },
  civilDusk: { side: 'dusk', angle: -6, name: 'dusk' },
  civilDawn: { side: 'dawn', angle: -6, name: 'dawn' },
  nauticalDusk: { side: 'dusk', angle: -12, name: 'nauticalDusk' },
  nauticalDawn: { side: 'dawn', angle: -12, name: 'nauticalDawn' },
};

/**
 * The sun events of one night at one place, in epoch seconds (fractional). Where the sun never
 * crosses an event's altitude that day the value still orders correctly against the night window:
 * - never that light (polar night for that altitude): a dusk is -Infinity (it was dark before the
 *   night began), a dawn +Infinity (it does not come before the night ends);
 * - never that dark (polar day for that altitude): the event is the solar midnight, so an on/off pair
 *   of such events is empty and a luminaire switched by them stays off.
 */
export type NightSunTimes = Record<SunEvent, number>;

export function isDuskEvent(event: SunEvent): boolean {
  return EVENTS[event].side === 'dusk';
}

/**
 * Sun events of the night of the window with suncalc: dusk events of the solar day of the window's
 * first noon, dawn events of the solar day of its second noon.
 */
export function sunTimesForNight(lat: number, lon: number, window: NightWindow): NightSunTimes {
  const evening = SunCalc.getTimes(new Date(window.start * 1000), lat, lon);
  const morning = SunCalc.getTimes(new Date(window.end * 1000), lat, lon);
  const midnight = morning.nadir.getTime() / 1000;
  const result = {} as Record<SunEvent, number>;
  for (const event of SUN_EVENTS)
    result[event] = eventOf(EVENTS[event].side === 'dusk' ? evening : morning, event, lat, lon, midnight);
  return result;
}

/**
 * The sunrise and the sunset of one day at one place (`noon`: epoch seconds of any instant of that
 * day's daylight), from one suncalc call: what the daylight half-hours of a load curve need, day
 * after day, without a night's six events. Where the sun does not rise or set, as `sunTimesForNight`
 * (the solar midnight standing for the day's nadir).
 */
export function sunriseAndSunset(
  lat: number,
  lon: number,
  noon: number,
): { readonly sunrise: number; readonly sunset: number } {
  const times = SunCalc.getTimes(new Date(noon * 1000), lat, lon);
  const midnight = times.nadir.getTime() / 1000;
  return {
    sunrise: eventOf(times, 'sunrise', lat, lon, midnight),
    sunset: eventOf(times, 'sunset', lat, lon, midnight),
  };
}

/** An event of suncalc's `times`, or where it does not occur that day the value ordering as it would. */
function eventOf(
  times: SunCalc.SunTimes,
  event: SunEvent,
  lat: number,
  lon: number,
  midnight: number,
): number {
  const { side, angle, name } = EVENTS[event];
  const value = times[name];
  if (value instanceof Date) return value.getTime() / 1000;
  if (neverReaches(times, lat, lon, angle))
    return side === 'dusk' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return midnight;
}

/**
 * Whether the sun stays below `angle` all day (rather than above it). The mean of its highest and
 * lowest altitudes is below the angle in the first case and above it in the second.
 */
function neverReaches(times: SunCalc.SunTimes, lat: number, lon: number, angle: number): boolean {
  const highest = SunCalc.getPosition(times.solarNoon, lat, lon).altitude;
  const lowest = SunCalc.getPosition(times.nadir, lat, lon).altitude;
  return (highest + lowest) / 2 < angle;
}
