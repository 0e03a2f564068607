import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Item, TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';
import { monthsBetween } from './periods.ts';

/** One change: who did what to which target, with the state before and after. */
export interface AuditEntry {
  readonly id: string;
  /** ISO 8601 instant (UTC). */
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly before: unknown;
  readonly after: unknown;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

/** Where a page of the log ends: the last entry's time and id (its key). */
export type AuditPosition = Pick<AuditEntry, 'at' | 'id'>;

export interface AuditPageQuery {
  /** ISO instants (UTC, as `toISOString` writes them): entries with from <= at <= to. */
  readonly from: string;
  readonly to: string;
  readonly limit: number;
  /** The `next` of the previous page: the entries older than it. */
  readonly after?: AuditPosition | undefined;
}

export interface AuditPage {
  readonly items: AuditEntry[];
  /** Present when older entries remain in the range. */
  readonly next?: AuditPosition;
}

/** The audit log, one partition per month (AP12). */
export interface AuditStore {
  append(entry: NewAuditEntry): Promise<AuditEntry>;
  /** One page of the entries in a range, newest first. */
  list(query: AuditPageQuery): Promise<AuditPage>;
}

/**
 * The item of an entry (AP12): the store's `append` and the API's transactional change + audit
 * write use it, so both write the same shape.
 */
export function auditItem(site: string, entry: AuditEntry): Record<string, unknown> {
  const keys = siteKeys(site);
  return { pk: keys.auditPk(entry.at.slice(0, 7)), sk: keys.auditSk(entry.at, entry.id), ...entry };
}

export function makeAuditStore({ db, tableName, site }: TableRef & { site: string }): AuditStore {
  const keys = siteKeys(site);
  return {
    async append(entry) {
      const stored: AuditEntry = { id: randomUUID(), ...entry };
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: auditItem(site, stored),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return stored;
    },

    /**
     * Reads the months one after the other, newest first, and stops as soon as the page is full
     * (one entry more tells whether older ones remain), so a long range costs what the page holds.
     */
    async list({ from, to, limit, after }) {
      const items: Item[] = [];
      const months = monthsBetween(from, after?.at ?? to).reverse();
      for (const month of months) {
        let ExclusiveStartKey: Item | undefined = after?.at.startsWith(month)
          ? { pk: keys.auditPk(month), sk: keys.auditSk(after.at, after.id) }
          : undefined;
        do {
          const page = await db.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
              ExpressionAttributeValues: { ':pk': keys.auditPk(month), ':from': from, ':to': `${to}~` },
              ScanIndexForward: false,
              Limit: limit + 1 - items.length,
              ExclusiveStartKey,
            }),
          );
          items.push(...((page.Items ?? []) as Item[]));
          ExclusiveStartKey = page.LastEvaluatedKey;
        } while (ExclusiveStartKey !== undefined && items.length <= limit);
        if (items.length > limit) break;
      }
      const entries = items
        .slice(0, limit)
        .map(({ pk: _pk, sk: _sk, ...entry }) => entry as unknown as AuditEntry);
      const last = entries.at(-1);
      return items.length > limit && last !== undefined
        ? { items: entries, next: { at: last.at, id: last.id } }
        : { items: entries };
    },
  };
}
