import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll, type TableRef, writeIf } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/** How far the backfill went: the next inventory shard to walk, or done. */
export type BackfillProgress = { readonly nextShard: number } | { readonly doneAt: string };

/**
 * Alarms raised before AP31 have no GSI2 keys, so the report's alarms of a period (`openDuring`)
 * miss them. The backfill sets the keys a luminaire at a time, and records how far it went (AP35).
 */
export interface AlarmIndexBackfillStore {
  progress(): Promise<BackfillProgress>;
  /** Records `next`, unless a run got further meanwhile (progress never goes back). */
  saveProgress(next: BackfillProgress): Promise<void>;
  /**
   * Sets the AP31 keys on the luminaire's alarm items that have none, each from its own opening;
   * answers how many it set. An item opened again or gone meanwhile is left as it is.
   */
  backfillLuminaire(luminaireId: string): Promise<number>;
}

export function makeAlarmIndexBackfillStore({
  db,
  tableName,
  site,
}: TableRef & { site: string }): AlarmIndexBackfillStore {
  const keys = siteKeys(site);
  const Key = { pk: keys.alarmIndexBackfillPk, sk: keys.alarmIndexBackfillSk };
  return {
    async progress() {
      const out = await db.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }));
      const item = out.Item;
      if (item?.doneAt !== undefined) return { doneAt: item.doneAt as string };
      return { nextShard: (item?.nextShard as number | undefined) ?? 0 };
    },

    async saveProgress(next) {
      const further =
        'nextShard' in next
          ? {
              ConditionExpression:
                'attribute_not_exists(doneAt) AND (attribute_not_exists(nextShard) OR nextShard < :next)',
              ExpressionAttributeValues: { ':next': next.nextShard },
            }
          : { ConditionExpression: 'attribute_not_exists(doneAt)' };
      await writeIf(db.send(new PutCommand({ TableName: tableName, Item: { ...Key, ...next }, ...further })));
    },

    async backfillLuminaire(luminaireId) {
      const pk = keys.luminairePk(luminaireId);
      const unindexed = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :alarm)',
        FilterExpression: 'attribute_not_exists(gsi2pk)',
        ExpressionAttributeValues: { ':pk': pk, ':alarm': keys.alarmPrefix },
      });
      let set = 0;
      for (const item of unindexed) {
        const openedAt = item.openedAt as string;
        const kind = item.kind as string;
        const written = await writeIf(
          db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk, sk: item.sk as string },
              UpdateExpression: 'SET gsi2pk = :gsi2pk, gsi2sk = :gsi2sk',
              // An alarm opened again since the read has its own keys and opening: never overwritten.
              ConditionExpression: 'attribute_not_exists(gsi2pk) AND openedAt = :openedAt',
              ExpressionAttributeValues: {
                ':gsi2pk': keys.alarmsByOpeningPk,
                ':gsi2sk': keys.alarmByOpeningSk(openedAt, luminaireId, kind),
                ':openedAt': openedAt,
              },
            }),
          ),
        );
        if (written) set++;
      }
      return set;
    },
  };
}
