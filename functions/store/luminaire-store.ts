import { DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { LAMP_FIELDS, type Luminaire } from '#schedules/inventory/schema.ts';
import { type AuditEntry, auditItem } from './audit-store.ts';
import {
  batchGet,
  batchWrite,
  type Item,
  isTransactionConditionFailure,
  queryAll,
  queryPrefix,
  type TableRef,
} from './dynamo.ts';
import { LUMINAIRE_SHARDS, shardOf, siteKeys } from './keys.ts';
import { GSI_THING, GSI_ZONE } from './table-definitions.ts';

/** A luminaire taken out of the inventory, as it was then (AP6). */
export interface DecommissionedLuminaire {
  readonly luminaire: Luminaire;
  /** ISO 8601 instant. */
  readonly decommissionedAt: string;
  readonly decommissionedBy: string;
  readonly reason?: string;
}

/** The inventory, sharded (AP2-AP5), and the luminaires decommissioned from it (AP6). */
export interface LuminaireStore {
  /** Creates or replaces luminaires (BatchWriteItem, 25 per call, spread over the shards). */
  put(luminaires: readonly Luminaire[]): Promise<void>;
  /**
   * Creates or replaces at most AUDITED_PUT_LIMIT luminaires together with the audit entries that
   * record them, in one transaction: all or nothing.
   */
  putAudited(luminaires: readonly Luminaire[], audit: readonly AuditEntry[]): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
  /** The given luminaires that exist, in no particular order. */
  get(ids: readonly string[]): Promise<Luminaire[]>;
  listShard(shard: number): Promise<Luminaire[]>;
  /** Every luminaire: all shards read in parallel (no Scan). */
  listAll(): Promise<Luminaire[]>;
  listZone(zone: string, street?: string): Promise<Luminaire[]>;
  byThing(thingName: string): Promise<Luminaire | undefined>;
  /** Every luminaire holding one of these thing names (GSI2, eventually consistent), for an import's identity check. */
  byThings(thingNames: readonly string[]): Promise<Luminaire[]>;
  /**
   * In one transaction with its audit entry: removes the luminaire from the inventory (its item,
   * so its zone and thing entries, and its push state) and keeps it as a DECOMMISSIONED record
   * under its own partition, next to its meter, nights and alarms. 'not-active' (nothing written)
   * when the luminaire is no longer in the inventory.
   */
  decommission(record: DecommissionedLuminaire, audit: AuditEntry): Promise<'decommissioned' | 'not-active'>;
  decommissioned(id: string): Promise<DecommissionedLuminaire | undefined>;
}

/** Shards read at once by listAll: enough to hide latency, few enough not to throttle a small table. */
const SHARD_READ_CONCURRENCY = 32;

/** Items of one TransactWriteItems (DynamoDB's limit): luminaires and audit entries together. */
export const AUDITED_PUT_LIMIT = 100;

/** Thing names looked up at once by byThings (one GSI2 Query each). */
const THING_READ_CONCURRENCY = 32;

export function toLuminaire(item: Item): Luminaire {
  return {
    id: item.id as string,
    lat: item.lat as number,
    lon: item.lon as number,
    street: item.street as string,
    zone: item.zone as string,
    ledWatts: item.ledWatts as number,
    baselineWatts: item.baselineWatts as number,
    minLevel: item.minLevel as number,
    thingName: item.thingName as string,
    // The cabinet, the controller and the order's lamp data are optional: an item written without them reads back without them.
    ...Object.fromEntries(
      [...LAMP_FIELDS, 'cabinet', 'controller']
        .filter((field) => item[field] !== undefined)
        .map((field) => [field, item[field]]),
    ),
  };
}

function toDecommissioned(item: Item): DecommissionedLuminaire {
  return {
    luminaire: toLuminaire(item.luminaire as Item),
    decommissionedAt: item.decommissionedAt as string,
    decommissionedBy: item.decommissionedBy as string,
    ...(item.reason === undefined ? {} : { reason: item.reason as string }),
  };
}

export function makeLuminaireStore({ db, tableName, site }: TableRef & { site: string }): LuminaireStore {
  const keys = siteKeys(site);
  const ref = { db, tableName };
  const keyOf = (id: string) => ({ pk: keys.shardPk(shardOf(id)), sk: keys.luminaireSk(id) });
  const itemOf = (l: Luminaire): Item => ({
    ...keyOf(l.id),
    gsi1pk: keys.zonePk(l.zone),
    gsi1sk: keys.zoneSk(l.street, l.id),
    gsi2pk: keys.thingPk(l.thingName),
    gsi2sk: keys.thingSk(l.id),
    ...l,
  });

  // Strongly consistent: a chunk queued right after an import must see the luminaires just written.
  const listShard = async (shard: number) =>
    (await queryPrefix(ref, keys.shardPk(shard), keys.luminairePrefix, true)).map(toLuminaire);

  async function listAll(): Promise<Luminaire[]> {
    const shards = Array.from({ length: LUMINAIRE_SHARDS }, (_, shard) => shard);
    const lists: Luminaire[][] = [];
    for (let i = 0; i < shards.length; i += SHARD_READ_CONCURRENCY) {
      lists.push(...(await Promise.all(shards.slice(i, i + SHARD_READ_CONCURRENCY).map(listShard))));
    }
    return lists.flat();
  }

  return {
    async put(luminaires) {
      await batchWrite(
        ref,
        luminaires.map((l) => ({ PutRequest: { Item: itemOf(l) } })),
      );
    },

    async putAudited(luminaires, audit) {
      if (luminaires.length + audit.length > AUDITED_PUT_LIMIT) {
        throw new Error(`one transaction holds at most ${AUDITED_PUT_LIMIT} items`);
      }
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...luminaires.map((l) => ({ Put: { TableName: tableName, Item: itemOf(l) } })),
            ...audit.map((entry) => ({ Put: { TableName: tableName, Item: auditItem(site, entry) } })),
          ],
        }),
      );
    },

    async remove(ids) {
      await Promise.all(
        ids.map((id) => db.send(new DeleteCommand({ TableName: tableName, Key: keyOf(id) }))),
      );
    },

    async get(ids) {
      return (await batchGet(ref, [...new Set(ids)].map(keyOf))).map(toLuminaire);
    },

    listShard,

    listAll,

    async listZone(zone, street) {
      return (
        await queryAll(db, {
          TableName: tableName,
          IndexName: GSI_ZONE,
          KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': keys.zonePk(zone),
            ':prefix': keys.zoneSkPrefix(street),
          },
        })
      ).map(toLuminaire);
    },

    async byThings(thingNames) {
      const names = [...new Set(thingNames)];
      // Past one Query per shard, reading the whole inventory is fewer requests than one per name.
      if (names.length > LUMINAIRE_SHARDS) {
        const wanted = new Set(names);
        return (await listAll()).filter((l) => wanted.has(l.thingName));
      }
      const found: Luminaire[] = [];
      for (let i = 0; i < names.length; i += THING_READ_CONCURRENCY) {
        const pages = await Promise.all(
          names.slice(i, i + THING_READ_CONCURRENCY).map((name) =>
            queryAll(db, {
              TableName: tableName,
              IndexName: GSI_THING,
              KeyConditionExpression: 'gsi2pk = :pk',
              ExpressionAttributeValues: { ':pk': keys.thingPk(name) },
            }),
          ),
        );
        found.push(...pages.flat().map(toLuminaire));
      }
      return found;
    },

    async decommission(record, audit) {
      const { id } = record.luminaire;
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: { TableName: tableName, Key: keyOf(id), ConditionExpression: 'attribute_exists(pk)' },
              },
              {
                Delete: {
                  TableName: tableName,
                  Key: { pk: keys.shardPk(shardOf(id)), sk: keys.pushSk(id) },
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: { pk: keys.luminairePk(id), sk: keys.decommissionedSk, ...record },
                },
              },
              { Put: { TableName: tableName, Item: auditItem(site, audit) } },
            ],
          }),
        );
        return 'decommissioned';
      } catch (error) {
        if (isTransactionConditionFailure(error)) return 'not-active';
        throw error;
      }
    },

    async decommissioned(id) {
      const out = await db.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: keys.luminairePk(id), sk: keys.decommissionedSk },
          ConsistentRead: true,
        }),
      );
      return out.Item === undefined ? undefined : toDecommissioned(out.Item);
    },

    async byThing(thingName) {
      const out = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: GSI_THING,
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.thingPk(thingName) },
          Limit: 1,
        }),
      );
      const item = out.Items?.[0];
      return item === undefined ? undefined : toLuminaire(item);
    },
  };
}
