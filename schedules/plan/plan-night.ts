import { type Bounds, boundsOf, SunField } from '../astro/sun-field.ts';
import { NightRuleSelector } from '../calendar/select.ts';
import type { Config, LocalDate } from '../config/schema.ts';
import { SUN_EVENTS } from '../config/schema.ts';
import { burningHours, ledEnergyWh, litTime } from '../energy/model.ts';
import { type Cabinet, hasOwnController, type Luminaire, nightMinutes } from '../inventory/schema.ts';
import { NightOverrideSelector, type OverrideSpan } from '../overrides/select.ts';
import { getOrInsertComputed, PlaceCache } from '../place-cache.ts';
import { addDays } from '../time/local-date.ts';
import { type NightWindow, nightWindow } from '../time/night.ts';
import { ZoneClock } from '../time/zone-clock.ts';
import { boundByContactor, planCabinet } from './cabinet.ts';
import { NightGroup } from './night-group.ts';
import { compileProgram, type NightProgram } from './program.ts';
import { appendTransition } from './timeline.ts';
import type { LuminairePlan, NightPlan, Transition } from './types.ts';

const SUNSET = SUN_EVENTS.indexOf('sunset');
const SUNRISE = SUN_EVENTS.indexOf('sunrise');

/**
 * What bounds luminaire plans beside their own profiles: the site's cabinets, and the luminaires
 * without their own controller behind its connected cabinets, which decide when those close
 * whichever luminaires are being planned (a shard, one luminaire, the whole inventory).
 */
export interface Circuits {
  readonly cabinets: readonly Cabinet[];
  readonly nodeLess: readonly Luminaire[];
  /**
   * Connected cabinets' contactors planned already from the whole inventory (the nightly push plans
   * them once for every chunk): a cabinet listed here switches as listed, not as `nodeLess` asks.
   */
  readonly contactors?: ReadonlyMap<string, ContactorNights>;
}

/**
 * A connected cabinet's contactor by night (a night's steps lie within its window, as planCabinet
 * plans them from that night's plans of the luminaires without their own controller it feeds);
 * null: it feeds none of those, and cuts no luminaire that night.
 */
export type ContactorNights = ReadonlyMap<LocalDate, readonly Transition[] | null>;

/** A site without cabinets, or a plan that must not be bounded (a cabinet's own inputs, a profile's preview). */
export const NO_CIRCUITS: Circuits = { cabinets: [], nodeLess: [] };

/** The circuits of a site from its cabinets and its whole inventory. */
export function circuitsOf(cabinets: readonly Cabinet[], luminaires: readonly Luminaire[]): Circuits {
  const connected = new Set(cabinets.filter((c) => c.controller === 'connected').map((c) => c.id));
  const nodeLess = luminaires.filter(
    (l) => !hasOwnController(l) && l.cabinet !== undefined && connected.has(l.cabinet),
  );
  return { cabinets, nodeLess };
}

/**
 * What every luminaire does on the night of `night` (D 12:00 to D+1 12:00 in the site's zone):
 * its calendar rule's profile resolved against the sun at its position, overrides on top, levels
 * raised to its minimum, cut wherever the contactor of its cabinet (of `circuits`) is open, and its
 * planned and baseline energy (see energy/model.ts).
 */
