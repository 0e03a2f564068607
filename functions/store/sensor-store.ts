import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { PresenceSensor } from '#schedules/inventory/schema.ts';
import { type AuditEntry, auditItem } from './audit-store.ts';
import { batchWrite, queryPrefix, type TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/** Sensors written with their audit entry in one transaction (DynamoDB: 100 items at most). */
export const SENSOR_IMPORT_LIMIT = 99;

/**
 * The presence sensors of the site (AP19): where each one stands. Presence takes a detection's
 * position from here, by the sensor id of the topic, never from the message.
 */
export interface SensorStore {
  /** Creates or replaces sensors (BatchWriteItem, 25 per call): loading a site. */
  put(sensors: readonly PresenceSensor[]): Promise<void>;
  /** Creates or replaces up to SENSOR_IMPORT_LIMIT sensors and writes their audit entry: all or nothing. */
  importAudited(sensors: readonly PresenceSensor[], audit: AuditEntry): Promise<void>;
  /** Every sensor, by id. */
  listAll(): Promise<PresenceSensor[]>;
}

/** A stored item as a sensor: the item's keys dropped. */
const StoredSensor = z.object(PresenceSensor.shape);

export function makeSensorStore({ db, tableName, site }: TableRef & { site: string }): SensorStore {
  const keys = siteKeys(site);
  const ref = { db, tableName };
  const itemOf = (sensor: PresenceSensor) => ({
    pk: keys.sensorsPk,
    sk: keys.sensorSk(sensor.id),
    ...sensor,
  });
  return {
    async put(sensors) {
      await batchWrite(
        ref,
        sensors.map((sensor) => ({ PutRequest: { Item: itemOf(sensor) } })),
      );
    },

    async importAudited(sensors, audit) {
      if (sensors.length > SENSOR_IMPORT_LIMIT) {
        throw new RangeError(`at most ${SENSOR_IMPORT_LIMIT} sensors per import, got ${sensors.length}`);
      }
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...sensors.map((sensor) => ({ Put: { TableName: tableName, Item: itemOf(sensor) } })),
            { Put: { TableName: tableName, Item: auditItem(site, audit) } },
          ],
        }),
      );
    },

    async listAll() {
      // Strongly consistent: a listing right after an import shows what it wrote.
      return (await queryPrefix(ref, keys.sensorsPk, keys.sensorPrefix, true)).map((item) =>
        StoredSensor.parse(item),
      );
    },
  };
}
