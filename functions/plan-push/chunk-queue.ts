import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { withBackoff } from '../shared/backoff.ts';
import type { ChunkMessage } from './chunk-message.ts';

/** Port: where plan-push chunks are queued (SQS on AWS, an in-process queue locally). */
export interface ChunkQueue {
  enqueue(messages: readonly ChunkMessage[]): Promise<void>;
}

/** SQS takes at most 10 entries per SendMessageBatch. */
const SQS_BATCH = 10;
const FAILED_ENTRY_BACKOFF = { maxAttempts: 6, baseMs: 100, capMs: 3_000 };

export function makeSqsChunkQueue({ sqs, queueUrl }: { sqs: SQSClient; queueUrl: string }): ChunkQueue {
  async function sendBatch(batch: readonly ChunkMessage[]): Promise<void> {
    let pending = batch.map((message, index) => ({
      Id: String(index),
      MessageBody: JSON.stringify(message),
    }));
    const { result } = await withBackoff(
      async () => {
        const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }));
        const failed = new Set((out.Failed ?? []).map((entry) => entry.Id));
        pending = pending.filter((entry) => failed.has(entry.Id));
        return out.Failed ?? [];
      },
      (failures) => failures.length > 0 && failures.every((failure) => !failure.SenderFault),
      FAILED_ENTRY_BACKOFF,
    );
    if (result.length > 0) {
      const first = result[0];
      throw new Error(`SQS refused ${result.length} plan-push chunks: ${first?.Code}: ${first?.Message}`);
    }
  }

  return {
    async enqueue(messages) {
      const batches: ChunkMessage[][] = [];
      for (let i = 0; i < messages.length; i += SQS_BATCH) batches.push(messages.slice(i, i + SQS_BATCH));
      await Promise.all(batches.map(sendBatch));
    },
  };
}
