import type { BatchSums, FunctionUsage } from './usage.ts';

/**
 * The ledger's work at a fleet size, modelled from its batches in a measured run (ADR 0017, 20.).
 * A local run's batches are whatever its stream's real-time window caught of a fast clock (3 to 43
 * reports in the runs of 30 Nov 2026); on AWS a batch is what one shard receives in the mapping's
 * window, up to its batch size. What a batch pays whatever its size (the invocation's fixed CPU and
 * round trips, the configuration and inventory reads, one write per other item it adds to) is
 * divided by the reports of an AWS batch; what each report pays (its luminaire's own items: the
 * night item's conditional update, a night move's writes, the meter state's read) is as measured.
 * Since Wave 9 the ledger writes no zone or street rollup (the night close sums the night items):
 * its other items are rejects; runs measured before it still hold the rollups' kinds.
 */

export interface LedgerBatching {
  readonly batchSize: number;
  readonly batchWindowSeconds: number;
}

/** Least-squares line through the batches: y = fixed + perRecord × records, neither below nothing. */
export interface BatchLine {
  readonly fixed: number;
  readonly perRecord: number;
}

export function batchLineOf(
  sums: Pick<BatchSums, 'batches' | 'records' | 'recordsSquared'>,
  total: number,
  byRecords: number,
): BatchLine {
  const { batches: n, records: x, recordsSquared: xx } = sums;
  if (n === 0 || x === 0) return { fixed: 0, perRecord: 0 };
  const spread = n * xx - x * x;
  // Batches all of one size give no slope: the work is taken as all per record (the safe side).
  const slope = spread > 1e-9 * n * xx ? (n * byRecords - x * total) / spread : total / x;
  const perRecord = Math.max(0, slope);
  const fixed = (total - perRecord * x) / n;
  return fixed >= 0 ? { fixed, perRecord } : { fixed: 0, perRecord: total / x };
}

/** Reports in one AWS batch of a shard: its window's reports at the mean rate, at least one, at most the batch size. */
export function reportsPerBatch(reportsPerSecond: number, shards: number, batching: LedgerBatching): number {
  if (!(reportsPerSecond >= 0 && shards >= 1)) throw new RangeError('a rate ≥ 0 and at least one shard');
  return Math.min(batching.batchSize, Math.max(1, (reportsPerSecond / shards) * batching.batchWindowSeconds));
}

/**
 * Distinct items among `items` that `draws` picks at random touch (the other items a batch writes
 * once each): items × (1 − (1 − 1/items)^draws), never more than the draws.
 */
export function distinctTouched(items: number, draws: number): number {
  if (items <= 1) return Math.min(1, draws);
  return Math.min(draws, items * -Math.expm1(draws * Math.log1p(-1 / items)));
}

/** A kind of item written in at least this share of the batches is one each report adds to (a rollup). */
const EVERY_BATCH = 0.9;

/**
 * The other items a batch of `batchReports` writes, each once, among the site's scaled with the
 * fleet. By kind: a kind nearly every batch wrote (the zone-night and street-month rollups of runs
 * measured before Wave 9) is one every report adds to, one item of it a report (the local batches'
 * own collisions, many reports of one zone, say nothing of a city's); a rarer kind (rejects) at its
 * measured rate a report.
 */
function sharedItemsPerBatch(sums: BatchSums, scale: number, batchReports: number): number {
  const kinds = Object.values(sums.sharedKinds);
  if (kinds.length === 0) {
    const perReport = sums.luminaireVisits > 0 ? sums.sharedItemsWritten / sums.luminaireVisits : 0;
    return distinctTouched(Math.max(1, sums.sharedItems * scale), perReport * batchReports);
  }
  return kinds.reduce((total, kind) => {
    const perReport =
      kind.batches >= EVERY_BATCH * sums.batches
        ? 1
        : sums.luminaireVisits > 0
          ? kind.written / sums.luminaireVisits
          : 0;
    return total + distinctTouched(Math.max(1, kind.items * scale), perReport * batchReports);
  }, 0);
}

/** The ledger's work per report at a fleet size: what each report pays, and its share of its batch's. */
export interface LedgerPerReport {
  readonly reportsPerBatch: number;
  /** Of the figures below, what each report pays itself (its luminaire's own items, its CPU). */
  readonly own: { readonly readUnits: number; readonly writeUnits: number; readonly cpuMs: number };
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly cpuMs: number;
  readonly rounds: number;
}

/**
 * Per report at a fleet `scale` times the measured site's, batches of `batchReports` reports. The
 * other items (rejects; rollups in runs measured before Wave 9) a report adds to are drawn among the
 * site's, scaled with the fleet: a batch writes each it touches once.
 */
export function ledgerPerReport(sums: BatchSums, scale: number, batchReports: number): LedgerPerReport {
  if (!(scale > 0 && batchReports >= 1)) throw new RangeError('scale > 0 and batchReports ≥ 1');
  const cpu = batchLineOf(sums, sums.cpuMs, sums.cpuMsByRecords);
  const rounds = batchLineOf(sums, sums.rounds, sums.roundsByRecords);
  const per = (total: number, of: number) => (of > 0 ? total / of : 0);
  // On AWS every report is a visit of its luminaire (a period apart, a batch spans seconds).
  const own = {
    readUnits: per(sums.ownReadUnits, sums.luminaireVisits),
    writeUnits: per(sums.ownWriteUnits, sums.luminaireVisits),
    cpuMs: cpu.perRecord,
  };
  const sharedWritesPerBatch =
    per(sums.sharedWriteUnits, sums.sharedItemsWritten) * sharedItemsPerBatch(sums, scale, batchReports);
  const sharedReadsPerBatch = per(sums.sharedReadUnits, sums.batches);
  return {
    reportsPerBatch: batchReports,
    own,
    readUnits: own.readUnits + sharedReadsPerBatch / batchReports,
    writeUnits: own.writeUnits + sharedWritesPerBatch / batchReports,
    cpuMs: own.cpuMs + cpu.fixed / batchReports,
    rounds: rounds.perRecord + rounds.fixed / batchReports,
  };
}

/**
 * The ledger function's usage as the run would have had it with AWS's batches: its reports the
 * run's, each paying `perReport`; requests one a batch; round trips split over its services as
 * measured; log bytes (a line a batch) scaled with the requests. Scaled with the fleet as any
 * function's measured usage is.
 */
export function ledgerUsageAt(fn: FunctionUsage, perReport: LedgerPerReport): FunctionUsage {
  const sums = fn.batches;
  if (sums === undefined || sums.records === 0) return fn;
  const reports = sums.records;
  const requests = reports / perReport.reportsPerBatch;
  const measuredRounds = Object.values(fn.awsRounds).reduce((a, b) => a + b, 0);
  const roundsScale = measuredRounds > 0 ? (perReport.rounds * reports) / measuredRounds : 0;
  return {
    ...fn,
    requests,
    cpuMs: perReport.cpuMs * reports,
    awsRounds: Object.fromEntries(Object.entries(fn.awsRounds).map(([k, v]) => [k, v * roundsScale])),
    readUnits: perReport.readUnits * reports,
    writeUnits: perReport.writeUnits * reports,
    logBytes: fn.requests > 0 ? (fn.logBytes * requests) / fn.requests : fn.logBytes,
  };
}