export function planNight(
  config: Config,
  luminaires: readonly Luminaire[],
  night: LocalDate,
  circuits: Circuits,
): NightPlan {
  const planner = new NightPlanner(config, night, boundsOf(luminaires));
  return { night, timezone: config.site.timezone, luminaires: planner.planAll(luminaires, circuits) };
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
  private readonly clock: ZoneClock;
  private readonly nextDay: LocalDate;

  constructor(
    config: Config,
    private readonly night: LocalDate,
    bounds: Bounds,
  ) {
    const clock = ZoneClock.of(config.site.timezone);
    this.clock = clock;
    this.nextDay = addDays(night, 1);
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

  /** The plan of each of `luminaires`, in order, bounded by their cabinets' contactors. */
  planAll(luminaires: readonly Luminaire[], circuits: Circuits): LuminairePlan[] {
    const plans: LuminairePlan[] = new Array(luminaires.length);
    for (let i = 0; i < luminaires.length; i++) plans[i] = this.plan(luminaires[i] as Luminaire);
    if (circuits.cabinets.length > 0) this.boundByCabinets(luminaires, plans, circuits);
    return plans;
  }

  /**
   * Cuts the plans (`plans[i]` is the plan of `luminaires[i]`) of the luminaires with their own
   * controller behind a `clock` or `connected` cabinet to the time its contactor is closed: a
   * luminaire cannot be lit while its cabinet is off. A clock closes from sunset to sunrise at the
   * cabinet, open during its night cut; a connected cabinet switches as planCabinet plans it from
   * the luminaires without their own controller it feeds (`circuits.nodeLess`). One that feeds
   * none closes whenever one of its luminaires asks for light, which cuts none of them.
   */
  private boundByCabinets(
    luminaires: readonly Luminaire[],
    plans: LuminairePlan[],
    circuits: Circuits,
  ): void {
    const switching = new Map(circuits.cabinets.filter((c) => c.controller !== 'none').map((c) => [c.id, c]));
    if (switching.size === 0) return;
    const contactors = new Map<string, readonly Transition[] | null>();
    const nodeLessOf = new Map<string, Luminaire[]>();
    for (const luminaire of circuits.nodeLess)
      if (luminaire.cabinet !== undefined)
        getOrInsertComputed(nodeLessOf, luminaire.cabinet, () => []).push(luminaire);
    const contactorOf = (cabinet: Cabinet): readonly Transition[] | null => {
      if (cabinet.controller === 'clock') return this.clockContactor(cabinet);
      const planned = circuits.contactors?.get(cabinet.id)?.get(this.night);
      if (planned !== undefined) return planned;
      const nodeLess = nodeLessOf.get(cabinet.id);
      if (nodeLess === undefined) return null;
      return planCabinet(
        nodeLess.map((luminaire) => ({ luminaire, steps: this.plan(luminaire).transitions })),
      ).steps;
    };
    for (let i = 0; i < luminaires.length; i++) {
      const luminaire = luminaires[i] as Luminaire;
      const cabinet = luminaire.cabinet === undefined ? undefined : switching.get(luminaire.cabinet);
      if (cabinet === undefined || !hasOwnController(luminaire)) continue;
      const contactor = getOrInsertComputed(contactors, cabinet.id, () => contactorOf(cabinet));
      if (contactor !== null) plans[i] = this.bounded(luminaire, plans[i] as LuminairePlan, contactor);
    }
  }

  /**
   * An astronomical clock's contactor: closed from sunset to sunrise at its position, within the
   * night, open during its night cut.
   */
  private clockContactor(cabinet: Pick<Cabinet, 'lat' | 'lon' | 'nightCut'>): Transition[] {
    this.field.fill(cabinet.lat, cabinet.lon, this.sun);
    const from = Math.max(this.window.start, this.sun[SUNSET] as number);
    const to = Math.min(this.window.end, this.sun[SUNRISE] as number);
    const contactor: Transition[] = [];
    if (to <= from) return contactor;
    const cut = cabinet.nightCut === undefined ? null : this.cutSpan(cabinet.nightCut);
    if (cut === null || cut.to <= from || cut.from >= to) {
      appendTransition(contactor, from, 100);
      appendTransition(contactor, to, 0);
      return contactor;
    }
    if (cut.from > from) {
      appendTransition(contactor, from, 100);
      appendTransition(contactor, cut.from, 0);
    }
    if (cut.to < to) {
      appendTransition(contactor, cut.to, 100);
      appendTransition(contactor, to, 0);
    }
    return contactor;
  }

  /** A night cut "HH:MM-HH:MM" as instants of this night: times before noon fall on the next day. */
  private cutSpan(nightCut: string): { from: number; to: number } {
    const at = (hhmm: string) => {
      const minutes = nightMinutes(hhmm) + 12 * 60;
      return this.clock.toEpoch(minutes >= 24 * 60 ? this.nextDay : this.night, (minutes % (24 * 60)) * 60);
    };
    return { from: at(nightCut.slice(0, 5)), to: at(nightCut.slice(6)) };
  }

  /** `plan` cut to the closed spans of `contactor`, its energy recomputed; the same plan when nothing is cut. */
  private bounded(
    luminaire: Luminaire,
    plan: LuminairePlan,
    contactor: readonly Transition[],
  ): LuminairePlan {
    const transitions = boundByContactor(plan.transitions, contactor);
    const unchanged =
      transitions.length === plan.transitions.length &&
      transitions.every((t, i) => t.at === plan.transitions[i]?.at && t.level === plan.transitions[i]?.level);
    if (unchanged) return plan;
    const lit = litTime(transitions, this.groups.of(luminaire).program?.fadeSeconds ?? 0);
    const on = transitions[0]?.at ?? null;
    return {
      ...plan,
      profile: on === null ? null : plan.profile,
      on,
      off: transitions[transitions.length - 1]?.at ?? null,
      transitions,
      energyWh: ledEnergyWh(lit, luminaire.ledWatts, this.standbyWatts, this.windowSeconds),
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
