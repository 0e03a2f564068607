import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { type AuditEntry, auditItem } from './audit-store.ts';
import { batchWrite, queryPrefix, type TableRef } from './dynamo.ts';

/** Items written with their audit entry in one transaction (DynamoDB: 100 items at most). */
export const AUDITED_LIST_IMPORT_LIMIT = 99;

/** A small inventory list of a site (sensors, cabinets) kept in one partition, by id. */
export interface PartitionList<T extends { readonly id: string }> {
  /** Creates or replaces items (BatchWriteItem, 25 per call): loading a site. */
  put(items: readonly T[]): Promise<void>;
  /** Creates or replaces up to AUDITED_LIST_IMPORT_LIMIT items and writes their audit entry: all or nothing. */
  importAudited(items: readonly T[], audit: AuditEntry): Promise<void>;
  /** Every item, by id. */
  listAll(): Promise<T[]>;
}

/**
 * `stored` parses an item read back (its keys dropped); `pk`, `skOf` and `prefix` come from
 * keys.ts, the one place keys are built.
 */
export function makePartitionList<T extends { readonly id: string }>(
  { db, tableName, site }: TableRef & { site: string },
  what: string,
  stored: z.ZodType<T>,
  { pk, skOf, prefix }: { pk: string; skOf: (id: string) => string; prefix: string },
): PartitionList<T> {
  const ref = { db, tableName };
  const itemOf = (item: T) => ({ pk, sk: skOf(item.id), ...item });
  return {
    async put(items) {
      await batchWrite(
        ref,
        items.map((item) => ({ PutRequest: { Item: itemOf(item) } })),
      );
    },

    async importAudited(items, audit) {
      if (items.length > AUDITED_LIST_IMPORT_LIMIT) {
        throw new RangeError(`at most ${AUDITED_LIST_IMPORT_LIMIT} ${what} per import, got ${items.length}`);
      }
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...items.map((item) => ({ Put: { TableName: tableName, Item: itemOf(item) } })),
            { Put: { TableName: tableName, Item: auditItem(site, audit) } },
          ],
        }),
      );
    },

    async listAll() {
      // Strongly consistent: a listing right after an import shows what it wrote.
      return (await queryPrefix(ref, pk, prefix, true)).map((item) => stored.parse(item));
    },
  };
}
