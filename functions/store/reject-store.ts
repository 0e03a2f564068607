import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { queryBetween, type TableRef } from './dynamo.ts';
import { shardOf, siteKeys } from './keys.ts';

/** Rejected reports are evidence for a technician chasing a faulty controller: kept 90 days. */
const REJECT_SECONDS = 90 * 86_400;
/** The stored copy of what was received: enough to see what a device sent, bounded in size. */
export const MAX_REJECTED_MESSAGE_CHARS = 4_096;

/** A report kept out of the ledger, and why. */
export interface Reject {
  /** The thing name the topic gave, or `-` when even that is missing. */
  readonly thing: string;
  /** The broker's receive time, epoch milliseconds. */
  readonly receivedAt: number;
  readonly reason: string;
  readonly luminaireId?: string;
  /** What was wrong, for a human (the failing fields, the bound exceeded). */
  readonly detail: string;
  /** The event as received, as JSON, cut to MAX_REJECTED_MESSAGE_CHARS. */
  readonly message: string;
}

/** Rejected telemetry of a thing, with a TTL (AP18). */
export interface RejectStore {
  /** Idempotent: recording the same reject twice (a retried invocation) keeps one item. */
  record(reject: Reject): Promise<void>;
  /** Rejects of a thing with fromMs <= receivedAt <= toMs, oldest first. */
  list(thing: string, fromMs: number, toMs: number): Promise<Reject[]>;
}

export function makeRejectStore({
  db,
  telemetryTableName,
  site,
}: Pick<TableRef, 'db'> & { telemetryTableName: string; site: string }): RejectStore {
  const keys = siteKeys(site);
  return {
    async record(reject) {
      const digest = shardOf(reject.message, 2 ** 32).toString(36);
      await db.send(
        new PutCommand({
          TableName: telemetryTableName,
          Item: {
            pk: keys.rejectPk(reject.thing),
            sk: keys.rejectSk(reject.receivedAt, reject.reason, digest),
            ...reject,
            expiresAt: Math.floor(reject.receivedAt / 1000) + REJECT_SECONDS,
          },
        }),
      );
    },

    async list(thing, fromMs, toMs) {
      const items = await queryBetween(
        { db, tableName: telemetryTableName },
        keys.rejectPk(thing),
        keys.rejectSk(fromMs, '', ''),
        keys.rejectSk(toMs, '~', ''),
      );
      return items.map(({ pk: _pk, sk: _sk, expiresAt: _exp, ...reject }) => reject as unknown as Reject);
    },
  };
}
