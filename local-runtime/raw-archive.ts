import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { REPORT_DELIMITER } from '#functions/archive/aggregate-records.ts';
import type { RawRecordSink } from '#functions/archive/record-sink.ts';
import {
  RAW_ERRORS_PREFIX,
  rawPartitionOf,
  rawTelemetryPrefix,
} from '#functions/store/raw-archive-layout.ts';

const gzipAsync = promisify(gzip);

/**
 * A local stand-in for the Direct PUT Firehose delivery stream that archives raw telemetry (ADR
 * 0013): the archive function puts records of many reports, one a line; like the deployed record
 * de-aggregation it splits them on the line break, then groups the reports by partition (site, UTC date and hour of
 * the report's `ts`, like the deployed dynamic partitioning), and writes each group as a gzipped
 * newline-delimited JSON object under `<dir>/raw/telemetry/site=…/date=…/hour=…/` when it reaches
 * `bufferBytes` or has waited `bufferMs`, as Firehose's buffering hints do. A record that is not
 * JSON or has no usable `ts` goes under `raw/errors/processing-failed/`.
 */
export interface LocalRawArchiveOptions {
  /** The root the bucket's keys are written under (`npm start`: `data/`). */
  readonly dir: string;
  readonly site: string;
  /** The delivery stream's name, the start of each object's name. */
  readonly name: string;
  readonly bufferBytes?: number;
  readonly bufferMs?: number;
}

export interface LocalRawArchive extends RawRecordSink {
  /** Writes every buffered record now and resolves when all writes are done. */
  flush(): Promise<void>;
  /** Flushes and stops the timers. */
  stop(): Promise<void>;
  /** Records put, the reports they held, objects written, reports the partitioning could not place. */
  stats(): { records: number; reports: number; objects: number; failed: number };
}

interface Pending {
  readonly lines: string[];
  bytes: number;
  readonly timer: NodeJS.Timeout;
}

/** Firehose's smallest buffer size with dynamic partitioning is 64 MiB; locally objects come sooner. */
const DEFAULT_BUFFER_BYTES = 1024 * 1024;
const DEFAULT_BUFFER_MS = 60_000;
/** Epoch seconds up to 2100: a report time the partitioning accepts. */
const MAX_TS = 4_102_444_800;

export function startLocalRawArchive(options: LocalRawArchiveOptions): LocalRawArchive {
  const bufferBytes = options.bufferBytes ?? DEFAULT_BUFFER_BYTES;
  const bufferMs = options.bufferMs ?? DEFAULT_BUFFER_MS;
  const buffers = new Map<string, Pending>();
  const writes = new Set<Promise<void>>();
  let records = 0;
  let reports = 0;
  let objects = 0;
  let failed = 0;

  const prefixOf = (data: string): string => {
    const ts = reportTs(data);
    if (ts !== undefined) {
      const { date, hour } = rawPartitionOf(ts);
      return rawTelemetryPrefix(options.site, date, hour);
    }
    failed++;
    return `${RAW_ERRORS_PREFIX}processing-failed/date=${new Date().toISOString().slice(0, 10)}/`;
  };

  const write = (prefix: string) => {
    const buffer = buffers.get(prefix);
    if (buffer === undefined) return;
    buffers.delete(prefix);
    clearTimeout(buffer.timer);
    const written = writeObject(options, prefix, buffer.lines).then(() => {
      objects++;
      writes.delete(written);
    });
    writes.add(written);
  };

  const put = (data: string) => {
    reports++;
    const prefix = prefixOf(data);
    let buffer = buffers.get(prefix);
    if (buffer === undefined) {
      buffer = { lines: [], bytes: 0, timer: setTimeout(() => write(prefix), bufferMs) };
      buffers.set(prefix, buffer);
    }
    buffer.lines.push(data);
    buffer.bytes += Buffer.byteLength(data) + 1;
    if (buffer.bytes >= bufferBytes) write(prefix);
  };

  return {
    async putRecordBatch(batch) {
      records += batch.length;
      for (const record of batch) for (const data of record.split(REPORT_DELIMITER)) put(data);
      return [];
    },
    async flush() {
      for (const prefix of [...buffers.keys()]) write(prefix);
      await Promise.all(writes);
    },
    async stop() {
      await this.flush();
    },
    stats: () => ({ records, reports, objects, failed }),
  };
}

/** The report's `ts` when the record is a JSON object with a plausible epoch-seconds `ts`. */
function reportTs(data: string): number | undefined {
  try {
    const ts = (JSON.parse(data) as { ts?: unknown } | null)?.ts;
    return typeof ts === 'number' && Number.isFinite(ts) && ts >= 0 && ts < MAX_TS ? ts : undefined;
  } catch {
    return undefined;
  }
}

/** One object, named like Firehose's (`<stream>-<yyyy-MM-dd-HH-mm-ss>-<uuid>.gz`), written whole. */
async function writeObject(options: LocalRawArchiveOptions, prefix: string, lines: readonly string[]) {
  const stamp = new Date().toISOString().slice(0, 19).replace(/[T:]/g, '-');
  const path = join(options.dir, prefix, `${options.name}-${stamp}-${randomUUID()}.gz`);
  await mkdir(dirname(path), { recursive: true });
  // Written aside then renamed, so a reader never sees half an object.
  await writeFile(`${path}.partial`, await gzipAsync(`${lines.join('\n')}\n`));
  await rename(`${path}.partial`, path);
}
