import type { SQSBatchResponse } from 'aws-lambda';
import { z } from 'zod';
import { emfMetrics } from '../shared/emf-metrics.ts';
import { parseInput } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { RecordMetric } from '../shared/metrics.ts';
import { lazyHandler, type Platform, productionPlatform } from '../shared/wiring.ts';
import { ChunkMessage } from './chunk-message.ts';
import { type PlanPusher, planPusherOf, ShardBusy } from './plan-pusher.ts';

const SqsEvent = z.object({
  Records: z.array(z.object({ messageId: z.string().min(1), body: z.string() })).min(1),
});

export interface ChunkDeps {
  readonly pusher: Pick<PlanPusher, 'pushShard'>;
  readonly metrics: RecordMetric;
}

/**
 * Plans and pushes the shards of an SQS batch. A chunk with luminaires still unpushed (throttled
 * past every retry, device shadow refused) is reported as a failed batch item, so SQS delivers it
 * again later; the retry skips what the push state already records.
 */
export function makeHandler(deps: ChunkDeps) {
  return async (event: unknown): Promise<SQSBatchResponse> => {
    const { Records } = parseInput(SqsEvent, event, 'plan-push SQS event');
    const failures: string[] = [];
    for (const record of Records) {
      try {
        const message = parseInput(ChunkMessage, JSON.parse(record.body), `SQS message ${record.messageId}`);
        const summary = await deps.pusher.pushShard(message);
        const { failed, ...counts } = summary;
        // The shadow-throttling alarm: requests beyond the plans pushed are retries.
        deps.metrics('ShadowRequests', counts.requests, {});
        deps.metrics('PlansPushed', counts.pushed, {});
        if (failed.length > 0) {
          failures.push(record.messageId);
          logger.warn('plan-push chunk incomplete', { ...message, ...counts, failed: failed.slice(0, 10) });
        } else logger.info('plan-push chunk done', { ...message, ...counts });
      } catch (error) {
        failures.push(record.messageId);
        if (error instanceof ShardBusy) logger.warn('plan-push chunk busy elsewhere', { shard: error.shard });
        else logger.error('plan-push chunk failed', { messageId: record.messageId, error: error as Error });
      }
    }
    return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

export const wire = (platform: Platform) =>
  makeHandler({ pusher: planPusherOf(platform), metrics: emfMetrics() });

export const handler = lazyHandler(() => wire(productionPlatform()));
