import { frenchHolidays, holidaysSelected } from '../calendar/holidays.ts';
import { listsDays, ruleAppliesToNight } from '../calendar/select.ts';
import type { Problem } from '../problem.ts';
import { epochDayOf, localDateOfEpochDay, minutesOfDay } from '../time/local-date.ts';
import type { CalendarRule, Config, LocalDate, Override, Profile, TimeSpec } from './schema.ts';

/** An item of a config list with its index in the list as given (a problem's path names it). */
export type Indexed<T> = readonly [index: number, item: T];

/**
 * What the cross checks read of a config, possibly partly invalid: the items that passed the
 * schema, each list's items with their index in the input, so the checks run on what is valid
 * and name the same places the schema problems do.
 */
export interface ConfigParts {
  /** The profiles that passed the schema. */
  readonly profiles: Readonly<Record<string, Profile>>;
  /** Every profile the input names, valid or not: a rule using an invalid profile still names a known one. */
  readonly profileNames: readonly string[];
  readonly rules: readonly Indexed<CalendarRule>[];
  readonly overrides: readonly Indexed<Override>[];
}

/** The parts of a schema-valid config. */
export function partsOf(config: Config): ConfigParts {
  return {
    profiles: config.profiles,
    profileNames: Object.keys(config.profiles),
    rules: config.calendar.map((rule, i) => [i, rule] as const),
    overrides: config.overrides.map((override, i) => [i, override] as const),
  };
}

/** Checks a schema-valid config for what no single field shows: references, overlaps, time order. */
export function crossCheckConfig(config: Config, source: string): Problem[] {
  return crossCheckParts(partsOf(config), source);
}

/** The cross checks of crossCheckConfig, on the parts of a config that passed the schema. */
export function crossCheckParts(parts: ConfigParts, source: string): Problem[] {
  return [
    ...checkCalendarProfiles(parts, source),
    ...checkRuleRanges(parts.rules, source),
    ...checkEqualPriorityOverlaps(parts.rules, source),
    ...Object.entries(parts.profiles).flatMap(([name, profile]) => checkProfileTimes(name, profile, source)),
    ...checkOverrideIds(parts.overrides, source),
  ];
}

function checkCalendarProfiles({ profileNames, rules }: ConfigParts, source: string): Problem[] {
  return rules.flatMap(([i, rule]) =>
    profileNames.includes(rule.profile)
      ? []
      : [
          {
            source,
            path: `calendar[${i}].profile`,
            message: `unknown profile "${rule.profile}" (profiles: ${profileNames.join(', ') || 'none'})`,
          },
        ],
  );
}

function checkRuleRanges(rules: readonly Indexed<CalendarRule>[], source: string): Problem[] {
  return rules.flatMap(([i, rule]) => {
    if (rule.from !== undefined && rule.to !== undefined && rule.to < rule.from) {
      return [
        { source, path: `calendar[${i}].to`, message: `to (${rule.to}) is before from (${rule.from})` },
      ];
    }
    return nightsMeet(rule, rule)
      ? []
      : [
          {
            source,
            path: `calendar[${i}]`,
            message:
              'selects no night: none of its dates, yearly dates or holidays falls within from..to on one of its weekdays',
          },
        ];
  });
}

function checkEqualPriorityOverlaps(rules: readonly Indexed<CalendarRule>[], source: string): Problem[] {
  const problems: Problem[] = [];
  rules.forEach(([i, rule], at) => {
    const first = rules.find(
      ([, other], before) => before < at && other.priority === rule.priority && rulesOverlap(other, rule),
    )?.[0];
    if (first !== undefined) {
      problems.push({
        source,
        path: `calendar[${i}].priority`,
        message:
          `overlaps calendar[${first}] with the same priority ${rule.priority}: both can select the same ` +
          'luminaire on the same night; give one a higher priority or make their selectors disjoint',
      });
    }
  });
  return problems;
}

/** Whether two rules can select the same luminaire on the same night (zones and streets may intersect). */
export function rulesOverlap(a: CalendarRule, b: CalendarRule): boolean {
  return (
    listsMeet(a.zones, b.zones) &&
    listsMeet(a.streets, b.streets) &&
    listsMeet(a.luminaires, b.luminaires) &&
    nightsMeet(a, b)
  );
}

/** An absent selector matches everything. */
function listsMeet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return a === undefined || b === undefined || a.some((x) => b.includes(x));
}

/** Ranges longer than this are assumed to contain every weekday and date pattern. */
const ENUMERABLE_DAYS = 3660;

/**
 * Years holding every (yearly date, weekday) pair and every holiday's weekday: within a century
 * the Gregorian calendar repeats its weekdays every 28 years.
 */
const WEEKDAY_CYCLE_YEARS = 28;

