import { boundsOf } from '../astro/sun-field.ts';
import { NightRuleSelector, ruleName } from '../calendar/select.ts';
import type { Config, LocalDate } from '../config/schema.ts';
import type { Luminaire } from '../inventory/schema.ts';
import { NightOverrideSelector } from '../overrides/select.ts';
import { type Circuits, NightPlanner } from '../plan/plan-night.ts';
import type { LuminairePlan } from '../plan/types.ts';
import { ZoneClock } from '../time/zone-clock.ts';

/** A span of the night, as local wall-clock times "HH:MM" of the site's zone. */
export interface ClockSpan {
  readonly from: string;
  readonly to: string;
}

/** Why a street is lit as it is that night, in words a resident reads. */
export interface StreetReason {
  /** The calendar rule that chose the profile (its id, or `calendar[i]`); null when no rule lights the street. */
  readonly rule: string | null;
  readonly profile: string | null;
  /** The profile's own description, as the technicians wrote it. */
  readonly description: string | null;
  /** A temporary change by the technicians acts on the street that night (its text is not published). */
  readonly temporaryChange: boolean;
}

/** What a street does during one night: no luminaire, sensor or live state, only the plan. */
export interface StreetNight {
  readonly zone: string;
  readonly street: string;
  readonly night: LocalDate;
  /** First switch-on and last switch-off of the street's luminaires; null when the street stays dark. */
  readonly switchOn: string | null;
  readonly switchOff: string | null;
  /** Spans between switch-on and switch-off when every luminaire of the street is off (extinction). */
  readonly extinctions: readonly ClockSpan[];
  readonly reason: StreetReason;
}

interface Span {
  readonly from: number;
  readonly to: number;
}

/** The spans of a plan at level 0 between its switch-on and switch-off. */
function offSpans(plan: LuminairePlan): Span[] {
  const spans: Span[] = [];
  const { transitions } = plan;
  for (let i = 0; i < transitions.length - 1; i++) {
    const t = transitions[i] as (typeof transitions)[number];
    if (t.level === 0)
      spans.push({ from: t.at, to: (transitions[i + 1] as (typeof transitions)[number]).at });
  }
  return spans;
}

/** The spans both lists cover. */
function intersect(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const x of a) {
    for (const y of b) {
      const from = Math.max(x.from, y.from);
      const to = Math.min(x.to, y.to);
      if (to > from) out.push({ from, to });
    }
  }
  return out;
}

/**
 * The night of `night` street by street, for residents: when the street lights up and goes dark,
 * when it is switched off in the middle of the night, and which calendar rule (and profile
 * description) says so. Times are wall-clock minutes of the site's zone; a street whose
 * luminaires follow different plans shows the earliest switch-on, the latest switch-off and the
 * spans when all of them are off. Streets are sorted by zone then name. The plans are bounded by
 * the cabinets (`circuits`) as the pushed ones are: a street cut at its cabinet is dark for residents too.
 */
export function streetNights(
  config: Config,
  luminaires: readonly Luminaire[],
  night: LocalDate,
  circuits: Circuits,
): StreetNight[] {
  const planner = new NightPlanner(config, night, boundsOf(luminaires));
  const rules = new NightRuleSelector(config.calendar, night);
  const overrides = new NightOverrideSelector(config.overrides, planner.window);
  const clock = ZoneClock.of(config.site.timezone);
  const hhmm = (at: number) => clock.format(at).slice(11, 16);

  const planned = planner.planAll(luminaires, circuits);
  const byStreet = new Map<string, { luminaire: Luminaire; plan: LuminairePlan }[]>();
  for (const [i, luminaire] of luminaires.entries()) {
    const key = `${luminaire.zone}\u0000${luminaire.street}`;
    const member = { luminaire, plan: planned[i] as LuminairePlan };
    const list = byStreet.get(key);
    if (list === undefined) byStreet.set(key, [member]);
    else list.push(member);
  }

  const streets: StreetNight[] = [];
  for (const members of byStreet.values()) {
    const first = (members[0] as { luminaire: Luminaire }).luminaire;
    const plans = members.map((member) => member.plan);
    const lit = plans.filter((plan) => plan.on !== null && plan.off !== null);
    const on = lit.length === 0 ? null : Math.min(...lit.map((plan) => plan.on as number));
    const off = lit.length === 0 ? null : Math.max(...lit.map((plan) => plan.off as number));
    const dark = lit.length < plans.length ? [] : plans.map(offSpans).reduce(intersect);
    const rule = rules.select(first);
    const profile = rule?.rule.profile ?? null;
    streets.push({
      zone: first.zone,
      street: first.street,
      night,
      switchOn: on === null ? null : hhmm(on),
      switchOff: off === null ? null : hhmm(off),
      extinctions: dark.map((span) => ({ from: hhmm(span.from), to: hhmm(span.to) })),
      reason: {
        rule: rule === null ? null : ruleName(rule),
        profile,
        description: profile === null ? null : (config.profiles[profile]?.description ?? null),
        temporaryChange: members.some((member) => overrides.select(member.luminaire).length > 0),
      },
    });
  }
  return streets.sort((a, b) => a.zone.localeCompare(b.zone) || a.street.localeCompare(b.street));
}
