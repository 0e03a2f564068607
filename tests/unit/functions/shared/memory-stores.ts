import type {
  ConfigStore,
  LuminaireStore,
  PushState,
  PushStateStore,
} from '../../../../functions/store/index.ts';
import { shardOf } from '../../../../functions/store/index.ts';
import type { Config, Luminaire } from '../../../../schedules/index.ts';

/** In-memory ports with the same contracts as the DynamoDB adapters, for handler unit tests. */
export function memoryConfigStore(config: Config): Pick<ConfigStore, 'load'> {
  return { load: async () => config };
}

export function memoryLuminaireStore(luminaires: readonly Luminaire[]): LuminaireStore {
  const byId = new Map(luminaires.map((l) => [l.id, l]));
  return {
    put: async (list) => {
      for (const l of list) byId.set(l.id, l);
    },
    remove: async (ids) => {
      for (const id of ids) byId.delete(id);
    },
    get: async (ids) => ids.flatMap((id) => byId.get(id) ?? []),
    listShard: async (shard) => [...byId.values()].filter((l) => shardOf(l.id) === shard),
    listAll: async () => [...byId.values()],
    listZone: async (zone, street) =>
      [...byId.values()].filter((l) => l.zone === zone && (street === undefined || l.street === street)),
    byThing: async (thing) => [...byId.values()].find((l) => l.thingName === thing),
  };
}

export function memoryPushStateStore(): PushStateStore & { readonly states: Map<string, PushState> } {
  const states = new Map<string, PushState>();
  return {
    states,
    forShard: async (shard) => new Map([...states].filter(([id]) => shardOf(id) === shard)),
    get: async (ids) => new Map([...states].filter(([id]) => ids.includes(id))),
    record: async (state) => {
      if (states.get(state.id)?.hash === state.hash) return 'already-recorded';
      states.set(state.id, state);
      return 'recorded';
    },
  };
}
