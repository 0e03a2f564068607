import { type Cabinet, type Circuits, circuitsOf, type Luminaire } from '#schedules/index.ts';
import { cachedValue } from '../../shared/ttl-cache.ts';
import type { CabinetStore, LuminaireStore } from '../../store/index.ts';

/**
 * How long an instance answers the public routes from the inventory it read: CloudFront keeps their
 * answers an hour, so a luminaire added a few minutes ago showing a little later changes nothing.
 */
export const PUBLIC_INVENTORY_SECONDS = 300;

/**
 * The inventory the public routes read, once per instance and TTL instead of once per request
 * (every shard of the table at 200,000 luminaires); a zone is filtered from it, so a query for any
 * zone name costs no read and grows no cache. The cabinets are kept as long, for the plans, and
 * the circuits built from both as long as neither is read again (a residents' timetable would
 * otherwise scan the whole inventory for the luminaires without their own controller per request).
 */
export function publicInventory(
  stores: {
    readonly luminaires: Pick<LuminaireStore, 'listAll'>;
    readonly cabinets: Pick<CabinetStore, 'listAll'>;
  },
  now: () => number,
) {
  const all = cachedValue(() => stores.luminaires.listAll(), PUBLIC_INVENTORY_SECONDS, now);
  const cabinets = cachedValue(() => stores.cabinets.listAll(), PUBLIC_INVENTORY_SECONDS, now);
  let built: { held: readonly Cabinet[]; luminaires: readonly Luminaire[]; circuits: Circuits } | undefined;
  return {
    all,
    async zone(zone: string): Promise<Luminaire[]> {
      return (await all()).filter((luminaire) => luminaire.zone === zone);
    },
    async circuits(): Promise<Circuits> {
      const [held, luminaires] = await Promise.all([cabinets(), all()]);
      if (built?.held !== held || built.luminaires !== luminaires)
        built = { held, luminaires, circuits: circuitsOf(held, luminaires) };
      return built.circuits;
    },
  };
}
