import type { KinesisStreamBatchResponse } from 'aws-lambda';
import { type BackoffOptions, withBackoff } from '../shared/backoff.ts';
import { firehoseClient } from '../shared/clients.ts';
import { RawArchiveEnv, readEnv } from '../shared/env.ts';
import { parseInput } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { lazyHandler } from '../shared/wiring.ts';
import { KinesisEvent } from '../telemetry/ledger.handler.ts';
import { type AggregatedRecord, aggregateRecords, putCalls } from './aggregate-records.ts';
import { firehoseRecordSink, type RawRecordSink } from './record-sink.ts';

/**
 * The raw archive's reader of the telemetry stream (ADR 0013, decision update of 2026-11-30): its
 * own event source mapping, its own checkpoint, nothing shared with the ledger. Each batch of one
 * shard goes to the Direct PUT delivery stream as few records as Firehose's limits allow; records
 * Firehose did not take are put again with backoff, and if some still fail the shard resumes at the
 * first report of the first of them. Reports after it that were taken are archived again then: the
 * archive keeps duplicates anyway (ADR 0013, 3.), and the named query drops them.
 */

/** A few quick tries: a batch still failing comes back from the stream with the mapping's own retries. */
export const ARCHIVE_BACKOFF: BackoffOptions = { maxAttempts: 4, baseMs: 100, capMs: 2_000 };

/** The records of one call that Firehose has not taken after every try (all of them if the call threw). */
async function putWithRetries(
  sink: RawRecordSink,
  call: readonly AggregatedRecord[],
  backoff: BackoffOptions,
): Promise<readonly AggregatedRecord[]> {
  let pending = call;
  const { result } = await withBackoff(
    async () => {
      try {
        const failed = new Set(await sink.putRecordBatch(pending.map((r) => r.data)));
        pending = pending.filter((_, i) => failed.has(i));
      } catch (error) {
        logger.warn('raw archive put failed', { error: String(error), records: pending.length });
      }
      return pending;
    },
    (unsent) => unsent.length > 0,
    backoff,
  );
  return result;
}

export function makeHandler(sink: RawRecordSink, backoff = ARCHIVE_BACKOFF) {
  return async (event: unknown): Promise<KinesisStreamBatchResponse> => {
    const { Records } = parseInput(KinesisEvent, event, 'telemetry stream event');
    const records = aggregateRecords(
      Records.map(({ kinesis }) => Buffer.from(kinesis.data, 'base64').toString('utf8')),
    );
    let resumeAt: number | undefined;
    for (const call of putCalls(records)) {
      const unsent = await putWithRetries(sink, call, backoff);
      if (unsent.length > 0) {
        resumeAt = Math.min(...unsent.map((r) => r.firstReport));
        break;
      }
    }
    const resume = resumeAt === undefined ? undefined : Records[resumeAt]?.kinesis.sequenceNumber;
    logger.info('raw archive batch', { reports: Records.length, records: records.length, resumeAt });
    return { batchItemFailures: resume === undefined ? [] : [{ itemIdentifier: resume }] };
  };
}

export const wire = (sink: RawRecordSink) => makeHandler(sink);

export const handler = lazyHandler(() => {
  const { RAW_REPORT_DELIVERY_STREAM } = readEnv(RawArchiveEnv);
  return wire(firehoseRecordSink(firehoseClient(), RAW_REPORT_DELIVERY_STREAM));
});
