import { MAX_PLAN_NUMBERS } from '#protocol/limits.ts';
import type { Config, Profile } from '../config/schema.ts';
import { jsonPath, type Problem } from '../problem.ts';
import { epochDayOf, localDateOfEpochDay } from '../time/local-date.ts';
import { nightOf } from '../time/night.ts';

/**
 * The shadow budget: every luminaire's plan over `planNights` nights must fit what a controller
 * accepts (MAX_PLAN_NUMBERS in `s`; the byte limit follows from it, protocol/limits.ts). Checked on
 * the config, so a config whose plans cannot fit is refused rather than pushed and rejected by the
 * controllers. The bounds are worst cases, valid for every luminaire and every night:
 * - a profile gives a night at most on + its steps + off level changes (a step before on, one at
 *   the same instant as another, or one repeating the level in force gives none);
 * - an override active on a night adds at most its two ends clipped to the night. The 0 a night
 *   with overrides closes on adds none: at the last of those instants no override is active any
 *   more and the program is off, so the level is already 0 there. Joining nights only merges changes.
 * Fades cost nothing here: they travel in `f`, at most one change a night.
 */

/** A level change is a [dt, level] pair in `s`. */
const NUMBERS_PER_CHANGE = 2;

const changesOf = (profile: Profile): number => profile.steps.length + 2;

export function planBudgetProblems(config: Config, source: string): Problem[] {
  const profileProblems = Object.entries(config.profiles).flatMap(([name, profile]) =>
    profileBudgetProblems(name, profile, config.planNights, source),
  );
  return profileProblems.length > 0 ? profileProblems : overrideBudgetProblems(config, source);
}

function profileBudgetProblems(name: string, profile: Profile, nights: number, source: string): Problem[] {
  const perNight = changesOf(profile) * NUMBERS_PER_CHANGE;
  const numbers = perNight * nights;
  if (numbers <= MAX_PLAN_NUMBERS) return [];
  const maxSteps = Math.floor(MAX_PLAN_NUMBERS / (NUMBERS_PER_CHANGE * nights)) - 2;
  const maxNights = Math.floor(MAX_PLAN_NUMBERS / perNight);
  return [
    {
      source,
      path: jsonPath(['profiles', name, 'steps']),
      message:
        `profile "${name}": ${profile.steps.length} steps × ${nights} nights encode up to ${numbers} ` +
        `numbers, the controller takes ${MAX_PLAN_NUMBERS}: at most ${maxSteps} steps at ${nights} nights` +
        (maxNights >= 1 ? `, or planNights ≤ ${maxNights}` : ''),
    },
  ];
}

/** Nights an override acts on, as epoch days (the selector's rule: from < night end, until > night start). */
interface OverrideNights {
  readonly index: number;
  readonly first: number;
  readonly last: number;
}

function overrideBudgetProblems(config: Config, source: string): Problem[] {
  const nights = config.planNights;
  const tz = config.site.timezone;
  const spans: OverrideNights[] = config.overrides.flatMap((override, index) => {
    const from = Math.round(Date.parse(override.from) / 1000);
    const until = Math.round(Date.parse(override.until) / 1000);
    if (until <= from) return [];
    return [{ index, first: epochDayOf(nightOf(tz, from)), last: epochDayOf(nightOf(tz, until - 1)) }];
  });
  if (spans.length === 0) return [];
  const used = config.calendar.flatMap((rule) => {
    const profile = config.profiles[rule.profile];
    return profile === undefined ? [] : [{ name: rule.profile, changes: changesOf(profile) }];
  });
  const widest = used.reduce((a, b) => (b.changes > a.changes ? b : a), { name: '', changes: 0 });
  // The window sum is piecewise linear between the instants where a window's start or end crosses
  // an override's first night or the night after its last: its maximum is at one of those starts.
  const starts = spans.flatMap((s) => [s.first, s.last + 1, s.first - nights, s.last + 1 - nights]);
  let worst = { start: 0, numbers: 0 };
  for (const start of starts) {
    const numbers = NUMBERS_PER_CHANGE * (nights * widest.changes + overrideChanges(spans, start, nights));
    if (numbers > worst.numbers) worst = { start, numbers };
  }
  if (worst.numbers <= MAX_PLAN_NUMBERS) return [];
  const end = worst.start + nights - 1;
  const acting = spans.filter((s) => s.first <= end && s.last >= worst.start);
  const last = acting[acting.length - 1] as OverrideNights;
  const withProfile =
    widest.name === '' ? '' : ` with profile "${widest.name}" (${widest.changes - 2} steps)`;
  return [
    {
      source,
      path: jsonPath(['overrides', last.index]),
      message:
        `overrides ${acting.map((s) => `[${s.index}]`).join(', ')} act on the ${nights}-night plan from ` +
        `${localDateOfEpochDay(worst.start)}:${withProfile} it encodes up to ${worst.numbers} numbers, ` +
        `the controller takes ${MAX_PLAN_NUMBERS}: fewer overlapping ` +
        'overrides, fewer steps or a smaller planNights',
    },
  ];
}

/** Level changes overrides add to the nights [start, start + nights): two per override and night it acts on. */
function overrideChanges(spans: readonly OverrideNights[], start: number, nights: number): number {
  const end = start + nights - 1;
  let changes = 0;
  for (const span of spans)
    changes += 2 * Math.max(0, Math.min(span.last, end) - Math.max(span.first, start) + 1);
  return changes;
}
