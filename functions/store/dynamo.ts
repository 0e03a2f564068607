import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mapBounded, withBackoff } from '../shared/backoff.ts';

/** What every adapter takes: the document client (created once by the caller) and a table name. */
export interface TableRef {
  readonly db: DynamoDBDocumentClient;
  readonly tableName: string;
}

export type Item = Record<string, unknown>;

/** Numbers as a binary attribute: Float64Array bytes, little-endian as every Lambda and dev machine is. */
export const float64Bytes = (values: Float64Array): Uint8Array =>
  new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

/** A copy, as the attribute's bytes need not sit on an 8-byte boundary. */
export const float64Values = (bytes: Uint8Array): Float64Array =>
  new Float64Array(Uint8Array.from(bytes).buffer);
export type Key = { pk: string; sk: string };

/** All pages of a Query. */
export async function queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    items.push(...((page.Items ?? []) as Item[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey !== undefined);
  return items;
}

const UNPROCESSED_BACKOFF = { maxAttempts: 10, baseMs: 50, capMs: 2_000 };

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };

/** BatchWriteItem in groups of 25, resending unprocessed items with backoff until none are left. */
export async function batchWrite(ref: TableRef, requests: readonly WriteRequest[]): Promise<void> {
  const groups: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += 25) groups.push(requests.slice(i, i + 25));
  await Promise.all(
    groups.map(async (group) => {
      let pending = group;
      const { result } = await withBackoff(
        async () => {
          const out = await ref.db.send(
            new BatchWriteCommand({ RequestItems: { [ref.tableName]: pending } }),
          );
          pending = (out.UnprocessedItems?.[ref.tableName] ?? []) as WriteRequest[];
          return pending.length;
        },
        (left) => left > 0,
        UNPROCESSED_BACKOFF,
      );
      if (result > 0) throw new Error(`BatchWriteItem left ${result} items unprocessed on ${ref.tableName}`);
    }),
  );
}

/** BatchGetItem groups of one call in flight at once: a batch's meter states come in one round trip. */
const BATCH_GET_CONCURRENCY = 8;

/**
 * BatchGetItem in groups of 100 (strongly consistent unless asked), resending unprocessed keys with
 * backoff; `attributes`, when given, are the only ones read.
 */
export async function batchGet(
  ref: TableRef,
  keys: readonly Key[],
  consistent = true,
  attributes?: readonly string[],
): Promise<Item[]> {
  const projection =
    attributes === undefined
      ? {}
      : {
          ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name])),
        };
  const groups: Key[][] = [];
  for (let i = 0; i < keys.length; i += 100) groups.push(keys.slice(i, i + 100));
  const pages = await mapBounded(groups, BATCH_GET_CONCURRENCY, async (group) => {
    const items: Item[] = [];
    let pending = group;
    const { result } = await withBackoff(
      async () => {
        const out = await ref.db.send(
          new BatchGetCommand({
            RequestItems: { [ref.tableName]: { Keys: pending, ConsistentRead: consistent, ...projection } },
          }),
        );
        items.push(...((out.Responses?.[ref.tableName] ?? []) as Item[]));
        pending = (out.UnprocessedKeys?.[ref.tableName]?.Keys ?? []) as Key[];
        return pending.length;
      },
      (left) => left > 0,
      UNPROCESSED_BACKOFF,
    );
    if (result > 0) throw new Error(`BatchGetItem left ${result} keys unprocessed on ${ref.tableName}`);
    return items;
  });
  return pages.flat();
}

/** True when a conditional write failed its condition (the SDK error name, also inside transactions). */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Runs a conditional write: true when it was written, false when its condition did not hold. */
export async function writeIf(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The items of one partition whose sort key starts with `prefix` (all pages). */
export function queryPrefix(ref: TableRef, pk: string, prefix: string, consistent = false): Promise<Item[]> {
  return queryAll(ref.db, {
    TableName: ref.tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    ConsistentRead: consistent,
  });
}

/** The items of one partition with from <= sk <= to (all pages), in sort key order. */
export function queryBetween(ref: TableRef, pk: string, from: string, to: string): Promise<Item[]> {
  return queryAll(ref.db, {
    TableName: ref.tableName,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
  });
}

function cancelledFor(error: unknown, code: string): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((reason) => reason.Code === code);
}

/** A TransactWriteItems cancelled because one of its conditions failed (not a conflict or a throttle). */
export function isTransactionConditionFailure(error: unknown): boolean {
  return cancelledFor(error, 'ConditionalCheckFailed');
}

/** A TransactWriteItems cancelled because another transaction was writing one of its items at once. */
export function isTransactionConflict(error: unknown): boolean {
  return cancelledFor(error, 'TransactionConflict');
}
