import { z } from 'zod';
import { type Cabinet, CabinetShape } from '#schedules/inventory/schema.ts';
import type { TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';
import { AUDITED_LIST_IMPORT_LIMIT, makePartitionList, type PartitionList } from './partition-list.ts';

/** Cabinets written with their audit entry in one transaction: a larger site imports by zone. */
export const CABINET_IMPORT_LIMIT = AUDITED_LIST_IMPORT_LIMIT;

/**
 * The cabinets of the site (AP26): one partition, as a site has tens to a few thousand. The
 * luminaire import checks the cabinets a luminaire names against it; the push plans the
 * connected ones; finance meters and bills by them.
 */
export type CabinetStore = PartitionList<Cabinet>;

/** A stored item as a cabinet: the item's keys dropped (stored cabinets have their thing name). */
const StoredCabinet = z.object({ ...CabinetShape, thingName: z.string() });

export function makeCabinetStore(location: TableRef & { site: string }): CabinetStore {
  const keys = siteKeys(location.site);
  return makePartitionList(location, 'cabinets', StoredCabinet, {
    pk: keys.cabinetsPk,
    skOf: keys.cabinetSk,
    prefix: keys.cabinetPrefix,
  });
}
