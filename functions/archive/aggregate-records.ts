/**
 * Packs raw reports into Firehose records and PutRecordBatch calls (ADR 0013, decision update of
 * 2026-11-30): Firehose bills every record as at least 5 KB, so one ~230-byte report a record paid
 * twenty times its size. A record holds reports one a line (the delivery stream de-aggregates on
 * the line break before partitioning), as many as Firehose's limits allow. Pure: no I/O.
 */

/** Firehose's limits (PutRecordBatch and record de-aggregation), in bytes and counts. */
export interface RecordLimits {
  /** A record's data: at most 1,000 KiB. */
  readonly recordBytes: number;
  /** Sub-records one record de-aggregates into: at most 500. */
  readonly reportsPerRecord: number;
  /** Records of one PutRecordBatch call: at most 500. */
  readonly recordsPerCall: number;
  /** Data of one PutRecordBatch call: at most 4 MiB. */
  readonly callBytes: number;
}

export const FIREHOSE_LIMITS: RecordLimits = {
  recordBytes: 1_000 * 1024,
  reportsPerRecord: 500,
  recordsPerCall: 500,
  callBytes: 4 * 1024 * 1024,
};

/** The line break the delivery stream splits records on (its `Delimiter`, base64 `Cg==`). */
export const REPORT_DELIMITER = '\n';

/** One Firehose record: its data, and the index of the first report it holds. */
export interface AggregatedRecord {
  readonly data: string;
  readonly firstReport: number;
  readonly reports: number;
}

/**
 * A report as one line: a line break inside would split it in two records on de-aggregation. In
 * JSON a raw line break can only be whitespace between tokens, so a space keeps valid JSON valid.
 */
export const asLine = (report: string): string => report.replace(/\r?\n|\r/g, ' ');

/**
 * The reports, in order, packed greedily into records of at most `reportsPerRecord` lines and
 * `recordBytes` bytes (a report alone larger than that is a record of its own: IoT messages are at
 * most 128 KB, so none is). Order is kept so a failed record names the first report to read again.
 */
export function aggregateRecords(reports: readonly string[], limits = FIREHOSE_LIMITS): AggregatedRecord[] {
  const records: AggregatedRecord[] = [];
  let lines: string[] = [];
  let bytes = 0;
  let first = 0;
  const close = () => {
    if (lines.length > 0)
      records.push({ data: lines.join(REPORT_DELIMITER), firstReport: first, reports: lines.length });
    first += lines.length;
    lines = [];
    bytes = 0;
  };
  for (const report of reports) {
    const line = asLine(report);
    const lineBytes = Buffer.byteLength(line) + (lines.length > 0 ? 1 : 0);
    if (
      lines.length >= limits.reportsPerRecord ||
      (lines.length > 0 && bytes + lineBytes > limits.recordBytes)
    )
      close();
    lines.push(line);
    bytes += lines.length > 1 ? lineBytes : Buffer.byteLength(line);
  }
  close();
  return records;
}

/** The records grouped into PutRecordBatch calls, in order, each within the call's count and size. */
export function putCalls<R extends { readonly data: string }>(
  records: readonly R[],
  limits = FIREHOSE_LIMITS,
): R[][] {
  const calls: R[][] = [];
  let call: R[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = Buffer.byteLength(record.data);
    if (call.length >= limits.recordsPerCall || (call.length > 0 && bytes + size > limits.callBytes)) {
      calls.push(call);
      call = [];
      bytes = 0;
    }
    call.push(record);
    bytes += size;
  }
  if (call.length > 0) calls.push(call);
  return calls;
}
