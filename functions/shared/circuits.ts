import { type Circuits, type ContactorNights, circuitsOf, type Luminaire } from '#schedules/index.ts';
import { hasOwnController } from '#schedules/inventory/index.ts';
import type { CabinetStore, LuminaireStore } from '../store/index.ts';

export interface CircuitSources {
  readonly cabinets: Pick<CabinetStore, 'listAll'>;
  readonly luminaires: Pick<LuminaireStore, 'listAll'>;
}

/** Connected cabinets' contactors planned already (by the nightly push); absent for a cabinet not planned. */
export type PlannedContactors = (
  cabinetIds: readonly string[],
) => Promise<ReadonlyMap<string, ContactorNights>>;

/**
 * The site's circuits, for planning some of its luminaires (`planned`: a shard, a re-push, one
 * luminaire's panel; all of them when not given) as the whole inventory is planned. Only a
 * connected cabinet's contactor depends on other luminaires, so the inventory is read only when one
 * of `planned` with its own controller is behind a connected cabinet, and then only when
 * `contactors` has not every such cabinet's contactor planned.
 */
export async function loadCircuits(
  sources: CircuitSources,
  planned?: readonly Luminaire[],
  contactors?: PlannedContactors,
): Promise<Circuits> {
  const cabinets = await sources.cabinets.listAll();
  const connected = new Set(cabinets.filter((c) => c.controller === 'connected').map((c) => c.id));
  const behind =
    planned === undefined
      ? connected
      : new Set(
          planned.flatMap((l) =>
            hasOwnController(l) && l.cabinet !== undefined && connected.has(l.cabinet) ? [l.cabinet] : [],
          ),
        );
  if (behind.size === 0) return { cabinets, nodeLess: [] };
  if (contactors !== undefined) {
    const held = await contactors([...behind]);
    if ([...behind].every((id) => held.has(id))) return { cabinets, nodeLess: [], contactors: held };
  }
  return circuitsOf(cabinets, await sources.luminaires.listAll());
}
