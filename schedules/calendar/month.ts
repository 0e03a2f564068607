import type { Config, FrenchHoliday, LocalDate, Override, Weekday } from '../config/schema.ts';
import { overridesDuring } from '../overrides/select.ts';
import { addDays, weekdayOf } from '../time/local-date.ts';
import { nightWindow } from '../time/night.ts';
import { ZoneClock } from '../time/zone-clock.ts';
import { frenchHolidaysOn } from './holidays.ts';
import { type IndexedRule, ruleName, rulesByPrecedence } from './select.ts';

/** A rule that beats the zone's own rule that night on some of its streets or luminaires. */
export interface RuleException {
  readonly rule: string;
  readonly profile: string;
  readonly streets?: readonly string[];
  readonly luminaires?: readonly string[];
}

export interface OverrideInZone {
  readonly id: string;
  readonly level: number;
  readonly from: string;
  readonly until: string;
  /** false when it targets only some streets or luminaires of the zone. */
  readonly wholeZone: boolean;
}

/** What one zone follows during one night. */
export interface ZoneNight {
  /**
   * The rule (id or `calendar[i]`) and profile of the zone as a whole: what a luminaire that no
   * street or luminaire rule names follows; null when no rule selects it (unlit).
   */
  readonly rule: string | null;
  readonly profile: string | null;
  /** Street and luminaire rules that win over `rule` where they apply, the winning one first. */
  readonly exceptions: readonly RuleException[];
  /** Overrides acting in the zone at some time of the night, in config order (the last one listed wins). */
  readonly overrides: readonly OverrideInZone[];
}

export interface MonthNight {
  /** The date the night starts (noon to noon), as rules select it. */
  readonly night: LocalDate;
  readonly weekday: Weekday;
  /** French public holidays on that date, Alsace-Moselle's included. */
  readonly holidays: readonly FrenchHoliday[];
  readonly zones: Readonly<Record<string, ZoneNight>>;
  /** What a zone that no rule or override names follows. */
  readonly otherZones: ZoneNight;
}

export interface CalendarMonth {
  readonly month: string;
  readonly timezone: string;
  readonly nights: readonly MonthNight[];
}

interface Selectors {
  readonly zones?: readonly string[] | undefined;
  readonly streets?: readonly string[] | undefined;
  readonly luminaires?: readonly string[] | undefined;
}

/** How much of a zone selectors take; `zone` null stands for a zone no selector names. */
function reach(selectors: Selectors, zone: string | null): 'whole' | 'part' | 'none' {
  if (selectors.zones !== undefined && (zone === null || !selectors.zones.includes(zone))) return 'none';
  return selectors.streets === undefined && selectors.luminaires === undefined ? 'whole' : 'part';
}

/** The zones a config's rules and overrides name, sorted. */
export function zonesNamed(config: Config): string[] {
  const targets = config.overrides.map(({ target }) => ('all' in target ? {} : target));
  return [...new Set([...config.calendar, ...targets].flatMap((selectors) => selectors.zones ?? []))].sort();
}

/**
 * The calendar of a month ("YYYY-MM") night by night, per zone: the profile a zone follows, the
 * street or luminaire rules that differ within it, and the overrides acting in it. Street and
 * luminaire rules are listed when they name the zone or no zone: whether the zone holds those
 * streets is the inventory's business.
 */
export function calendarMonth(config: Config, zones: readonly string[], month: string): CalendarMonth {
  const clock = ZoneClock.of(config.site.timezone);
  const nights: MonthNight[] = [];
  for (let night = `${month}-01`; night.startsWith(month); night = addDays(night, 1)) {
    const ranked = rulesByPrecedence(config.calendar, night);
    const active = overridesDuring(config.overrides, nightWindow(clock, night)).map(
      ({ override }) => override,
    );
    nights.push({
      night,
      weekday: weekdayOf(night),
      holidays: frenchHolidaysOn(night),
      zones: Object.fromEntries(zones.map((zone) => [zone, zoneNight(ranked, active, zone)])),
      otherZones: zoneNight(ranked, active, null),
    });
  }
  return { month, timezone: config.site.timezone, nights };
}

/** `ranked`: the night's applicable rules, winning first; `active`: the night's overrides. */
function zoneNight(
  ranked: readonly IndexedRule[],
  active: readonly Override[],
  zone: string | null,
): ZoneNight {
  const exceptions: RuleException[] = [];
  let winner: IndexedRule | undefined;
  for (const indexed of ranked) {
    const taken = reach(indexed.rule, zone);
    if (taken === 'whole') {
      winner = indexed;
      break;
    }
    if (taken === 'part') {
      const { profile, streets, luminaires } = indexed.rule;
      exceptions.push({
        rule: ruleName(indexed),
        profile,
        ...(streets === undefined ? {} : { streets }),
        ...(luminaires === undefined ? {} : { luminaires }),
      });
    }
  }
  return {
    rule: winner === undefined ? null : ruleName(winner),
    profile: winner?.rule.profile ?? null,
    exceptions,
    overrides: active.flatMap((override) => {
      const taken = 'all' in override.target ? 'whole' : reach(override.target, zone);
      if (taken === 'none') return [];
      const { id, level, from, until } = override;
      return [{ id, level, from, until, wholeZone: taken === 'whole' }];
    }),
  };
}
