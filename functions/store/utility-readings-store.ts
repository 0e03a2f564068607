import { type CurveMonth, monthOf } from '#schedules/utility/curve-months.ts';
import { batchWrite, float64Bytes, float64Values, type Item, queryAll, type TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/**
 * The utility's load curves (AP32): one partition per delivery point, one item per UTC month with
 * the interval starts and powers as binary attributes (Float64Array bytes, little-endian as every
 * Lambda and dev machine is): a month of half-hours is 2 × 1,488 × 8 B ≈ 24 KB, far under 400 KB.
 */
export interface UtilityReadingsStore {
  /** The stored months of a point overlapping [from, to) (epoch seconds), in month order. */
  months(deliveryPointId: string, from: number, to: number): Promise<CurveMonth[]>;
  /** Writes each month whole (Put): writing the same months again leaves the same items. */
  put(months: readonly CurveMonth[]): Promise<void>;
}

export function makeUtilityReadingsStore(location: TableRef & { site: string }): UtilityReadingsStore {
  const keys = siteKeys(location.site);
  const toMonth = (item: Item): CurveMonth => ({
    deliveryPointId: item.deliveryPointId as string,
    month: item.month as string,
    intervalSeconds: item.intervalSeconds as number,
    curve: {
      starts: float64Values(item.starts as Uint8Array),
      powerW: float64Values(item.powerW as Uint8Array),
    },
  });
  return {
    async months(deliveryPointId, from, to) {
      // Consistent: an import merges into what the previous import wrote.
      const items = await queryAll(location.db, {
        TableName: location.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.utilityReadingsPk(deliveryPointId),
          ':from': keys.utilityReadingsSk(monthOf(from)),
          ':to': keys.utilityReadingsSk(monthOf(to - 1)),
        },
        ConsistentRead: true,
      });
      return items.map(toMonth);
    },

    async put(months) {
      await batchWrite(
        location,
        months.map((m) => ({
          PutRequest: {
            Item: {
              pk: keys.utilityReadingsPk(m.deliveryPointId),
              sk: keys.utilityReadingsSk(m.month),
              deliveryPointId: m.deliveryPointId,
              month: m.month,
              intervalSeconds: m.intervalSeconds,
              starts: float64Bytes(m.curve.starts),
              powerW: float64Bytes(m.curve.powerW),
            },
          },
        })),
      );
    },
  };
}
