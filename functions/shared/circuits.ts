import { type Circuits, circuitsOf, type Luminaire } from '#schedules/index.ts';
import { hasOwnController } from '#schedules/inventory/index.ts';
import type { CabinetStore, LuminaireStore } from '../store/index.ts';

export interface CircuitSources {
  readonly cabinets: Pick<CabinetStore, 'listAll'>;
  readonly luminaires: Pick<LuminaireStore, 'listAll'>;
}

/**
 * The site's circuits, for planning some of its luminaires (`planned`: a shard, a re-push, one
 * luminaire's panel; all of them when not given) as the whole inventory is planned. Only a
 * connected cabinet's contactor depends on other luminaires, so the inventory is read only when one
 * of `planned` with its own controller is behind a connected cabinet.
 */
export async function loadCircuits(
  sources: CircuitSources,
  planned?: readonly Luminaire[],
): Promise<Circuits> {
  const cabinets = await sources.cabinets.listAll();
  const connected = new Set(cabinets.filter((c) => c.controller === 'connected').map((c) => c.id));
  const needed =
    planned === undefined
      ? connected.size > 0
      : planned.some((l) => hasOwnController(l) && l.cabinet !== undefined && connected.has(l.cabinet));
  return needed ? circuitsOf(cabinets, await sources.luminaires.listAll()) : { cabinets, nodeLess: [] };
}
