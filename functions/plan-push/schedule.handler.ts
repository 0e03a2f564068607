import { nightOf } from '#schedules/index.ts';
import { sqsClient } from '../shared/clients.ts';
import { PushQueueEnv, readEnv } from '../shared/env.ts';
import { logger } from '../shared/logger.ts';
import { lazyHandler, type Platform, productionPlatform } from '../shared/wiring.ts';
import type { ConfigStore } from '../store/index.ts';
import { LUMINAIRE_SHARDS } from '../store/index.ts';
import type { ChunkMessage } from './chunk-message.ts';
import { type ChunkQueue, makeSqsChunkQueue } from './chunk-queue.ts';
import { type PlanPusher, type PushSummary, planPusherOf } from './plan-pusher.ts';
import { parseScheduleEvent } from './schedule-event.ts';

export interface ScheduleDeps {
  readonly config: Pick<ConfigStore, 'load'>;
  readonly queue: ChunkQueue;
  readonly cabinets: Pick<PlanPusher, 'pushCabinets'>;
}

export interface ScheduleResult {
  readonly night: string;
  readonly runId: string;
  readonly chunks: number;
  /** The connected cabinets' push, done here: a site has tens to a few thousand. */
  readonly cabinets: Omit<PushSummary, 'failed'> & { readonly failed: number };
}

/**
 * Daily: one plan-push chunk per luminaire shard for the night that starts today (site time), and
 * the connected cabinets' plans. A cabinet whose push failed is pushed again the next night (its
 * controller keeps running the plan it has, which covers several nights).
 */
export function makeHandler(deps: ScheduleDeps) {
  return async (event: unknown): Promise<ScheduleResult> => {
    const schedule = parseScheduleEvent(event);
    const config = await deps.config.load();
    const night = schedule.night ?? nightOf(config.site.timezone, Date.parse(schedule.time) / 1000);
    const runId = schedule.executionId ?? `${night}@${schedule.time}`;
    const chunks: ChunkMessage[] = Array.from({ length: LUMINAIRE_SHARDS }, (_, shard) => ({
      night,
      shard,
      runId,
    }));
    // The cabinets first: their push records the contactors the chunks plan from.
    const { failed, ...counts } = await deps.cabinets.pushCabinets(night);
    await deps.queue.enqueue(chunks);
    if (failed.length > 0) logger.warn('cabinet plans not pushed', { night, failed: failed.slice(0, 10) });
    logger.info('plan push enqueued', { night, runId, chunks: chunks.length, cabinets: counts });
    return { night, runId, chunks: chunks.length, cabinets: { ...counts, failed: failed.length } };
  };
}

export const wire = (platform: Platform, queue: ChunkQueue) =>
  makeHandler({ config: platform.stores.config, queue, cabinets: planPusherOf(platform) });

export const handler = lazyHandler(() => {
  const { PUSH_QUEUE_URL } = readEnv(PushQueueEnv);
  return wire(productionPlatform(), makeSqsChunkQueue({ sqs: sqsClient(), queueUrl: PUSH_QUEUE_URL }));
});
