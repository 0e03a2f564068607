import {
  type Circuits,
  type Config,
  type LocalDate,
  type Luminaire,
  type LuminairePlan,
  planNight,
  ZoneClock,
} from '#schedules/index.ts';

/** A luminaire's plan for one night, with instants in the site's local time. */
export interface PlanView {
  readonly profile: string | null;
  readonly on: string | null;
  readonly off: string | null;
  readonly transitions: readonly { readonly at: string; readonly level: number }[];
  readonly energyWh: number;
}

export interface PlanDiff {
  readonly id: string;
  readonly zone: string;
  readonly street: string;
  /** null: the luminaire does not exist before (import) or after the change. */
  readonly before: PlanView | null;
  readonly after: PlanView | null;
}

export interface Preview {
  readonly night: LocalDate;
  /** Luminaires the change can reach (re-planned and pushed when it is stored). */
  readonly affected: number;
  /** Of those, luminaires whose plan for the night differs. */
  readonly changed: number;
  /** The differing plans, at most MAX_LISTED of them. */
  readonly luminaires: readonly PlanDiff[];
  readonly truncated: boolean;
}

/** Enough for a technician to review; the counts tell the whole size. */
const MAX_LISTED = 200;

export function planView(plan: LuminairePlan, clock: ZoneClock): PlanView {
  return {
    profile: plan.profile,
    on: plan.on === null ? null : clock.format(plan.on),
    off: plan.off === null ? null : clock.format(plan.off),
    transitions: plan.transitions.map((t) => ({ at: clock.format(t.at), level: t.level })),
    energyWh: Math.round(plan.energyWh * 10) / 10,
  };
}

const samePlan = (a: LuminairePlan | undefined, b: LuminairePlan | undefined): boolean =>
  a !== undefined &&
  b !== undefined &&
  a.transitions.length === b.transitions.length &&
  a.transitions.every((t, i) => t.at === b.transitions[i]?.at && t.level === b.transitions[i]?.level);

/** One side of a change: the configuration, the luminaires it reaches and what bounds their plans. */
export interface PreviewSide {
  readonly config: Config;
  readonly luminaires: readonly Luminaire[];
  readonly circuits: Circuits;
}

/**
 * The plans of one night before and after a change, for the luminaires it reaches: what a dry run
 * shows and what the technician approves. Pure: nothing is stored or pushed.
 */
export function previewChange(before: PreviewSide, after: PreviewSide, night: LocalDate): Preview {
  const plansOf = (side: PreviewSide) =>
    new Map(
      planNight(side.config, side.luminaires, night, side.circuits).luminaires.map((plan) => [plan.id, plan]),
    );
  const [plansBefore, plansAfter] = [plansOf(before), plansOf(after)];
  const placed = new Map([...before.luminaires, ...after.luminaires].map((l) => [l.id, l]));
  const clockBefore = ZoneClock.of(before.config.site.timezone);
  const clockAfter = ZoneClock.of(after.config.site.timezone);
  const diffs: PlanDiff[] = [];
  for (const [id, luminaire] of [...placed].sort(([a], [b]) => a.localeCompare(b))) {
    const [planBefore, planAfter] = [plansBefore.get(id), plansAfter.get(id)];
    if (samePlan(planBefore, planAfter)) continue;
    diffs.push({
      id,
      zone: luminaire.zone,
      street: luminaire.street,
      before: planBefore === undefined ? null : planView(planBefore, clockBefore),
      after: planAfter === undefined ? null : planView(planAfter, clockAfter),
    });
  }
  return {
    night,
    affected: placed.size,
    changed: diffs.length,
    luminaires: diffs.slice(0, MAX_LISTED),
    truncated: diffs.length > MAX_LISTED,
  };
}