function nightsMeet(a: CalendarRule, b: CalendarRule): boolean {
  const from = Math.max(...[a.from, b.from].map((d) => (d === undefined ? -Infinity : epochDayOf(d))));
  const to = Math.min(...[a.to, b.to].map((d) => (d === undefined ? Infinity : epochDayOf(d))));
  if (from > to) return false;
  const both = (date: LocalDate) => ruleAppliesToNight(a, date) && ruleAppliesToNight(b, date);
  // A rule listing only exact dates has the fewest candidate nights, and no clipping to a cycle.
  const listing = [a, b].filter(listsDays).sort((x, y) => Number(listsYearly(x)) - Number(listsYearly(y)));
  if (listing[0] !== undefined) return daysListed(listing[0], from, to).some(both);
  if (to - from > ENUMERABLE_DAYS) return listsMeet(a.weekdays, b.weekdays);
  for (let day = from; day <= to; day++) if (both(localDateOfEpochDay(day))) return true;
  return false;
}

function listsYearly(rule: CalendarRule): boolean {
  return rule.yearly !== undefined || rule.holidays !== undefined;
}

/**
 * The days a rule lists within [from, to] (epoch days, possibly infinite); its yearly dates and
 * holidays over a weekday cycle of that range, which holds every weekday they fall on.
 */
function daysListed(rule: CalendarRule, from: number, to: number): LocalDate[] {
  const within = (date: LocalDate) => epochDayOf(date) >= from && epochDayOf(date) <= to;
  const days = (rule.dates ?? []).filter(within);
  if (!listsYearly(rule)) return days;
  const yearOf = (day: number) => Number(localDateOfEpochDay(day).slice(0, 4));
  const first = Number.isFinite(from)
    ? yearOf(from)
    : Number.isFinite(to)
      ? yearOf(to) - WEEKDAY_CYCLE_YEARS + 1
      : 2000;
  // One year more than the cycle: the range may start after the first year's dates.
  const last = Number.isFinite(to)
    ? Math.min(yearOf(to), first + WEEKDAY_CYCLE_YEARS)
    : first + WEEKDAY_CYCLE_YEARS;
  const holidays = holidaysSelected(rule.holidays ?? []);
  for (let year = first; year <= last; year++) {
    const yyyy = String(year).padStart(4, '0');
    // "02-29" of a common year is no date: the check keeps real dates only.
    const yearly = (rule.yearly ?? []).map((md) => `${yyyy}-${md}`).filter((date) => isCalendarDate(date));
    const holidayDates = [...frenchHolidays(year)]
      .filter(([, names]) => names.some((name) => holidays.has(name)))
      .map(([date]) => date);
    days.push(...[...yearly, ...holidayDates].filter(within));
  }
  return days;
}

function isCalendarDate(date: string): boolean {
  return localDateOfEpochDay(epochDayOf(date)) === date;
}

/** Minutes after the night's 12:00 start of a wall-clock time. */
function nightMinutes(hhmm: string): number {
  const m = minutesOfDay(hhmm);
  return m >= 720 ? m - 720 : m + 720;
}

function sameTime(a: TimeSpec, b: TimeSpec): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.event === b.event && a.offsetMinutes === b.offsetMinutes;
}

function describe(spec: TimeSpec): string {
  if (typeof spec === 'string') return spec;
  return spec.offsetMinutes === 0
    ? spec.event
    : `${spec.event}${spec.offsetMinutes > 0 ? '+' : ''}${spec.offsetMinutes} min`;
}

function checkProfileTimes(name: string, profile: Profile, source: string): Problem[] {
  const at = `profiles${/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`}`;
  const problems: Problem[] = [];
  const { on, off } = profile;
  const offNotAfterOn =
    typeof on === 'string' && typeof off === 'string'
      ? nightMinutes(off) <= nightMinutes(on)
      : typeof on !== 'string' &&
        typeof off !== 'string' &&
        on.event === off.event &&
        off.offsetMinutes <= on.offsetMinutes;
  if (offNotAfterOn) {
    problems.push({
      source,
      path: `${at}.off`,
      message: `off (${describe(off)}) is not after on (${describe(on)}) within the night (12:00 to 12:00)`,
    });
  }
  profile.steps.forEach((step, j) => {
    const earlier = profile.steps.findIndex((other, k) => k < j && sameTime(other.at, step.at));
    if (earlier >= 0) {
      problems.push({
        source,
        path: `${at}.steps[${j}].at`,
        message: `same time (${describe(step.at)}) as steps[${earlier}]`,
      });
    } else if (
      typeof on === 'string' &&
      typeof off === 'string' &&
      typeof step.at === 'string' &&
      !offNotAfterOn
    ) {
      const t = nightMinutes(step.at);
      if (t < nightMinutes(on) || t >= nightMinutes(off)) {
        problems.push({
          source,
          path: `${at}.steps[${j}].at`,
          message: `${step.at} is outside on (${on}) .. off (${off}), so this step never applies`,
        });
      }
    }
  });
  return problems;
}

function checkOverrideIds(overrides: readonly Indexed<Override>[], source: string): Problem[] {
  return overrides.flatMap(([i, override], at) => {
    const first = overrides.find(([, other], before) => before < at && other.id === override.id)?.[0];
    return first !== undefined
      ? [
          {
            source,
            path: `overrides[${i}].id`,
            message: `duplicate id "${override.id}" (also overrides[${first}])`,
          },
        ]
      : [];
  });
}
