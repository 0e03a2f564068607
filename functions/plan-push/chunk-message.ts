import { z } from 'zod';
import { LocalDate } from '#schedules/index.ts';
import { LUMINAIRE_SHARDS } from '../store/index.ts';

/** One unit of plan-push work, an SQS message body: plan and push one shard's luminaires. */
export const ChunkMessage = z.strictObject({
  night: LocalDate,
  shard: z
    .number()
    .int()
    .min(0)
    .max(LUMINAIRE_SHARDS - 1),
  runId: z.string().min(1).max(128),
});
export type ChunkMessage = z.infer<typeof ChunkMessage>;
