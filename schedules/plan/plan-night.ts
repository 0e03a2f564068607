import { boundsOf, SunField } from '../astro/sun-field.ts';
import { NightRuleSelector } from '../calendar/select.ts';
import type { Config, LocalDate } from '../config/schema.ts';
import { SUN_EVENTS } from '../config/schema.ts';
import { burningHours } from '../energy/model.ts';
import type { Luminaire } from '../inventory/schema.ts';
import { NightOverrideSelector, type OverrideSpan } from '../overrides/select.ts';
import { type NightWindow, nightWindow } from '../time/night.ts';
import { ZoneClock } from '../time/zone-clock.ts';
import { NightGroup } from './night-group.ts';
import { compileProgram, type NightProgram } from './program.ts';
import type { LuminairePlan, NightPlan, Transition } from './types.ts';

const SUNSET = SUN_EVENTS.indexOf('sunset');
const SUNRISE = SUN_EVENTS.indexOf('sunrise');

/**
 * What every luminaire does on the night of `night` (D 12:00 to D+1 12:00 in the site's zone):
 * its calendar rule's profile resolved against the sun at its position, overrides on top, levels
 * raised to its minimum, and its planned and baseline energy (see energy/model.ts).
 */
export function planNight(config: Config, luminaires: readonly Luminaire[], night: LocalDate): NightPlan {
  const clock = ZoneClock.of(config.site.timezone);
  const window = nightWindow(clock, night);
  const rules = new NightRuleSelector(config.calendar, night);
  const overrides = new NightOverrideSelector(config.overrides, window);
  const groups = new GroupIndex(rules, overrides, window, (profile) => {
    const definition = config.profiles[profile];
    return definition === undefined ? null : compileProgram(profile, definition, clock, night);
  });
  const field = new SunField(window, boundsOf(luminaires));
  const sun = new Float64Array(SUN_EVENTS.length);
  const windowSeconds = window.end - window.start;
  const standbyWatts = config.site.standbyWatts;

  const plans = luminaires.map((luminaire): LuminairePlan => {
    field.fill(luminaire.lat, luminaire.lon, sun);
    const group = groups.of(luminaire);
    const { transitions, fullPowerSeconds, litSeconds } = group.outcome(sun);
    const lit = transitions.length > 0;
    return {
      id: luminaire.id,
      thingName: luminaire.thingName,
      profile: lit ? group.profile : null,
      on: lit ? (transitions[0] as Transition).at : null,
      off: lit ? (transitions[transitions.length - 1] as Transition).at : null,
      transitions,
      energyWh: (luminaire.ledWatts * fullPowerSeconds + standbyWatts * (windowSeconds - litSeconds)) / 3600,
      baselineWh:
        luminaire.baselineWatts *
        burningHours(sun[SUNSET] as number, sun[SUNRISE] as number, window.start, window.end),
    };
  });
  return { night, timezone: config.site.timezone, luminaires: plans };
}

/**
 * The night group of each luminaire: (profile, overrides acting on it, minimum level). Cached by
 * zone and street, since rules and overrides select by those (luminaires named by id are looked up
 * on their own), and remembered for the last place, since inventories list a street's luminaires
 * together.
 */
class GroupIndex {
  private readonly programs = new Map<string, NightProgram | null>();
  private readonly groups = new Map<string | null, Map<readonly OverrideSpan[], NightGroup[]>>();
  private readonly byPlace = new Map<string, Map<string, NightGroup[]>>();
  private lastZone = '';
  private lastStreet = '';
  private lastByMinLevel: NightGroup[] = [];

  constructor(
    private readonly rules: NightRuleSelector,
    private readonly overrides: NightOverrideSelector,
    private readonly window: NightWindow,
    private readonly compile: (profile: string) => NightProgram | null,
  ) {}

  of(luminaire: Luminaire): NightGroup {
    if (this.rules.namedIds.has(luminaire.id) || this.overrides.namedIds.has(luminaire.id)) {
      return this.groupOf(luminaire);
    }
    if (luminaire.zone !== this.lastZone || luminaire.street !== this.lastStreet) {
      let streets = this.byPlace.get(luminaire.zone);
      if (streets === undefined) {
        streets = new Map();
        this.byPlace.set(luminaire.zone, streets);
      }
      let byMinLevel = streets.get(luminaire.street);
      if (byMinLevel === undefined) {
        byMinLevel = [];
        streets.set(luminaire.street, byMinLevel);
      }
      this.lastZone = luminaire.zone;
      this.lastStreet = luminaire.street;
      this.lastByMinLevel = byMinLevel;
    }
    let group = this.lastByMinLevel[luminaire.minLevel];
    if (group === undefined) {
      group = this.groupOf(luminaire);
      this.lastByMinLevel[luminaire.minLevel] = group;
    }
    return group;
  }

  private groupOf(luminaire: Luminaire): NightGroup {
    const profile = this.rules.select(luminaire)?.rule.profile ?? null;
    const overrides = this.overrides.select(luminaire);
    let byOverrides = this.groups.get(profile);
    if (byOverrides === undefined) {
      byOverrides = new Map();
      this.groups.set(profile, byOverrides);
    }
    let byMinLevel = byOverrides.get(overrides);
    if (byMinLevel === undefined) {
      byMinLevel = [];
      byOverrides.set(overrides, byMinLevel);
    }
    let group = byMinLevel[luminaire.minLevel];
    if (group === undefined) {
      const program = profile === null ? null : this.program(profile);
      group = new NightGroup(program, overrides, luminaire.minLevel, this.window);
      byMinLevel[luminaire.minLevel] = group;
    }
    return group;
  }

  private program(profile: string): NightProgram | null {
    let program = this.programs.get(profile);
    if (program === undefined) {
      program = this.compile(profile);
      this.programs.set(profile, program);
    }
    return program;
  }
}
