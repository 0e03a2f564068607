import { gunzipSync, gzipSync } from 'node:zlib';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Item, type TableRef, writeIf } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/** How long a retry with the same key gets the first answer back. */
export const IDEMPOTENCY_RECORD_SECONDS = 86_400;
/**
 * How long a claimed key waits for its request's answer: longer than any request runs (API Gateway
 * gives up after 30 s), so a claim whose function died mid-request is taken over after this.
 */
export const IDEMPOTENCY_LEASE_SECONDS = 60;
/** A gzipped answer larger than this is not recorded (DynamoDB items hold 400 KB). */
const MAX_RECORDED_BYTES = 350_000;

/** An answer as the API gave it. */
export interface RecordedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type IdempotencyClaim =
  /** The key is this request's now: run it, then complete or release. */
  | { readonly kind: 'claimed' }
  /** A request with this key is running (its fingerprint unknown when its record just went). */
  | { readonly kind: 'in-progress'; readonly fingerprint: string | undefined }
  /** A request with this key was answered. */
  | { readonly kind: 'done'; readonly fingerprint: string; readonly response: RecordedResponse };

/** Records of requests sent with an Idempotency-Key (AP15), per principal. */
export interface IdempotencyStore {
  /** Claims the key for a request with this fingerprint, unless a live record holds it already. */
  claim(principal: string, key: string, fingerprint: string, now: number): Promise<IdempotencyClaim>;
  /** Records the answer to a claimed key; false when it is too large to keep (the key is released). */
  complete(
    principal: string,
    key: string,
    fingerprint: string,
    response: RecordedResponse,
    now: number,
  ): Promise<boolean>;
  /** Gives a claimed key up (the request failed): a retry runs it again. */
  release(principal: string, key: string): Promise<void>;
}

export function makeIdempotencyStore({ db, tableName, site }: TableRef & { site: string }): IdempotencyStore {
  const keys = siteKeys(site);
  const keyOf = (principal: string, key: string) => ({
    pk: keys.idempotencyPk(principal, key),
    sk: keys.idempotencySk,
  });

  function claimOf(item: Item | undefined): IdempotencyClaim {
    // Released between the refused claim and this read: the caller retries shortly.
    if (item === undefined) return { kind: 'in-progress', fingerprint: undefined };
    const fingerprint = item.fingerprint as string;
    if (item.state !== 'done') return { kind: 'in-progress', fingerprint };
    return {
      kind: 'done',
      fingerprint,
      response: {
        status: item.status as number,
        headers: item.headers as Record<string, string>,
        body: gunzipSync(item.body as Uint8Array).toString('utf8'),
      },
    };
  }

  const release = async (principal: string, key: string) => {
    await writeIf(
      db.send(
        new DeleteCommand({
          TableName: tableName,
          Key: keyOf(principal, key),
          ConditionExpression: '#state = :inProgress',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':inProgress': 'in-progress' },
        }),
      ),
    );
  };

  return {
    async claim(principal, key, fingerprint, now) {
      const claimed = await writeIf(
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...keyOf(principal, key),
              state: 'in-progress',
              fingerprint,
              leaseUntil: now + IDEMPOTENCY_LEASE_SECONDS,
              expiresAt: now + IDEMPOTENCY_RECORD_SECONDS,
            },
            // TTL deletes expired items late (up to days): an expired record counts as absent.
            ConditionExpression:
              'attribute_not_exists(pk) OR expiresAt < :now OR (#state = :inProgress AND leaseUntil < :now)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':now': now, ':inProgress': 'in-progress' },
          }),
        ),
      );
      if (claimed) return { kind: 'claimed' };
      const stored = await db.send(
        new GetCommand({ TableName: tableName, Key: keyOf(principal, key), ConsistentRead: true }),
      );
      return claimOf(stored.Item);
    },

    async complete(principal, key, fingerprint, response, now) {
      const body = gzipSync(response.body);
      if (body.byteLength > MAX_RECORDED_BYTES) {
        await release(principal, key);
        return false;
      }
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keyOf(principal, key),
            state: 'done',
            fingerprint,
            status: response.status,
            headers: response.headers,
            body,
            expiresAt: now + IDEMPOTENCY_RECORD_SECONDS,
          },
        }),
      );
      return true;
    },

    release,
  };
}
