import { rampSeconds } from '#protocol/ramp.ts';
import type { Site } from '../config/schema.ts';
import type { Transition } from '../plan/types.ts';

/**
 * The energy model.
 * - LED energy of a night: rated LED watts × level (linear dimming) over the lit time, plus the
 *   site's standby watts (controller and driver) over the rest of the night window (noon to noon;
 *   windows tile time, so a year of nights covers every hour once). A change between two lit levels
 *   ramps linearly over the profile's fade (never past the next change; switching on and off is
 *   immediate), as the controllers do (protocol/ramp.ts `rampSeconds`): the ramp from a to b
 *   over F seconds burns F × (a + b) / 2 where a step would burn F × b.
 * - Baseline (IPMVP modelled baseline): the pre-LED system watts over the full-night burning hours,
 *   sunset to sunrise at the luminaire's position, i.e. what the replaced lamp burned on a photocell.
 * - Savings split: "LED conversion" is baseline minus the LED at 100 % for the same hours;
 *   "dimming and controls" is the rest (the LED at 100 % minus the metered or planned LED energy).
 */

/** The lit profile of a night: Σ level/100 × seconds, and the seconds lit at all. */
export interface LitTime {
  readonly fullPowerSeconds: number;
  readonly litSeconds: number;
}

/** The lit profile of transitions whose changes between lit levels ramp over `fadeSeconds`. */
export function litTime(transitions: readonly Transition[], fadeSeconds = 0): LitTime {
  let fullPowerSeconds = 0;
  let litSeconds = 0;
  let previousLevel = 0;
  for (let i = 0; i + 1 < transitions.length; i++) {
    const current = transitions[i] as Transition;
    const next = transitions[i + 1] as Transition;
    if (current.level > 0) {
      const seconds = next.at - current.at;
      const ramp = rampSeconds(previousLevel, current.level, fadeSeconds, seconds);
      fullPowerSeconds += (seconds * current.level + (ramp * (previousLevel - current.level)) / 2) / 100;
      litSeconds += seconds;
    }
    previousLevel = current.level;
  }
  return { fullPowerSeconds, litSeconds };
}

/** LED energy of one luminaire over a window of `windowSeconds` in which it is lit as `lit` says. */
export function ledEnergyWh(
  lit: LitTime,
  ledWatts: number,
  standbyWatts: number,
  windowSeconds: number,
): number {
  return (ledWatts * lit.fullPowerSeconds + standbyWatts * (windowSeconds - lit.litSeconds)) / 3600;
}

/** Full-night burning hours inside a window: sunset to sunrise, 0 in polar day, the window in polar night. */
export function burningHours(
  sunset: number,
  sunrise: number,
  windowStart: number,
  windowEnd: number,
): number {
  const from = Math.max(windowStart, sunset);
  const to = Math.min(windowEnd, sunrise);
  return to > from ? (to - from) / 3600 : 0;
}

export interface SavingsSplit {
  readonly baselineWh: number;
  /** The LED luminaires at 100 % for the baseline's hours. */
  readonly ledFullWh: number;
  readonly actualWh: number;
  readonly ledConversionWh: number;
  readonly dimmingAndControlsWh: number;
  readonly totalWh: number;
  /** Total savings as a fraction of the baseline (0 when there is no baseline). */
  readonly totalFraction: number;
}

export function splitSavings(baselineWh: number, ledFullWh: number, actualWh: number): SavingsSplit {
  const totalWh = baselineWh - actualWh;
  return {
    baselineWh,
    ledFullWh,
    actualWh,
    ledConversionWh: baselineWh - ledFullWh,
    dimmingAndControlsWh: ledFullWh - actualWh,
    totalWh,
    totalFraction: baselineWh > 0 ? totalWh / baselineWh : 0,
  };
}

/** What an amount of energy costs and emits at a site. */
export function energyValue(wh: number, site: Pick<Site, 'tariffEurPerKwh' | 'co2KgPerKwh'>) {
  const kWh = wh / 1000;
  return { kWh, cost: kWh * site.tariffEurPerKwh, co2Kg: kWh * site.co2KgPerKwh };
}
