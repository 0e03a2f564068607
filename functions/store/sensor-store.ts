import type { PresenceSensor } from '../../schedules/inventory/schema.ts';
import { batchWrite, type Item, queryPrefix, type TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/**
 * The presence sensors of the site (AP15): where each one stands. Presence takes a detection's
 * position from here, by the sensor id of the topic, never from the message.
 */
export interface SensorStore {
  /** Creates or replaces sensors (BatchWriteItem, 25 per call). */
  put(sensors: readonly PresenceSensor[]): Promise<void>;
  /** Every sensor, by id. */
  listAll(): Promise<PresenceSensor[]>;
}

function toSensor(item: Item): PresenceSensor {
  return {
    id: item.id as string,
    lat: item.lat as number,
    lon: item.lon as number,
    street: item.street as string,
    zone: item.zone as string,
  };
}

export function makeSensorStore({ db, tableName, site }: TableRef & { site: string }): SensorStore {
  const keys = siteKeys(site);
  const ref = { db, tableName };
  return {
    async put(sensors) {
      await batchWrite(
        ref,
        sensors.map((sensor) => ({
          PutRequest: { Item: { pk: keys.sensorsPk, sk: keys.sensorSk(sensor.id), ...sensor } },
        })),
      );
    },

    async listAll() {
      // Strongly consistent: a listing right after an import shows what it wrote.
      return (await queryPrefix(ref, keys.sensorsPk, 'SENSOR#', true)).map(toSensor);
    },
  };
}
