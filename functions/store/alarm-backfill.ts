import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CITIZEN_REPORT, movedLegacyPoint } from '#schedules/public/fault-report.ts';
import { type Item, queryAll, type TableRef, writeIf } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/** How far the backfill went: the next inventory shard to walk, or done. */
export type BackfillProgress = { readonly nextShard: number } | { readonly doneAt: string };

/**
 * Brings alarm items written before the current shape up to it, a luminaire at a time, and records
 * how far it went (AP35): alarms raised before AP31 get its GSI2 keys (the report's alarms of a
 * period, `openDuring`, miss them otherwise); citizen reports made before 30 November 2026 get their
 * map point out of their text (`movedLegacyPoint`), kept apart while open, dropped once closed.
 */
export interface AlarmBackfillStore {
  progress(): Promise<BackfillProgress>;
  /** Records `next`, unless a run got further meanwhile (progress never goes back). */
  saveProgress(next: BackfillProgress): Promise<void>;
  /**
   * Upgrades the luminaire's alarm items of an older shape; answers how many it wrote. Each write is
   * conditioned on what was read: an item opened again, closed or gone meanwhile is read again.
   */
  backfillLuminaire(luminaireId: string): Promise<number>;
}

/** The text every legacy citizen report's map point starts with (`movedLegacyPoint`). */
const LEGACY_POINT_MARK = ' [point ';
/** An item changed between its read and its upgrade is read again, at most this many times. */
const UPGRADE_ATTEMPTS = 3;

interface Upgrade {
  readonly set: string[];
  readonly conditions: string[];
  readonly values: Record<string, unknown>;
}

/** What an alarm item lacks of the current shape, as an update conditioned on the item as read. */
function upgradeOf(item: Item, keys: ReturnType<typeof siteKeys>): Upgrade | undefined {
  const openedAt = item.openedAt as string;
  const upgrade: Upgrade = {
    set: [],
    conditions: ['openedAt = :openedAt'],
    values: { ':openedAt': openedAt },
  };
  if (item.gsi2pk === undefined) {
    upgrade.set.push('gsi2pk = :gsi2pk', 'gsi2sk = :gsi2sk');
    // An alarm opened again since the read has its own keys and opening: never overwritten.
    upgrade.conditions.push('attribute_not_exists(gsi2pk)');
    upgrade.values[':gsi2pk'] = keys.alarmsByOpeningPk;
    upgrade.values[':gsi2sk'] = keys.alarmByOpeningSk(
      openedAt,
      item.luminaireId as string,
      item.kind as string,
    );
  }
  if (item.kind === CITIZEN_REPORT && typeof item.detail === 'string') {
    const { detail, point } = movedLegacyPoint(item.detail);
    if (point !== undefined) {
      upgrade.set.push('detail = :detail');
      upgrade.conditions.push('detail = :legacy');
      upgrade.values[':detail'] = detail;
      upgrade.values[':legacy'] = item.detail;
      if (item.state === 'open' && item.reporterPoint === undefined) {
        // Only while open: a point written on a closed alarm would outlive the close that erases it.
        upgrade.set.push('reporterPoint = :point');
        upgrade.conditions.push('#state = :open', 'attribute_not_exists(reporterPoint)');
        upgrade.values[':point'] = point;
        upgrade.values[':open'] = 'open';
      }
    }
  }
  return upgrade.set.length === 0 ? undefined : upgrade;
}

export function makeAlarmBackfillStore({
  db,
  tableName,
  site,
}: TableRef & { site: string }): AlarmBackfillStore {
  const keys = siteKeys(site);
  const Key = { pk: keys.alarmBackfillPk, sk: keys.alarmBackfillSk };
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
      const older = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :alarm)',
        FilterExpression: 'attribute_not_exists(gsi2pk) OR (kind = :citizen AND contains(detail, :legacy))',
        ExpressionAttributeValues: {
          ':pk': pk,
          ':alarm': keys.alarmPrefix,
          ':citizen': CITIZEN_REPORT,
          ':legacy': LEGACY_POINT_MARK,
        },
      });
      let written = 0;
      for (const found of older) {
        const Key = { pk, sk: found.sk as string };
        let item: Item | undefined = found;
        for (let attempt = 0; attempt < UPGRADE_ATTEMPTS && item !== undefined; attempt++) {
          const upgrade = upgradeOf(item, keys);
          if (upgrade === undefined) break;
          const done = await writeIf(
            db.send(
              new UpdateCommand({
                TableName: tableName,
                Key,
                UpdateExpression: `SET ${upgrade.set.join(', ')}`,
                ConditionExpression: upgrade.conditions.join(' AND '),
                ...(upgrade.values[':open'] === undefined
                  ? {}
                  : { ExpressionAttributeNames: { '#state': 'state' } }),
                ExpressionAttributeValues: upgrade.values,
              }),
            ),
          );
          if (done) {
            written++;
            break;
          }
          item = (await db.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }))).Item;
        }
      }
      return written;
    },
  };
}
