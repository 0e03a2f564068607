import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type CurveMonth, monthOf } from '#schedules/utility/curve-months.ts';
import {
  batchWrite,
  float64Bytes,
  float64Values,
  type Item,
  queryAll,
  type TableRef,
  writeIf,
} from './dynamo.ts';
import { siteKeys } from './keys.ts';

/**
 * Which version of each delivery point's readings is committed. `rev` counts the imports committed;
 * an import switches the head from the one it read, so two imports never interleave.
 */
export interface ReadingsHead {
  readonly rev: number;
  readonly versions: Readonly<Record<string, string>>;
}

/**
 * The utility's load curves (AP32): one partition per delivery point, one item per version and UTC
 * month with the interval starts and powers as binary attributes (Float64Array bytes, little-endian
 * as every Lambda and dev machine is): a month of half-hours is 2 × 1,488 × 8 B ≈ 24 KB, far under
 * 400 KB. An import stages new versions of the points it changes, then switches the head to them
 * in one conditional write: readers see all of an import or none of it.
 */
export interface UtilityReadingsStore {
  /** The committed versions (a strongly consistent read of one item). */
  head(): Promise<ReadingsHead>;
  /**
   * The months of a point's committed version in `head` overlapping [from, to) (epoch seconds), or
   * all of them without a span, in month order.
   */
  months(
    head: ReadingsHead,
    deliveryPointId: string,
    span?: { readonly from: number; readonly to: number },
  ): Promise<CurveMonth[]>;
  /**
   * Makes `points` (every month of each point, as it must read after the import) the committed
   * readings of those points if the head is still `head`: staged as new versions, then switched in
   * one conditional write. `conflict`: another import committed since `head` was read, and nothing
   * of this one is visible. The versions replaced are then retired, not deleted: a reader that read
   * the head before the switch (a reconciliation running meanwhile) still finds every month of the
   * version it names, until the table's TTL removes them after RETIRED_SECONDS.
   */
  replace(
    head: ReadingsHead,
    points: ReadonlyMap<string, readonly CurveMonth[]>,
  ): Promise<'committed' | 'conflict'>;
}

const NO_READINGS: ReadingsHead = { rev: 0, versions: {} };

/**
 * How long a replaced version outlives its import: longer than any reader holds a head (a
 * reconciliation is one API request, at most a Lambda's 15 minutes).
 */
export const RETIRED_SECONDS = 3_600;

export function makeUtilityReadingsStore(
  location: TableRef & { site: string; now?: () => number },
): UtilityReadingsStore {
  const now = location.now ?? (() => Date.now() / 1000);
  const keys = siteKeys(location.site);
  const TableName = location.tableName;
  const headKey = { pk: keys.utilityReadingsHeadPk, sk: keys.utilityReadingsHeadSk };
  const toMonth = (item: Item): CurveMonth => ({
    deliveryPointId: item.deliveryPointId as string,
    month: item.month as string,
    intervalSeconds: item.intervalSeconds as number,
    curve: {
      starts: float64Values(item.starts as Uint8Array),
      powerW: float64Values(item.powerW as Uint8Array),
    },
  });
  const itemsOf = (head: ReadingsHead, deliveryPointId: string, span?: { from: number; to: number }) => {
    const version = head.versions[deliveryPointId];
    if (version === undefined) return Promise.resolve([]);
    const pk = keys.utilityReadingsPk(deliveryPointId);
    // Consistent: the items of a version are written before the head names it.
    return span === undefined
      ? queryAll(location.db, {
          TableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.utilityReadingsVersionPrefix(version) },
          ConsistentRead: true,
        })
      : queryAll(location.db, {
          TableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': pk,
            ':from': keys.utilityReadingsSk(version, monthOf(span.from)),
            ':to': keys.utilityReadingsSk(version, monthOf(span.to - 1)),
          },
          ConsistentRead: true,
        });
  };
  const keyOf = (deliveryPointId: string, version: string, month: string) => ({
    pk: keys.utilityReadingsPk(deliveryPointId),
    sk: keys.utilityReadingsSk(version, month),
  });

  return {
    async head() {
      const out = await location.db.send(new GetCommand({ TableName, Key: headKey, ConsistentRead: true }));
      if (out.Item === undefined) return NO_READINGS;
      return { rev: out.Item.rev as number, versions: out.Item.versions as Record<string, string> };
    },

    async months(head, deliveryPointId, span) {
      return (await itemsOf(head, deliveryPointId, span)).map(toMonth);
    },

    async replace(head, points) {
      const rev = head.rev + 1;
      // Unique per import: two imports staging from the same head never write the same items.
      const version = `${rev}-${randomUUID()}`;
      const replaced = await Promise.all([...points.keys()].map((point) => itemsOf(head, point)));
      await batchWrite(
        location,
        [...points.values()].flat().map((m) => ({
          PutRequest: {
            Item: {
              ...keyOf(m.deliveryPointId, version, m.month),
              deliveryPointId: m.deliveryPointId,
              month: m.month,
              intervalSeconds: m.intervalSeconds,
              starts: float64Bytes(m.curve.starts),
              powerW: float64Bytes(m.curve.powerW),
            },
          },
        })),
      );
      const versions = { ...head.versions };
      for (const point of points.keys()) versions[point] = version;
      const switched = await writeIf(
        location.db.send(
          new PutCommand({
            TableName,
            Item: { ...headKey, rev, versions },
            ...(head.rev === 0
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#rev = :rev',
                  ExpressionAttributeNames: { '#rev': 'rev' },
                  ExpressionAttributeValues: { ':rev': head.rev },
                }),
          }),
        ),
      );
      if (!switched) {
        // The losing import's staged items: no head ever named them, no reader can be reading them.
        await batchWrite(
          location,
          [...points.values()]
            .flat()
            .map((m) => ({ DeleteRequest: { Key: keyOf(m.deliveryPointId, version, m.month) } })),
        );
        return 'conflict';
      }
      // The replaced ones: a head read before the switch still names them, so they expire instead.
      const expiresAt = Math.ceil(now()) + RETIRED_SECONDS;
      await batchWrite(
        location,
        replaced.flat().map((item) => ({ PutRequest: { Item: { ...item, expiresAt } } })),
      );
      return 'committed';
    },
  };
}
