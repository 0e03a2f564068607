import { type Bounds, boundsOf, SunField } from '../astro/sun-field.ts';
import { NightRuleSelector } from '../calendar/select.ts';
import type { Config, LocalDate } from '../config/schema.ts';
import { SUN_EVENTS } from '../config/schema.ts';
import { burningHours, ledEnergyWh } from '../energy/model.ts';
import type { Luminaire } from '../inventory/schema.ts';
import { NightOverrideSelector, type OverrideSpan } from '../overrides/select.ts';
import { getOrInsertComputed, PlaceCache } from '../place-cache.ts';
import { type NightWindow, nightWindow } from '../time/night.ts';
import { ZoneClock } from '../time/zone-clock.ts';
import { NightGroup } from './night-group.ts';
import { compileProgram, type NightProgram } from './program.ts';
import type { LuminairePlan, NightPlan } from './types.ts';

const SUNSET = SUN_EVENTS.indexOf('sunset');
const SUNRISE = SUN_EVENTS.indexOf('sunrise');

/**
 * What every luminaire does on the night of `night` (D 12:00 to D+1 12:00 in the site's zone):
 * its calendar rule's profile resolved against the sun at its position, overrides on top, levels
 * raised to its minimum, and its planned and baseline energy (see energy/model.ts).
 */
export function planNight(config: Config, luminaires: readonly Luminaire[], night: LocalDate): NightPlan {
  const planner = new NightPlanner(config, night, boundsOf(luminaires));
  const plans: LuminairePlan[] = new Array(luminaires.length);
  for (let i = 0; i < luminaires.length; i++) plans[i] = planner.plan(luminaires[i] as Luminaire);
  return { night, timezone: config.site.timezone, luminaires: plans };
}

/**
 * Plans luminaires one at a time for one night. Everything that does not depend on the luminaire
 * (rules and overrides of the night, compiled profiles, the sun field over `bounds`) is prepared
 * once; a luminaire outside `bounds` is still planned, with suncalc called directly.
 */
export class NightPlanner {
  readonly window: NightWindow;
  private readonly groups: GroupIndex;
  private readonly field: SunField;
  private readonly sun = new Float64Array(SUN_EVENTS.length);
  private readonly windowSeconds: number;
  private readonly standbyWatts: number;

  constructor(config: Config, night: LocalDate, bounds: Bounds) {
    const clock = ZoneClock.of(config.site.timezone);
    this.window = nightWindow(clock, night);
    const rules = new NightRuleSelector(config.calendar, night);
    const overrides = new NightOverrideSelector(config.overrides, this.window);
    this.groups = new GroupIndex(rules, overrides, this.window, (profile) => {
      const definition = config.profiles[profile];
      return definition === undefined ? null : compileProgram(profile, definition, clock, night);
    });
    this.field = new SunField(this.window, bounds);
    this.windowSeconds = this.window.end - this.window.start;
    this.standbyWatts = config.site.standbyWatts;
  }

  plan(luminaire: Luminaire): LuminairePlan {
    const sun = this.sun;
    this.field.fill(luminaire.lat, luminaire.lon, sun);
    const group = this.groups.of(luminaire);
    // Sharing the outcome's boxed on/off (rather than reading them off a transition) saves two
    // number allocations per luminaire.
    const outcome = group.outcome(sun);
    const { transitions, on, off } = outcome;
    return {
      id: luminaire.id,
      thingName: luminaire.thingName,
      profile: on === null ? null : group.profile,
      on,
      off,
      transitions,
      energyWh: ledEnergyWh(outcome, luminaire.ledWatts, this.standbyWatts, this.windowSeconds),
      baselineWh:
        luminaire.baselineWatts *
        burningHours(sun[SUNSET] as number, sun[SUNRISE] as number, this.window.start, this.window.end),
    };
  }
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
  private readonly byPlace = new PlaceCache<NightGroup[]>();
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
      this.lastZone = luminaire.zone;
      this.lastStreet = luminaire.street;
      this.lastByMinLevel = this.byPlace.get(luminaire.zone, luminaire.street, newGroupList);
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
    const byOverrides = getOrInsertComputed(this.groups, profile, () => new Map());
    const byMinLevel = getOrInsertComputed(byOverrides, overrides, newGroupList);
    let group = byMinLevel[luminaire.minLevel];
    if (group === undefined) {
      const program = profile === null ? null : getOrInsertComputed(this.programs, profile, this.compile);
      group = new NightGroup(program, overrides, luminaire.minLevel, this.window);
      byMinLevel[luminaire.minLevel] = group;
    }
    return group;
  }
}

/** Module-level, so a cache miss on the hot path does not allocate a closure. */
function newGroupList(): NightGroup[] {
  return [];
}
