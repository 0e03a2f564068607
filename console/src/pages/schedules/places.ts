import type { ApiClient } from '../../api/client.ts';

/** What an override may target: the zones and the streets of each, sorted, and each luminaire's zone. */
export interface Places {
  readonly streets: ReadonlyMap<string, readonly string[]>;
  readonly zoneOf: ReadonlyMap<string, string>;
}

/** The largest page GET /luminaires answers. */
const PAGE = 1000;

/**
 * The inventory's zones and streets, read page by page from GET /luminaires (only `id`, `zone` and
 * `street` are kept). A zone-limited technician reads only their zones (one listing per zone), so
 * a luminaire without a zone here is outside them.
 */
export async function loadPlaces(api: ApiClient, zones: 'all' | readonly string[]): Promise<Places> {
  const streets = new Map<string, Set<string>>();
  const zoneOf = new Map<string, string>();
  const read = async (zone: string | undefined) => {
    let after: string | undefined;
    do {
      const page = await api.get<{ items: { id: string; zone: string; street: string }[]; next?: string }>(
        '/luminaires',
        { query: { zone, limit: PAGE, after } },
      );
      for (const { id, zone: z, street } of page.items) {
        zoneOf.set(id, z);
        const set = streets.get(z) ?? new Set<string>();
        set.add(street);
        streets.set(z, set);
      }
      after = page.next;
    } while (after !== undefined);
  };
  if (zones === 'all') await read(undefined);
  else await Promise.all(zones.map((zone) => read(zone)));
  return {
    streets: new Map(
      [...streets]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([zone, set]) => [zone, [...set].sort((a, b) => a.localeCompare(b))]),
    ),
    zoneOf,
  };
}
