import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Item, queryAll, type TableRef, writeIf } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/** The renderings a statement freezes: its JSON (the signed document), the two CSV styles, the printable page. */
export const STATEMENT_DOCUMENTS = ['json', 'csv-fr', 'csv-rfc4180', 'html'] as const;
export type StatementDocument = (typeof STATEMENT_DOCUMENTS)[number];

/** One version of a month's statement, without its documents. */
export interface StatementVersion {
  readonly month: string;
  readonly version: number;
  /** ISO 8601 instant, and who closed (the principal's username). */
  readonly closedAt: string;
  readonly closedBy: string;
  /** Why a correction was made; null for the first version. */
  readonly reason: string | null;
  /** The configuration version the report was computed with. */
  readonly configVersion: number;
  /** The tariffs that priced the month (ids). */
  readonly tariffs: readonly string[];
  /** SHA-256 (hex) of each document's bytes. */
  readonly sha256: Readonly<Record<StatementDocument, string>>;
}

/**
 * Monthly statements (AP27): one immutable item per version, written once under a condition that
 * it does not exist, never updated. The documents are gzip-compressed binary attributes of the
 * item, so a statement and its renderings are one atomic write and one read; a month grouped by
 * zone compresses to tens of KB, far under the 400 KB item limit.
 */
export interface StatementStore {
  /** Every version of the month, oldest first (documents not read). */
  versions(month: string): Promise<StatementVersion[]>;
  /** The bytes of a document of a version; undefined when the version does not exist. */
  document(month: string, version: number, document: StatementDocument): Promise<Buffer | undefined>;
  /** Writes a new version; `exists` when that version number was taken (a concurrent close). */
  put(
    version: StatementVersion,
    documents: Readonly<Record<StatementDocument, Buffer>>,
  ): Promise<'written' | 'exists'>;
}

const META = ['month', 'version', 'closedAt', 'closedBy', 'reason', 'configVersion', 'tariffs', 'sha256'];

const toVersion = (item: Item): StatementVersion => ({
  month: item.month as string,
  version: item.version as number,
  closedAt: item.closedAt as string,
  closedBy: item.closedBy as string,
  reason: (item.reason as string | null | undefined) ?? null,
  configVersion: item.configVersion as number,
  tariffs: item.tariffs as string[],
  sha256: item.sha256 as StatementVersion['sha256'],
});

export function makeStatementStore({ db, tableName, site }: TableRef & { site: string }): StatementStore {
  const keys = siteKeys(site);
  return {
    async versions(month) {
      const items = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.statementPk(month), ':prefix': keys.statementPrefix },
        ProjectionExpression: META.map((_, i) => `#m${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(META.map((name, i) => [`#m${i}`, name])),
        ConsistentRead: true,
      });
      return items.map(toVersion);
    },

    async document(month, version, document) {
      const out = await db.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: keys.statementPk(month), sk: keys.statementSk(version) },
          ProjectionExpression: '#doc',
          ExpressionAttributeNames: { '#doc': `doc_${document}` },
          ConsistentRead: true,
        }),
      );
      const stored = out.Item?.[`doc_${document}`] as Uint8Array | undefined;
      return stored === undefined ? undefined : gunzipSync(stored);
    },

    async put(version, documents) {
      const written = await writeIf(
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: keys.statementPk(version.month),
              sk: keys.statementSk(version.version),
              ...version,
              ...Object.fromEntries(STATEMENT_DOCUMENTS.map((d) => [`doc_${d}`, gzipSync(documents[d])])),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return written ? 'written' : 'exists';
    },
  };
}
