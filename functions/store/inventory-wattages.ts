import type { ReportLuminaire } from '../../schedules/report/savings.ts';
import { queryAll, type TableRef } from './dynamo.ts';
import { LUMINAIRE_SHARDS, siteKeys } from './keys.ts';

/** Shards read at once: enough to hide latency, few enough not to throttle a small table. */
const SHARD_READ_CONCURRENCY = 32;

/**
 * What the savings report needs of the inventory: each luminaire's zone, street and wattages, read
 * from the shard partitions (AP2b) with a projection, so a 10,000-luminaire city transfers a
 * quarter of the bytes of whole luminaire items.
 */
export function makeInventoryWattages({ db, tableName, site }: TableRef & { site: string }) {
  const keys = siteKeys(site);
  const readShard = async (shard: number): Promise<ReportLuminaire[]> =>
    (
      await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :lum)',
        ExpressionAttributeValues: { ':pk': keys.shardPk(shard), ':lum': keys.luminairePrefix },
        ProjectionExpression: '#zone, street, ledWatts, baselineWatts',
        ExpressionAttributeNames: { '#zone': 'zone' },
      })
    ).map((item) => ({
      zone: item.zone as string,
      street: item.street as string,
      ledWatts: item.ledWatts as number,
      baselineWatts: item.baselineWatts as number,
    }));

  return {
    async list(): Promise<ReportLuminaire[]> {
      const shards = Array.from({ length: LUMINAIRE_SHARDS }, (_, shard) => shard);
      const lists: ReportLuminaire[][] = [];
      for (let i = 0; i < shards.length; i += SHARD_READ_CONCURRENCY) {
        lists.push(...(await Promise.all(shards.slice(i, i + SHARD_READ_CONCURRENCY).map(readShard))));
      }
      return lists.flat();
    },
  };
}

export type InventoryWattages = ReturnType<typeof makeInventoryWattages>;
