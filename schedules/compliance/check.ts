import { sunTimesForNight } from '../astro/sun-times.ts';
import type { Config, LocalDate, ZoneFacts } from '../config/schema.ts';
import { type Luminaire, USAGES } from '../inventory/schema.ts';
import { type Circuits, planNight } from '../plan/plan-night.ts';
import type { LuminairePlan } from '../plan/types.ts';
import { minutesOfDay } from '../time/local-date.ts';
import { type NightWindow, nightWindow, wallClockInNight } from '../time/night.ts';
import { ZoneClock } from '../time/zone-clock.ts';
import {
  COMPLIANCE_RULES,
  type ColourTemperatureRule,
  type ComplianceRule,
  type FluxDensityRule,
  type OffByRule,
  type OnAfterSunsetRule,
  type RuleId,
  type UpwardLightRule,
} from './rules.ts';

/**
 * A rule broken, or one that could not be checked, for one luminaire or one zone. Compliant and
 * not-applicable outcomes are only counted (see ComplianceReport.rules).
 */
export interface ComplianceFinding {
  readonly rule: RuleId;
  readonly article: string;
  readonly status: 'broken' | 'not-checkable';
  readonly zone: string;
  /** Absent for a finding about a whole zone. */
  readonly luminaire?: string;
  /** English: what is wrong, or why it cannot be checked. */
  readonly detail: string;
  /** English: what to change (broken rules). */
  readonly change?: string;
  /** The data the check needs and does not have (not-checkable), e.g. `colourTemperatureK`. */
  readonly missing?: readonly string[];
  /** The figures behind the finding, for a reader that words it itself (the console). */
  readonly values?: Readonly<Record<string, string | number>>;
}

export interface RuleTally {
  readonly id: RuleId;
  readonly article: string;
  readonly summary: string;
  readonly verified: boolean;
  readonly broken: number;
  readonly notCheckable: number;
  readonly compliant: number;
  readonly notApplicable: number;
}

export interface ComplianceReport {
  readonly night: LocalDate;
  readonly rules: readonly RuleTally[];
  /** Luminaire findings in inventory order, then zone findings by zone name. */
  readonly findings: readonly ComplianceFinding[];
}

type Outcome =
  | { readonly status: 'compliant' | 'not-applicable' }
  | Omit<ComplianceFinding, 'rule' | 'article' | 'zone' | 'luminaire'>;

/** Planned times a few seconds early are the sun field's interpolation, not a broken rule. */
const TOLERANCE_SECONDS = 60;

interface LuminaireContext {
  readonly luminaire: Luminaire;
  readonly plan: LuminairePlan;
  readonly facts: ZoneFacts | undefined;
  readonly night: LocalDate;
  readonly window: NightWindow;
  readonly clock: ZoneClock;
}

/**
 * Checks the rules of the light-nuisance order against the inventory, the zones' facts and the
 * plan of one night (bounded by `circuits`: what the luminaires do, not what their profiles ask). A rule whose data is missing is "not checkable", naming that data, never
 * compliant.
 */
