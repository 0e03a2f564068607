import { KB, type RawArchiveBatching, unitsOf } from './usage.ts';

/**
 * The raw archive function's month on AWS at a fleet size (docs/cost.md): its batches, calls and
 * Firehose records, modelled from how it reads the stream and packs reports. A local run's batches
 * say nothing of AWS's: its window is 200 ms of a fast clock, AWS's a minute of real time.
 */

export interface ArchivePuts {
  /** Invocations of the archive function: batches of one shard. */
  readonly batches: number;
  readonly calls: number;
  readonly records: number;
  /** Σ of each record's bytes rounded up to 5 KB, what Firehose bills. */
  readonly billedBytes: number;
  /** Mean reports in a record. */
  readonly reportsPerRecord: number;
}

/**
 * A month of `reports` (mean `reportBytes` each) spread evenly over `shards`: each shard is read in
 * batches of one window, or of `batchSize` when a window holds more; a batch is packed into full
 * records and one partial. Even spread is the mean; a quiet minute makes a smaller batch, whose
 * partial record costs at most one 5 KB block more.
 */
export function archivePutsFor(
  reports: number,
  reportBytes: number,
  shards: number,
  seconds: number,
  batching: RawArchiveBatching,
): ArchivePuts {
  const empty = { batches: 0, calls: 0, records: 0, billedBytes: 0, reportsPerRecord: 0 };
  if (reports <= 0) return empty;
  const perShard = reports / shards;
  const batchesPerShard = Math.min(
    perShard,
    Math.max(seconds / batching.batchWindowSeconds, perShard / batching.batchSize),
  );
  const perBatch = perShard / batchesPerShard;
  const full = Math.floor(perBatch / batching.reportsPerRecord);
  const rest = perBatch - full * batching.reportsPerRecord;
  // Reports one a line: a line break between two.
  const recordBytes = (count: number) => count * (reportBytes + 1) - 1;
  const billed = (count: number) => unitsOf(recordBytes(count), 5 * KB) * 5 * KB;
  const recordsPerBatch = full + (rest > 0 ? 1 : 0);
  const billedPerBatch = full * billed(batching.reportsPerRecord) + (rest > 0 ? billed(rest) : 0);
  const callsPerBatch = Math.max(
    Math.ceil(recordsPerBatch / batching.recordsPerCall),
    Math.ceil(recordBytes(perBatch) / batching.callBytes),
  );
  const batches = shards * batchesPerShard;
  return {
    batches,
    calls: batches * callsPerBatch,
    records: batches * recordsPerBatch,
    billedBytes: batches * billedPerBatch,
    reportsPerRecord: perBatch / recordsPerBatch,
  };
}
