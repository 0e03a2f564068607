import type { Luminaire } from '../inventory/schema.ts';
import { jsonPath, type Problem } from '../problem.ts';
import type { Config } from './schema.ts';

/** What a rule or an override names to select luminaires by place. */
export interface PlaceSelector {
  readonly zones?: readonly string[] | undefined;
  readonly streets?: readonly string[] | undefined;
}

/** Names shown in a message before "…": enough to spot the intended one, bounded for a large site. */
const SHOWN_NAMES = 10;

const known = (names: ReadonlySet<string>): string => {
  const sorted = [...names].sort();
  const shown = sorted.slice(0, SHOWN_NAMES).join(', ');
  return sorted.length > SHOWN_NAMES ? `${shown}, …` : shown || 'none';
};

/**
 * The zones and streets a selector names that no luminaire of `inventory` has: a typo would make
 * the rule or override select nothing, silently. Streets are checked against the luminaires of the
 * named zones when zones are given (every list must match, so a street outside them selects
 * nothing either), else against the whole inventory. Paths start at `at` (`calendar[2]`).
 */
export function selectorNameProblems(
  selector: PlaceSelector,
  inventory: readonly Pick<Luminaire, 'zone' | 'street'>[],
  at: readonly PropertyKey[],
  source: string,
): Problem[] {
  const zones = new Set(inventory.map((luminaire) => luminaire.zone));
  const inZones =
    selector.zones === undefined ? inventory : inventory.filter((l) => selector.zones?.includes(l.zone));
  const streets = new Set(inZones.map((luminaire) => luminaire.street));
  const where = selector.zones === undefined ? '' : ` in zones ${selector.zones.join(', ')}`;
  return [
    ...(selector.zones ?? []).flatMap((zone, i) =>
      zones.has(zone) ? [] : [unknownZone(zone, [...at, 'zones', i], source)],
    ),
    ...(selector.streets ?? []).flatMap((street, i) =>
      streets.has(street)
        ? []
        : [
            {
              source,
              path: jsonPath([...at, 'streets', i]),
              message: `unknown street "${street}": no luminaire${where} is on it (streets: ${known(streets)})`,
            },
          ],
    ),
  ];
}

const unknownZone = (zone: string, path: readonly PropertyKey[], source: string): Problem => ({
  source,
  path: jsonPath(path),
  message: `unknown zone "${zone}": no luminaire is in it`,
});

/** The luminaire ids a selector names that the inventory does not have. */
function luminaireIdProblems(
  ids: readonly string[] | undefined,
  known: ReadonlySet<string>,
  at: readonly PropertyKey[],
  source: string,
): Problem[] {
  return (ids ?? []).flatMap((id, i) =>
    known.has(id)
      ? []
      : [{ source, path: jsonPath([...at, 'luminaires', i]), message: `unknown luminaire "${id}"` }],
  );
}

/**
 * Every zone, street and luminaire id of the config's calendar rules and overrides that selects no
 * luminaire of the inventory (see selectorNameProblems), located in the config:
 * `calendar[1].zones[0]`, `overrides[0].target.streets[2]`, `calendar[3].luminaires[0]`; and every
 * zone of `site.zones` no luminaire is in (`site.zones.citee`).
 */
export function inventoryNameProblems(
  config: Pick<Config, 'calendar' | 'overrides' | 'site'>,
  inventory: readonly Pick<Luminaire, 'id' | 'zone' | 'street'>[],
  source: string,
): Problem[] {
  const ids = new Set(inventory.map((luminaire) => luminaire.id));
  const check = (
    selector: PlaceSelector & { readonly luminaires?: readonly string[] | undefined },
    at: readonly PropertyKey[],
  ) => [
    ...selectorNameProblems(selector, inventory, at, source),
    ...luminaireIdProblems(selector.luminaires, ids, at, source),
  ];
  const zones = new Set(inventory.map((luminaire) => luminaire.zone));
  return [
    ...Object.keys(config.site.zones ?? {}).flatMap((zone) =>
      zones.has(zone) ? [] : [unknownZone(zone, ['site', 'zones', zone], source)],
    ),
    ...config.calendar.flatMap((rule, i) => check(rule, ['calendar', i])),
    ...config.overrides.flatMap((override, i) =>
      'all' in override.target ? [] : check(override.target, ['overrides', i, 'target']),
    ),
  ];
}