export function checkCompliance(
  config: Config,
  luminaires: readonly Luminaire[],
  night: LocalDate,
  circuits: Circuits,
  rules: readonly ComplianceRule[] = COMPLIANCE_RULES,
): ComplianceReport {
  const clock = ZoneClock.of(config.site.timezone);
  const window = nightWindow(clock, night);
  const plans = planNight(config, luminaires, night, circuits).luminaires;
  const tallies = new Map(
    rules.map((rule) => [rule.id, { broken: 0, notCheckable: 0, compliant: 0, notApplicable: 0 }]),
  );
  const count = (rule: ComplianceRule, status: Outcome['status']) => {
    const tally = tallies.get(rule.id);
    if (tally === undefined) return;
    if (status === 'broken') tally.broken++;
    else if (status === 'not-checkable') tally.notCheckable++;
    else if (status === 'compliant') tally.compliant++;
    else tally.notApplicable++;
  };
  const findings: ComplianceFinding[] = [];
  luminaires.forEach((luminaire, i) => {
    const plan = plans[i] as LuminairePlan;
    const facts = config.site.zones?.[luminaire.zone];
    const context: LuminaireContext = { luminaire, plan, facts, night, window, clock };
    for (const rule of rules) {
      if (rule.kind === 'flux-density') continue;
      const outcome = checkLuminaire(rule, context);
      count(rule, outcome.status);
      if (outcome.status === 'broken' || outcome.status === 'not-checkable') {
        findings.push({
          rule: rule.id,
          article: rule.article,
          zone: luminaire.zone,
          luminaire: luminaire.id,
          ...outcome,
        } as ComplianceFinding);
      }
    }
  });
  const zones = [...new Set(luminaires.map((l) => l.zone))].sort();
  for (const rule of rules) {
    if (rule.kind !== 'flux-density') continue;
    for (const zone of zones) {
      const outcome = fluxDensity(rule, zone, luminaires, config.site.zones?.[zone]);
      count(rule, outcome.status);
      if (outcome.status === 'not-checkable') {
        findings.push({ rule: rule.id, article: rule.article, zone, ...outcome } as ComplianceFinding);
      }
    }
  }
  return {
    night,
    rules: rules.map((rule) => ({
      id: rule.id,
      article: rule.article,
      summary: rule.summary,
      verified: rule.verified,
      ...(tallies.get(rule.id) as {
        broken: number;
        notCheckable: number;
        compliant: number;
        notApplicable: number;
      }),
    })),
    findings,
  };
}

function checkLuminaire(rule: Exclude<ComplianceRule, FluxDensityRule>, context: LuminaireContext): Outcome {
  const { usage } = context.luminaire;
  // The "boules" deadline holds for every category, so it does not need the usage.
  const needsUsage = rule.usages.length < USAGES.length;
  if (needsUsage && usage === undefined) {
    return notCheckable(['usage'], 'the category of the order (usage a-g) is not in the inventory');
  }
  if (usage !== undefined && !rule.usages.includes(usage)) return { status: 'not-applicable' };
  switch (rule.kind) {
    case 'max-colour-temperature':
      return colourTemperature(rule, context.luminaire);
    case 'max-upward-light':
      return upwardLight(rule, context.luminaire, context.night);
    case 'on-after-sunset':
      return onAfterSunset(rule, context);
    case 'off-by':
      return offBy(rule, context);
  }
}

function notCheckable(missing: readonly string[], detail: string): Outcome {
  return { status: 'not-checkable', missing, detail };
}

/**
 * A limit on a luminaire's own figure, for installations from a date: a figure within it complies
 * whatever the date; one beyond it breaks the rule only when the installation date says the rule
 * holds for it, and is not checkable when that date is unknown.
 */
function limitOutcome(
  luminaire: Luminaire,
  installedFrom: LocalDate | undefined,
  field: 'colourTemperatureK' | 'upwardLightRatioPercent',
  within: (value: number) => boolean,
  broken: (value: number) => Outcome,
): Outcome {
  const value = luminaire[field];
  const { installedOn } = luminaire;
  if (installedFrom !== undefined && installedOn !== undefined && installedOn < installedFrom) {
    return { status: 'not-applicable' };
  }
  const dateUnknown = installedFrom !== undefined && installedOn === undefined;
  if (value === undefined) {
    return notCheckable([field, ...(dateUnknown ? ['installedOn'] : [])], `needs ${field}`);
  }
  if (within(value)) return { status: 'compliant' };
  if (dateUnknown) {
    return notCheckable(
      ['installedOn'],
      `${field} ${value} is beyond the limit for installations since ${installedFrom}`,
    );
  }
  return broken(value);
}

function colourTemperature(rule: ColourTemperatureRule, luminaire: Luminaire): Outcome {
  return limitOutcome(
    luminaire,
    rule.installedFrom,
    'colourTemperatureK',
    (k) => k <= rule.maxK,
    (k) => ({
      status: 'broken',
      detail: `colour temperature ${k} K, above ${rule.maxK} K`,
      change: `fit a source of ${rule.maxK} K or less (2700 K or warmer near sensitive areas)`,
      values: { colourTemperatureK: k, maxK: rule.maxK },
    }),
  );
}

