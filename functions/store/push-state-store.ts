import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet, queryPrefix, type TableRef, writeIf } from './dynamo.ts';
import { shardOf, siteKeys } from './keys.ts';

/** What was last pushed to a luminaire's `plan` shadow. */
export interface PushState {
  readonly id: string;
  /** Content hash of the plan (ShadowPlan.h). */
  readonly hash: string;
  /** First night the plan covers. */
  readonly night: string;
  readonly runId: string;
  readonly pushedAt: string;
}

/** Push state per luminaire, stored next to it in its shard (AP2, AP3, AP7). */
export interface PushStateStore {
  forShard(shard: number): Promise<Map<string, PushState>>;
  get(ids: readonly string[]): Promise<Map<string, PushState>>;
  /**
   * Records a push unless this hash is recorded already. `already-recorded` means another
   * attempt (a retried or concurrently delivered chunk) pushed the same content first.
   */
  record(state: PushState): Promise<'recorded' | 'already-recorded'>;
}

function toPushState(item: Record<string, unknown>): PushState {
  return {
    id: item.id as string,
    hash: item.h as string,
    night: item.night as string,
    runId: item.runId as string,
    pushedAt: item.pushedAt as string,
  };
}

const byId = (states: PushState[]) => new Map(states.map((state) => [state.id, state]));

export function makePushStateStore({ db, tableName, site }: TableRef & { site: string }): PushStateStore {
  const keys = siteKeys(site);
  const keyOf = (id: string) => ({ pk: keys.shardPk(shardOf(id)), sk: keys.pushSk(id) });
  return {
    async forShard(shard) {
      const items = await queryPrefix({ db, tableName }, keys.shardPk(shard), 'PUSH#', true);
      return byId(items.map(toPushState));
    },

    async get(ids) {
      return byId((await batchGet({ db, tableName }, [...new Set(ids)].map(keyOf))).map(toPushState));
    },

    async record(state) {
      const written = await writeIf(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keyOf(state.id),
            UpdateExpression: 'SET #id = :id, #h = :h, #night = :night, #run = :run, #at = :at',
            ConditionExpression: 'attribute_not_exists(#h) OR #h <> :h',
            ExpressionAttributeNames: {
              '#id': 'id',
              '#h': 'h',
              '#night': 'night',
              '#run': 'runId',
              '#at': 'pushedAt',
            },
            ExpressionAttributeValues: {
              ':id': state.id,
              ':h': state.hash,
              ':night': state.night,
              ':run': state.runId,
              ':at': state.pushedAt,
            },
          }),
        ),
      );
      return written ? 'recorded' : 'already-recorded';
    },
  };
}
