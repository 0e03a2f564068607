import { isZoneLimited, type Principal, zonesOutsideLimit } from '#protocol/principal.ts';
import {
  type CalendarRule,
  type Config,
  type Luminaire,
  type Override,
  overrideTargets,
  ruleSelectsLuminaire,
} from '#schedules/index.ts';
import type { ConfigChange } from '../../store/config-changes.ts';
import type { LuminaireStore } from '../../store/index.ts';

/**
 * What a rule or an override can reach: its selectors (all given ones must match). No selector at
 * all means every luminaire of the site.
 */
export interface Reach {
  readonly zones?: readonly string[] | undefined;
  readonly streets?: readonly string[] | undefined;
  readonly luminaires?: readonly string[] | undefined;
  readonly matches: (luminaire: Luminaire) => boolean;
}

const ruleReach = (rule: CalendarRule): Reach => ({
  zones: rule.zones,
  streets: rule.streets,
  luminaires: rule.luminaires,
  matches: (luminaire) => ruleSelectsLuminaire(rule, luminaire),
});

const overrideReach = (override: Override): Reach => ({
  ...('all' in override.target ? {} : override.target),
  matches: (luminaire) => overrideTargets(override, luminaire),
});

/**
 * Everything a change can affect, in the configuration before and after it: a profile reaches
 * wherever a rule uses it; a rule or an override reaches what its old and new selectors select;
 * the site settings reach every luminaire when they change the plan's length.
 */
export function reachOfChange(before: Config, after: Config, change: ConfigChange): Reach[] {
  switch (change.kind) {
    case 'profile.put':
    case 'profile.delete':
      return [...before.calendar, ...after.calendar].filter((r) => r.profile === change.name).map(ruleReach);
    case 'rule.put':
    case 'rule.delete': {
      const id = change.kind === 'rule.put' ? change.rule.id : change.id;
      return [...before.calendar, ...after.calendar].filter((r) => r.id === id).map(ruleReach);
    }
    case 'override.put':
    case 'override.end':
    case 'override.delete': {
      const id = change.kind === 'override.delete' ? change.id : change.override.id;
      return [...before.overrides, ...after.overrides].filter((o) => o.id === id).map(overrideReach);
    }
    case 'settings.put':
      // The pushed plan covers planNights nights; the other settings feed reports and presence only.
      return before.planNights === after.planNights ? [] : [{ matches: () => true }];
  }
}

/**
 * The luminaires the reaches select, read with the narrowest access pattern: by zone (GSI), by id,
 * or, for a street-only or site-wide reach, the whole inventory.
 */
export async function luminairesReached(
  reaches: readonly Reach[],
  store: LuminaireStore,
): Promise<Luminaire[]> {
  if (reaches.length === 0) return [];
  let candidates: Luminaire[];
  if (reaches.some((reach) => reach.zones === undefined && reach.luminaires === undefined)) {
    candidates = await store.listAll();
  } else {
    const zones = new Set(reaches.flatMap((reach) => reach.zones ?? []));
    const ids = reaches
      .filter((reach) => reach.zones === undefined)
      .flatMap((reach) => reach.luminaires ?? []);
    const lists = await Promise.all([
      ...[...zones].map((zone) => store.listZone(zone)),
      ...(ids.length === 0 ? [] : [store.get(ids)]),
    ]);
    candidates = lists.flat();
  }
  const reached = new Map<string, Luminaire>();
  for (const luminaire of candidates) {
    if (reaches.some((reach) => reach.matches(luminaire))) reached.set(luminaire.id, luminaire);
  }
  return [...reached.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Why a zone-limited technician may not make this change (empty when they may): every luminaire it
 * reaches must be in their zones, and so must every zone a rule or override names. A rule that
 * selects no zone (only streets, or everything) reaches every zone, present and future.
 */
export function zoneRefusals(
  principal: Principal,
  reaches: readonly Reach[],
  reached: readonly Luminaire[],
): string[] {
  if (!isZoneLimited(principal)) return [];
  const refusals: string[] = [];
  const outside = zonesOutsideLimit(principal, [
    ...reached.map((luminaire) => luminaire.zone),
    ...reaches.flatMap((reach) => reach.zones ?? []),
  ]);
  if (outside.length > 0) refusals.push(`it reaches zones outside yours: ${outside.join(', ')}`);
  if (reaches.some((reach) => reach.zones === undefined && reach.luminaires === undefined)) {
    refusals.push('it selects no zone, so it reaches every zone; name your zones in it');
  }
  return refusals;
}