function upwardLight(rule: UpwardLightRule, luminaire: Luminaire, night: LocalDate): Outcome {
  if (rule.nightsFrom !== undefined && night < rule.nightsFrom) return { status: 'not-applicable' };
  return limitOutcome(
    luminaire,
    rule.installedFrom,
    'upwardLightRatioPercent',
    (ratio) => ratio < rule.belowPercent,
    (ratio) => ({
      status: 'broken',
      detail: `upward light ratio ${ratio} % as installed, not below ${rule.belowPercent} %`,
      change:
        rule.belowPercent >= 50
          ? 'replace the luminaire by one sending no light above the horizontal'
          : 'level the luminaire (no tilt) or replace it by a full cut-off one',
      values: { upwardLightRatioPercent: ratio, belowPercent: rule.belowPercent },
    }),
  );
}

const hhmm = (clock: ZoneClock, at: number): string => clock.format(at).slice(11, 16);

function onAfterSunset(_rule: OnAfterSunsetRule, context: LuminaireContext): Outcome {
  const { plan, luminaire, window, clock } = context;
  if (plan.on === null) return { status: 'compliant' };
  const sunset = sunTimesForNight(luminaire.lat, luminaire.lon, window).sunset;
  if (plan.on >= sunset - TOLERANCE_SECONDS) return { status: 'compliant' };
  const early = Math.round((sunset - plan.on) / 60);
  return {
    status: 'broken',
    detail: `switched on at ${hhmm(clock, plan.on)}, ${early} min before sunset (${hhmm(clock, sunset)})`,
    change: `switch on at sunset or later (profile ${plan.profile ?? '?'}: "on" at sunset with an offset ≥ 0)`,
    values: { on: hhmm(clock, plan.on), sunset: hhmm(clock, sunset), minutesEarly: early },
  };
}

function offBy(rule: OffByRule, context: LuminaireContext): Outcome {
  const { plan, facts, luminaire, night, clock } = context;
  const closesAt = facts?.closesAt;
  if (closesAt === undefined && rule.latest === null) {
    return notCheckable(
      [`site.zones.${luminaire.zone}.closesAt`],
      'needs the time the activity of the zone ends (site.zones closesAt)',
    );
  }
  if (plan.off === null) return { status: 'compliant' };
  const minutes =
    closesAt === undefined
      ? minutesOfDay(rule.latest as string)
      : (minutesOfDay(closesAt) + rule.minutesAfterClosing) % 1440;
  const deadline = wallClockInNight(clock, night, minutes);
  const litFrom = firstLitAfter(plan, deadline + TOLERANCE_SECONDS);
  if (litFrom === null) return { status: 'compliant' };
  const by = hhmm(clock, deadline);
  const why =
    closesAt === undefined
      ? `${by} at the latest`
      : `${by}, ${rule.minutesAfterClosing / 60} h after closing at ${closesAt}`;
  const from = hhmm(clock, Math.max(litFrom, deadline));
  const until = hhmm(clock, plan.off);
  return {
    status: 'broken',
    detail: `lit from ${from} to ${until}, to be off by ${why}`,
    change: `switch off by ${by} and stay off until sunrise (profile ${plan.profile ?? '?'}: a step to level 0 at ${by}, no level above 0 after it)`,
    values: { from, off: until, deadline: by },
  };
}

/** The start of the first lit stretch that lasts past `after`, or null when the luminaire is dark from then on. */
function firstLitAfter(plan: LuminairePlan, after: number): number | null {
  const { transitions } = plan;
  for (let i = 0; i < transitions.length - 1; i++) {
    const from = transitions[i];
    const to = transitions[i + 1];
    if (from !== undefined && to !== undefined && from.level > 0 && to.at > after) return from.at;
  }
  return null;
}

function fluxDensity(
  rule: FluxDensityRule,
  zone: string,
  luminaires: readonly Luminaire[],
  facts: ZoneFacts | undefined,
): Outcome {
  const concerned = luminaires.some(
    (l) => l.zone === zone && (l.usage === undefined || rule.usages.includes(l.usage)),
  );
  if (!concerned) return { status: 'not-applicable' };
  return notCheckable(
    [
      'lit surface area (m²) of the zone: not held by the inventory',
      ...(facts === undefined ? [`site.zones.${zone}.inBuiltUpArea`] : []),
    ],
    "the limit is per lit surface; the zone's surface is not known",
  );
}
