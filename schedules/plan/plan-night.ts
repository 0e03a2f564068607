import { boundsOf, SunField } from '../astro/sun-field.ts';
import { NightRuleSelector } from '../calendar/select.ts';
import type { Config, LocalDate } from '../config/schema.ts';
import { SUN_EVENTS } from '../config/schema.ts';
import { burningHours, ledEnergyWh, litTime } from '../energy/model.ts';
import type { Luminaire } from '../inventory/schema.ts';
import { NightOverrideSelector } from '../overrides/select.ts';
import { nightWindow } from '../time/night.ts';
import { ZoneClock } from '../time/zone-clock.ts';
import { compileProgram, type NightProgram, resolveProgram } from './program.ts';
import { composeTransitions } from './timeline.ts';
import type { LuminairePlan, NightPlan } from './types.ts';

const SUNSET = SUN_EVENTS.indexOf('sunset');
const SUNRISE = SUN_EVENTS.indexOf('sunrise');

/** What every luminaire does on the night of `night` (D 12:00 to D+1 12:00 in the site's zone). */
export function planNight(config: Config, luminaires: readonly Luminaire[], night: LocalDate): NightPlan {
  const clock = ZoneClock.of(config.site.timezone);
  const window = nightWindow(clock, night);
  const rules = new NightRuleSelector(config.calendar, night);
  const overrides = new NightOverrideSelector(config.overrides, window);
  const programs = new Map<string, NightProgram>();
  const programOf = (name: string): NightProgram | null => {
    let program = programs.get(name);
    const profile = config.profiles[name];
    if (program === undefined && profile !== undefined) {
      program = compileProgram(name, profile, clock, night);
      programs.set(name, program);
    }
    return program ?? null;
  };
  const field = new SunField(window, boundsOf(luminaires));
  const sun = new Float64Array(SUN_EVENTS.length);
  const windowSeconds = window.end - window.start;
  const standbyWatts = config.site.standbyWatts;

  const plans = luminaires.map((luminaire): LuminairePlan => {
    field.fill(luminaire.lat, luminaire.lon, sun);
    const rule = rules.select(luminaire);
    const program = rule === null ? null : programOf(rule.rule.profile);
    const resolved = program === null ? null : resolveProgram(program, sun, window);
    const transitions = composeTransitions(resolved, overrides.select(luminaire), luminaire.minLevel, window);
    const lit = transitions.length > 0;
    return {
      id: luminaire.id,
      thingName: luminaire.thingName,
      profile: lit && program !== null ? program.profileName : null,
      on: transitions[0]?.at ?? null,
      off: transitions.at(-1)?.at ?? null,
      transitions,
      energyWh: ledEnergyWh(litTime(transitions), luminaire.ledWatts, standbyWatts, windowSeconds),
      baselineWh:
        luminaire.baselineWatts *
        burningHours(sun[SUNSET] as number, sun[SUNRISE] as number, window.start, window.end),
    };
  });
  return { night, timezone: config.site.timezone, luminaires: plans };
}
