import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet, batchWrite, queryPrefix, type TableRef, writeIf } from './dynamo.ts';
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

/** Push state per luminaire, stored next to it in its shard, and the shard's push lease (AP2, AP3, AP7). */
export interface PushStateStore {
  forShard(shard: number): Promise<Map<string, PushState>>;
  get(ids: readonly string[]): Promise<Map<string, PushState>>;
  /** Records pushes (BatchWriteItem, 25 per call): the next attempt skips these luminaires. */
  recordAll(states: readonly PushState[]): Promise<void>;
  /** Forgets what was pushed to these luminaires, so the next push sends their plans again. */
  forget(ids: readonly string[]): Promise<void>;
  /**
   * Takes the shard's push lease until `until` (epoch seconds) unless another holder has it: one
   * worker pushes a shard at a time, so an SQS message delivered twice cannot push twice.
   */
  lease(shard: number, holder: string, now: number, until: number): Promise<boolean>;
  releaseLease(shard: number, holder: string): Promise<void>;
}

const LEASE_SK = 'LEASE';

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
  const ref = { db, tableName };
  const keyOf = (id: string) => ({ pk: keys.shardPk(shardOf(id)), sk: keys.pushSk(id) });
  const leaseKey = (shard: number) => ({ pk: keys.shardPk(shard), sk: LEASE_SK });
  return {
    async forShard(shard) {
      return byId((await queryPrefix(ref, keys.shardPk(shard), keys.pushPrefix, true)).map(toPushState));
    },

    async get(ids) {
      return byId((await batchGet(ref, [...new Set(ids)].map(keyOf))).map(toPushState));
    },

    async recordAll(states) {
      await batchWrite(
        ref,
        states.map((state) => ({
          PutRequest: {
            Item: {
              ...keyOf(state.id),
              id: state.id,
              h: state.hash,
              night: state.night,
              runId: state.runId,
              pushedAt: state.pushedAt,
            },
          },
        })),
      );
    },

    async forget(ids) {
      await batchWrite(
        ref,
        [...new Set(ids)].map((id) => ({ DeleteRequest: { Key: keyOf(id) } })),
      );
    },

    lease(shard, holder, now, until) {
      return writeIf(
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...leaseKey(shard), holder, until, expiresAt: until },
            ConditionExpression: 'attribute_not_exists(pk) OR #until < :now OR holder = :holder',
            ExpressionAttributeNames: { '#until': 'until' },
            ExpressionAttributeValues: { ':now': now, ':holder': holder },
          }),
        ),
      );
    },

    async releaseLease(shard, holder) {
      await writeIf(
        db.send(
          new DeleteCommand({
            TableName: tableName,
            Key: leaseKey(shard),
            ConditionExpression: 'holder = :holder',
            ExpressionAttributeValues: { ':holder': holder },
          }),
        ),
      );
    },
  };
}
