import { createHash } from 'node:crypto';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

/**
 * An in-process stand-in for a Kinesis data stream with a Lambda event source mapping (the IoT
 * telemetry rule's target, ADR 0008): a record goes to the shard its partition key hashes to (MD5,
 * as Kinesis does) and gets an increasing sequence number; each shard is read in order by one
 * consumer at a time (parallelization factor 1), in batches of at most `batchSize`, as a
 * `KinesisStreamEvent`. A batch that throws is delivered again from its first record after
 * `retryDelayMs`; one that reports `batchItemFailures` resumes at the lowest reported sequence
 * number, as `ReportBatchItemFailures` does. The SQS work queue (work-queue.ts) cannot play this
 * part: SQS neither keeps order nor resumes at a position.
 */
export interface LocalRecordStreamOptions {
  readonly name: string;
  readonly shards?: number;
  readonly batchSize?: number;
  /** How long a shard gathers records before a batch smaller than `batchSize` goes (0: at once). */
  readonly batchWindowMs?: number;
  readonly retryDelayMs?: number;
  /** Attempts of one batch before its records are given up (the mapping's on-failure destination). */
  readonly maxAttempts?: number;
}

export type StreamConsumer = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | undefined>;

export interface LocalRecordStream {
  put(partitionKey: string, data: string): void;
  /** Resolves when every shard has been read to its end. */
  drained(): Promise<void>;
  stats(): { put: number; backlog: number; retried: number; givenUp: number };
  stop(): void;
}

interface Shard {
  readonly id: string;
  readonly records: KinesisStreamRecord[];
  /** Index of the next record to deliver. */
  checkpoint: number;
  busy: boolean;
  /** A poll is due at the end of the batching window. */
  waiting: boolean;
  attempts: number;
}

/** Kinesis sequence numbers are long decimal strings; these keep their shape (56 digits). */
const SEQUENCE_BASE = 49_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000n;

export function startLocalRecordStream(
  consumer: StreamConsumer,
  options: LocalRecordStreamOptions,
): LocalRecordStream {
  const batchSize = options.batchSize ?? 500;
  const batchWindowMs = options.batchWindowMs ?? 0;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const maxAttempts = options.maxAttempts ?? 10;
  const arn = `arn:aws:kinesis:local:000000000000:stream/${options.name}`;
  const shards: Shard[] = Array.from({ length: options.shards ?? 4 }, (_, i) => ({
    id: `shardId-${String(i).padStart(12, '0')}`,
    records: [],
    checkpoint: 0,
    busy: false,
    waiting: false,
    attempts: 0,
  }));
  let sequence = SEQUENCE_BASE;
  let put = 0;
  let retried = 0;
  let givenUp = 0;
  let stopped = false;
  let waiters: (() => void)[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const shardOf = (partitionKey: string): Shard => {
    const hash = createHash('md5').update(partitionKey).digest().readUInt32BE(0);
    return shards[Math.floor((hash / 2 ** 32) * shards.length)] as Shard;
  };

  const settle = () => {
    if (shards.every((s) => !s.busy && s.checkpoint === s.records.length)) {
      for (const resolve of waiters) resolve();
      waiters = [];
    }
  };

  const later = (shard: Shard, delayMs: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      poll(shard);
    }, delayMs);
    timers.add(timer);
  };

  function poll(shard: Shard): void {
    if (stopped || shard.busy || shard.checkpoint >= shard.records.length) {
      settle();
      return;
    }
    const waiting = shard.records.length - shard.checkpoint;
    const oldest = (shard.records[shard.checkpoint] as KinesisStreamRecord).kinesis
      .approximateArrivalTimestamp;
    const due = oldest * 1000 + batchWindowMs - Date.now();
    if (waiting < batchSize && due > 0 && shard.attempts === 0) {
      if (!shard.waiting) {
        shard.waiting = true;
        later(shard, due);
      }
      return;
    }
    shard.waiting = false;
    shard.busy = true;
    const batch = shard.records.slice(shard.checkpoint, shard.checkpoint + batchSize);
    const resume = (index: number) => {
      shard.busy = false;
      if (index === shard.checkpoint) {
        shard.attempts++;
        retried++;
        if (shard.attempts >= maxAttempts) {
          givenUp += batch.length;
          shard.checkpoint += batch.length;
          shard.attempts = 0;
          poll(shard);
        } else later(shard, retryDelayMs);
        return;
      }
      shard.checkpoint = index;
      shard.attempts = 0;
      poll(shard);
    };
    consumer({ Records: batch })
      .then((response) => {
        const failed = (response?.batchItemFailures ?? [])
          .map(({ itemIdentifier }) => batch.findIndex((r) => r.kinesis.sequenceNumber === itemIdentifier))
          .filter((i) => i >= 0);
        resume(shard.checkpoint + (failed.length === 0 ? batch.length : Math.min(...failed)));
      })
      .catch(() => resume(shard.checkpoint));
  }

  return {
    put(partitionKey, data) {
      const shard = shardOf(partitionKey);
      sequence += 1n;
      put++;
      shard.records.push({
        awsRegion: 'local',
        eventID: `${shard.id}:${sequence}`,
        eventName: 'aws:kinesis:record',
        eventSource: 'aws:kinesis',
        eventSourceARN: arn,
        eventVersion: '1.0',
        invokeIdentityArn: 'arn:aws:iam::000000000000:role/local',
        kinesis: {
          approximateArrivalTimestamp: Date.now() / 1000,
          data: Buffer.from(data, 'utf8').toString('base64'),
          kinesisSchemaVersion: '1.0',
          partitionKey,
          sequenceNumber: String(sequence),
        },
      });
      // Read records are dropped from memory; the stream keeps no history locally.
      if (shard.checkpoint > 10_000 && !shard.busy) {
        shard.records.splice(0, shard.checkpoint);
        shard.checkpoint = 0;
      }
      queueMicrotask(() => poll(shard));
    },
    drained() {
      return new Promise((resolve) => {
        waiters.push(resolve);
        settle();
      });
    },
    stats: () => ({
      put,
      backlog: shards.reduce((sum, s) => sum + s.records.length - s.checkpoint, 0),
      retried,
      givenUp,
    }),
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
