import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll, type TableRef } from './dynamo.ts';
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

/** The audit log, one partition per month (AP12). */
export interface AuditStore {
  append(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Entries with from <= at <= to (ISO instants), newest first. */
  list(from: string, to: string): Promise<AuditEntry[]>;
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

    async list(from, to) {
      const months = monthsBetween(from, to).reverse();
      const pages = await Promise.all(
        months.map((month) =>
          queryAll(db, {
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': keys.auditPk(month), ':from': from, ':to': `${to}~` },
            ScanIndexForward: false,
          }),
        ),
      );
      return pages.flat().map(({ pk: _pk, sk: _sk, ...entry }) => entry as unknown as AuditEntry);
    },
  };
}
