import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Config } from '#schedules/index.ts';
import { lastDayOfMonth } from '#schedules/report/periods.ts';
import { CSV_STYLES } from '#schedules/report/query.ts';
import type { SavingsReport } from '#schedules/report/savings.ts';
import { nightWindow } from '#schedules/time/night.ts';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import { DomainError } from '../shared/errors.ts';
import type { ConfigStore } from '../store/config-store.ts';
import type { StatementDocument, StatementStore, StatementVersion } from '../store/statement-store.ts';
import type { StatementStamp } from './html.ts';
import { renderSavingsReport } from './render.ts';
import { type SavingsReportDeps, savingsReportFor } from './savings-report.ts';

/** A statement's month: "YYYY-MM", 2000-01 to 2099-12. */
export const StatementMonth = z
  .string()
  .regex(/^20\d\d-(0[1-9]|1[0-2])$/, 'expected a month "YYYY-MM" (2000-01 to 2099-12)');

/** `POST /statements/{month}/close`: a reason is required for a correction (a month closed already). */
export const CloseStatementBody = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1, 'a reason must not be empty')
    .max(500, 'a reason is at most 500 characters')
    .optional(),
});

/** `GET /statements/{month}`: the versions, or with `format` one version's document (the latest by default). */
export const StatementQuery = z.strictObject({
  format: z.enum(['json', 'csv', 'html']).optional(),
  csv: z.enum(CSV_STYLES).default('fr'),
  version: z.coerce.number().int().min(1).max(9999).optional(),
});
export type StatementQuery = z.infer<typeof StatementQuery>;

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export interface StatementDeps extends Omit<SavingsReportDeps, 'config'> {
  readonly config: Pick<ConfigStore, 'loadVersioned'>;
  readonly statements: StatementStore;
  /** Epoch seconds. */
  readonly now: () => number;
}

export interface CloseOutcome {
  /** `unchanged`: the latest version already holds these exact figures (a retried close). */
  readonly kind: 'created' | 'unchanged';
  readonly statement: StatementVersion;
}

/** The documents of a statement: the JSON without a generation time, so equal figures give equal bytes. */
function statementDocuments(
  report: SavingsReport,
  stamp: Omit<StatementStamp, 'sha256'>,
): Record<StatementDocument, Buffer> {
  const json = Buffer.from(renderSavingsReport(report, 'json', null, 'fr').body, 'utf8');
  const html = renderSavingsReport(report, 'html', null, 'fr', {
    locale: 'fr-FR',
    statement: { ...stamp, sha256: sha256Hex(json) },
  }).body;
  return {
    json,
    'csv-fr': Buffer.from(renderSavingsReport(report, 'csv', null, 'fr').body, 'utf8'),
    'csv-rfc4180': Buffer.from(renderSavingsReport(report, 'csv', null, 'rfc4180').body, 'utf8'),
    html: Buffer.from(html, 'utf8'),
  };
}

function assertMonthOver(config: Config, month: string, now: number): void {
  const end = nightWindow(ZoneClock.of(config.site.timezone), lastDayOfMonth(month)).end;
  if (now < end) {
    throw new DomainError(
      'conflict',
      `month ${month} is not over: its last night ends at ${new Date(end * 1000).toISOString()}`,
    );
  }
}

/**
 * Closes a month: computes its report (grouped by zone) from the current data and configuration
 * and freezes it as a new version. Closing again with the same figures returns the latest version
 * (a retry never makes two); different figures make a correction, which needs a reason.
 */
export async function closeStatement(
  deps: StatementDeps,
  month: string,
  reason: string | undefined,
  closedBy: string,
): Promise<CloseOutcome> {
  const { config, version: configVersion } = await deps.config.loadVersioned();
  assertMonthOver(config, month, deps.now());
  const report = await savingsReportFor(deps, config, {
    from: `${month}-01`,
    to: lastDayOfMonth(month),
    groupBy: 'zone',
  });
  const versions = await deps.statements.versions(month);
  const latest = versions.at(-1);
  const closedAt = new Date(deps.now() * 1000).toISOString();
  const stamp = {
    month,
    version: (latest?.version ?? 0) + 1,
    closedAt,
    closedBy,
    reason: reason ?? null,
    configVersion,
  };
  const documents = statementDocuments(report, stamp);
  const contentHash = sha256Hex(documents.json);
  if (latest !== undefined && latest.sha256.json === contentHash)
    return { kind: 'unchanged', statement: latest };
  if (latest !== undefined && reason === undefined) {
    throw new DomainError(
      'conflict',
      `month ${month} is closed (version ${latest.version}) and its figures have changed since: a correction needs a reason`,
    );
  }
  const statement: StatementVersion = {
    ...stamp,
    tariffs: [...new Set(report.tariffs.map((t) => t.id))],
    sha256: {
      json: contentHash,
      'csv-fr': sha256Hex(documents['csv-fr']),
      'csv-rfc4180': sha256Hex(documents['csv-rfc4180']),
      html: sha256Hex(documents.html),
    },
  };
  if ((await deps.statements.put(statement, documents)) === 'written') return { kind: 'created', statement };
  const winner = (await deps.statements.versions(month)).at(-1);
  if (winner !== undefined && winner.sha256.json === contentHash)
    return { kind: 'unchanged', statement: winner };
  throw new DomainError('conflict', `month ${month} was closed concurrently; read its versions and retry`);
}

export interface StatementFile {
  readonly statement: StatementVersion;
  readonly document: StatementDocument;
  readonly bytes: Buffer;
}

/** A version's document as frozen; its bytes are checked against the hash recorded at close. */
export async function readStatement(
  deps: Pick<StatementDeps, 'statements'>,
  month: string,
  query: StatementQuery & { format: 'json' | 'csv' | 'html' },
): Promise<StatementFile | undefined> {
  const versions = await deps.statements.versions(month);
  const statement =
    query.version === undefined ? versions.at(-1) : versions.find((v) => v.version === query.version);
  if (statement === undefined) return undefined;
  const document: StatementDocument = query.format === 'csv' ? `csv-${query.csv}` : query.format;
  const bytes = await deps.statements.document(month, statement.version, document);
  if (bytes === undefined) return undefined;
  if (sha256Hex(bytes) !== statement.sha256[document]) {
    throw new Error(`statement ${month} v${statement.version} ${document}: bytes do not match their SHA-256`);
  }
  return { statement, document, bytes };
}
