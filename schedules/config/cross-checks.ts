import type { Problem } from '../problem.ts';
import { epochDayOf, localDateOfEpochDay, minutesOfDay, weekdayOf } from '../time/local-date.ts';
import type { CalendarRule, Config, Profile, TimeSpec } from './schema.ts';

/** Checks a schema-valid config for what no single field shows: references, overlaps, time order. */
export function crossCheckConfig(config: Config, source: string): Problem[] {
  return [
    ...checkCalendarProfiles(config, source),
    ...checkRuleRanges(config.calendar, source),
    ...checkEqualPriorityOverlaps(config.calendar, source),
    ...Object.entries(config.profiles).flatMap(([name, profile]) => checkProfileTimes(name, profile, source)),
    ...checkOverrideIds(config, source),
  ];
}

function checkCalendarProfiles(config: Config, source: string): Problem[] {
  const known = Object.keys(config.profiles);
  return config.calendar.flatMap((rule, i) =>
    Object.hasOwn(config.profiles, rule.profile)
      ? []
      : [
          {
            source,
            path: `calendar[${i}].profile`,
            message: `unknown profile "${rule.profile}" (profiles: ${known.join(', ') || 'none'})`,
          },
        ],
  );
}

function checkRuleRanges(rules: readonly CalendarRule[], source: string): Problem[] {
  return rules.flatMap((rule, i) =>
    rule.from !== undefined && rule.to !== undefined && rule.to < rule.from
      ? [{ source, path: `calendar[${i}].to`, message: `to (${rule.to}) is before from (${rule.from})` }]
      : [],
  );
}

function checkEqualPriorityOverlaps(rules: readonly CalendarRule[], source: string): Problem[] {
  const problems: Problem[] = [];
  rules.forEach((rule, i) => {
    const first = rules.findIndex(
      (other, j) => j < i && other.priority === rule.priority && rulesOverlap(other, rule),
    );
    if (first >= 0) {
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

function nightsMeet(a: CalendarRule, b: CalendarRule): boolean {
  const matches = (rule: CalendarRule, day: number): boolean => {
    const date = localDateOfEpochDay(day);
    return (
      (rule.dates === undefined || rule.dates.includes(date)) &&
      (rule.from === undefined || date >= rule.from) &&
      (rule.to === undefined || date <= rule.to) &&
      (rule.weekdays === undefined || rule.weekdays.includes(weekdayOf(date)))
    );
  };
  const dated = a.dates ?? b.dates;
  if (dated !== undefined)
    return dated.some((date) => matches(a, epochDayOf(date)) && matches(b, epochDayOf(date)));
  const from = Math.max(...[a.from, b.from].map((d) => (d === undefined ? -Infinity : epochDayOf(d))));
  const to = Math.min(...[a.to, b.to].map((d) => (d === undefined ? Infinity : epochDayOf(d))));
  if (from > to) return false;
  if (to - from > ENUMERABLE_DAYS) return listsMeet(a.weekdays, b.weekdays);
  for (let day = from; day <= to; day++) if (matches(a, day) && matches(b, day)) return true;
  return false;
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

function checkOverrideIds(config: Config, source: string): Problem[] {
  return config.overrides.flatMap((override, i) => {
    const first = config.overrides.findIndex((other, j) => j < i && other.id === override.id);
    return first >= 0
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
