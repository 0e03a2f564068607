/**
 * Where raw telemetry reports are archived (ADR 0013), as plain data: the Firehose delivery stream
 * and the Glue table (infra) and the local archive writer (local-runtime) read these, so the local
 * `data/` tree has the deployed bucket's layout. Partitions are the UTC date and hour of the
 * report's own `ts` (what an analyst filters on), not of its arrival.
 */

/** Prefix of every archived report, before the `site=` partition. */
export const RAW_TELEMETRY_PREFIX = 'raw/telemetry/';
/** Records the partitioning could not place (not JSON, no usable `ts`), by failure kind and arrival date. */
export const RAW_ERRORS_PREFIX = 'raw/errors/';
/** Prefix of Athena query results in the same bucket. */
export const ATHENA_RESULTS_PREFIX = 'athena-results/';
/** 13 months: a full reporting year, the previous year's same month, and a margin. */
export const RAW_RETENTION_DAYS = 396;

/** The partition columns, in path order, as Athena sees them. */
export const RAW_PARTITION_KEYS = ['site', 'date', 'hour'] as const;

/** UTC date (YYYY-MM-DD) and hour (HH) of an epoch-seconds time, as the partitions name them. */
export function rawPartitionOf(ts: number): { date: string; hour: string } {
  const iso = new Date(ts * 1000).toISOString();
  return { date: iso.slice(0, 10), hour: iso.slice(11, 13) };
}

/** `raw/telemetry/site=<site>/date=<date>/hour=<hour>/`, with the values given (or expressions). */
export function rawTelemetryPrefix(site: string, date: string, hour: string): string {
  return `${RAW_TELEMETRY_PREFIX}site=${site}/date=${date}/hour=${hour}/`;
}
