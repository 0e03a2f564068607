import type { Luminaire } from '../inventory/schema.ts';
import type { Problem } from '../problem.ts';
import type { Config } from './schema.ts';

interface Selector {
  readonly zones?: readonly string[] | undefined;
  readonly streets?: readonly string[] | undefined;
  readonly luminaires?: readonly string[] | undefined;
}

/**
 * Zone, street and luminaire names that rules and overrides select but no luminaire of the
 * inventory has: a typo in a name selects nothing, silently, so it is reported where it is written.
 */
export function inventoryNameProblems(
  config: Config,
  inventory: readonly Luminaire[],
  source: string,
): Problem[] {
  const known = {
    zones: new Set(inventory.map((l) => l.zone)),
    streets: new Set(inventory.map((l) => l.street)),
    luminaires: new Set(inventory.map((l) => l.id)),
  };
  const what = { zones: 'zone', streets: 'street', luminaires: 'luminaire id' } as const;
  const check = (selector: Selector, at: string): Problem[] =>
    (['zones', 'streets', 'luminaires'] as const).flatMap((list) =>
      (selector[list] ?? []).flatMap((name, i) =>
        known[list].has(name)
          ? []
          : [
              {
                source,
                path: `${at}.${list}[${i}]`,
                message: `no luminaire of the inventory has ${what[list]} ${JSON.stringify(name)}`,
              },
            ],
      ),
    );
  return [
    ...config.calendar.flatMap((rule, i) => check(rule, `calendar[${i}]`)),
    ...config.overrides.flatMap((override, i) =>
      'all' in override.target ? [] : check(override.target, `overrides[${i}].target`),
    ),
  ];
}
