import { z } from 'zod';
import { PresenceSensor } from '#schedules/inventory/schema.ts';
import type { TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';
import { AUDITED_LIST_IMPORT_LIMIT, makePartitionList, type PartitionList } from './partition-list.ts';

/** Sensors written with their audit entry in one transaction (DynamoDB: 100 items at most). */
export const SENSOR_IMPORT_LIMIT = AUDITED_LIST_IMPORT_LIMIT;

/**
 * The presence sensors of the site (AP19): where each one stands. Presence takes a detection's
 * position from here, by the sensor id of the topic, never from the message.
 */
export type SensorStore = PartitionList<PresenceSensor>;

/** A stored item as a sensor: the item's keys dropped. */
const StoredSensor = z.object(PresenceSensor.shape);

export function makeSensorStore(location: TableRef & { site: string }): SensorStore {
  const keys = siteKeys(location.site);
  return makePartitionList(location, 'sensors', StoredSensor, {
    pk: keys.sensorsPk,
    skOf: keys.sensorSk,
    prefix: keys.sensorPrefix,
  });
}
