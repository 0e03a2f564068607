import { type PlaceSelector, selectorNameProblems } from '#schedules/index.ts';
import type { ConfigChange } from '../../store/config-changes.ts';
import type { LuminaireStore } from '../../store/index.ts';
import { type FieldError, fieldErrorAt } from '../problem.ts';

/** The place selector a change stores, and where it is in the request body. */
function selectorOf(change: ConfigChange): { selector: PlaceSelector; at: string[] } | undefined {
  if (change.kind === 'rule.put') return { selector: change.rule, at: [] };
  if (change.kind === 'override.put' && !('all' in change.override.target)) {
    return { selector: change.override.target, at: ['target'] };
  }
  return undefined;
}

/**
 * The zones and streets a stored rule or override names that no luminaire has (a typo selects
 * nothing, silently), as field errors into the request body (`/zones/1`, `/target/streets/0`).
 * Only the named zones are read (by zone, GSI), so a selector without zones has its streets
 * unchecked here: finding a street needs the whole inventory (`lighting check` does it offline).
 */
export async function unknownPlaceErrors(
  change: ConfigChange,
  luminaires: Pick<LuminaireStore, 'listZone'>,
): Promise<FieldError[]> {
  const found = selectorOf(change);
  if (found?.selector.zones === undefined) return [];
  const zones = [...new Set(found.selector.zones)];
  const inventory = (await Promise.all(zones.map((zone) => luminaires.listZone(zone)))).flat();
  return selectorNameProblems(found.selector, inventory, found.at, 'request body').map((problem) =>
    fieldErrorAt(problem.path, problem.message),
  );
}
