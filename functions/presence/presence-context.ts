import {
  buildPresenceIndex,
  type Cabinet,
  type Config,
  circuitsOf,
  type LocalDate,
  type Luminaire,
  type LuminairePlan,
  type PresenceIndex,
  planNight,
} from '#schedules/index.ts';
import { hasOwnController } from '#schedules/inventory/index.ts';

/**
 * What a presence container keeps between detections: the configuration, the spatial index of the
 * inventory and, per night, every luminaire's plan (a boost never goes below the planned level).
 * Rebuilt whenever the configuration or the inventory it was built from is reloaded.
 */
export interface PresenceContext {
  readonly config: Config;
  readonly index: PresenceIndex<Luminaire>;
  planOf(luminaireId: string, night: LocalDate): LuminairePlan | undefined;
}

export interface PresenceSources {
  readonly config: () => Promise<Config>;
  readonly inventory: () => Promise<readonly Luminaire[]>;
  /** The cabinets, bounding the plans a boost must not go below as the pushed plans are bounded. */
  readonly cabinets: () => Promise<readonly Cabinet[]>;
  /** The night planner (the core's); a test passes a counting one. */
  readonly planNight?: typeof planNight;
}

export function makePresenceContext(sources: PresenceSources): () => Promise<PresenceContext> {
  let built:
    | {
        config: Config;
        inventory: readonly Luminaire[];
        cabinets: readonly Cabinet[];
        context: PresenceContext;
      }
    | undefined;
  return async () => {
    const [config, inventory, cabinets] = await Promise.all([
      sources.config(),
      sources.inventory(),
      sources.cabinets(),
    ]);
    if (built?.config !== config || built.inventory !== inventory || built.cabinets !== cabinets) {
      const plan = sources.planNight ?? planNight;
      built = { config, inventory, cabinets, context: buildContext(config, inventory, cabinets, plan) };
    }
    return built.context;
  };
}

/** Plans of the nights asked for; a container lives a few hours, so a handful of nights at most. */
const NIGHTS_KEPT = 3;

function buildContext(
  config: Config,
  inventory: readonly Luminaire[],
  cabinets: readonly Cabinet[],
  plan: typeof planNight,
): PresenceContext {
  const plans = new Map<LocalDate, Map<string, LuminairePlan>>();
  const circuits = circuitsOf(cabinets, inventory);
  return {
    config,
    // A luminaire without its own controller has no boost shadow: its cabinet switches it.
    index: buildPresenceIndex(inventory.filter(hasOwnController)),
    planOf(luminaireId, night) {
      let nightPlans = plans.get(night);
      if (nightPlans === undefined) {
        nightPlans = new Map(
          plan(config, inventory, night, circuits).luminaires.map((plan) => [plan.id, plan]),
        );
        plans.set(night, nightPlans);
        if (plans.size > NIGHTS_KEPT) plans.delete(plans.keys().next().value as LocalDate);
      }
      return nightPlans.get(luminaireId);
    },
  };
}
