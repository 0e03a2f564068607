import type { PresenceSensor } from '#schedules/inventory/schema.ts';

/** A sensor of the inventory by id, or undefined for a sensor the site does not know. */
export type SensorLookup = (id: string) => Promise<PresenceSensor | undefined>;

/**
 * Looks sensors up in the list `sensors` gives (cached by the caller), indexed by id once per list
 * loaded. A sensor imported since the list was loaded is unknown until the next reload.
 */
export function makeSensorLookup(sensors: () => Promise<readonly PresenceSensor[]>): SensorLookup {
  let indexed: { list: readonly PresenceSensor[]; byId: ReadonlyMap<string, PresenceSensor> } | undefined;
  return async (id) => {
    const list = await sensors();
    if (indexed?.list !== list) indexed = { list, byId: new Map(list.map((sensor) => [sensor.id, sensor])) };
    return indexed.byId.get(id);
  };
}
