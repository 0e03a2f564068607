import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Item, TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/** One change, as the audit log keeps it: who, when, what, and the value before and after. */
export interface AuditEntry {
  readonly id: string;
  /** ISO 8601 UTC instant. */
  readonly at: string;
  readonly actor: { readonly sub: string; readonly username: string };
  /** `profile.put`, `rule.delete`, `override.put`, `luminaires.import`, `alarm.acknowledge` ... */
  readonly action: string;
  /** What changed: `profile residential`, `rule festival`, `luminaire L-0001` ... */
  readonly target: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly requestId: string;
}

const monthOf = (iso: string): string => iso.slice(0, 7);

/** The audit item for an entry (AP12): one partition per month, sorted by time. */
export function auditItem(site: string, entry: AuditEntry): Item {
  const keys = siteKeys(site);
  return {
    pk: keys.auditPk(monthOf(entry.at)),
    sk: keys.auditSk(entry.at, entry.id),
    ...entry,
    before: entry.before ?? null,
    after: entry.after ?? null,
  };
}

export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  /** Pass back as `cursor` for the next (older) page; absent on the last page. */
  readonly cursor?: string;
}

export interface AuditQuery {
  /** ISO instants, inclusive. */
  readonly from: string;
  readonly to: string;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export interface AuditLog {
  /** Entries of the period, newest first, one page at a time (months are walked backwards). */
  list(query: AuditQuery): Promise<AuditPage>;
}

interface Cursor {
  month: string;
  key?: Item;
}

const encodeCursor = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');
const decodeCursor = (text: string): Cursor =>
  JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;

function previousMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const date = new Date(Date.UTC(year, m - 2, 1));
  return date.toISOString().slice(0, 7);
}

function toEntry(item: Item): AuditEntry {
  const { pk: _pk, sk: _sk, ...entry } = item;
  return entry as unknown as AuditEntry;
}

export function makeAuditLog({ db, tableName, site }: TableRef & { site: string }): AuditLog {
  const keys = siteKeys(site);
  return {
    async list({ from, to, limit, cursor }) {
      const entries: AuditEntry[] = [];
      let position: Cursor = cursor === undefined ? { month: monthOf(to) } : decodeCursor(cursor);
      while (position.month >= monthOf(from)) {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': keys.auditPk(position.month),
              ':from': from,
              ':to': `${to}~`,
            },
            ScanIndexForward: false,
            Limit: limit - entries.length,
            ExclusiveStartKey: position.key,
          }),
        );
        entries.push(...(page.Items ?? []).map(toEntry));
        position =
          page.LastEvaluatedKey === undefined
            ? { month: previousMonth(position.month) }
            : { month: position.month, key: page.LastEvaluatedKey };
        if (entries.length >= limit) {
          return position.month >= monthOf(from) ? { entries, cursor: encodeCursor(position) } : { entries };
        }
      }
      return { entries };
    },
  };
}
