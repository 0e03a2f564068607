import { describe, expect, it } from 'vitest';
import { makeHandler } from '#functions/plan-push/chunk.handler.ts';
import type { ChunkMessage } from '#functions/plan-push/chunk-message.ts';
import type { PushSummary } from '#functions/plan-push/plan-pusher.ts';
import { eventFixture } from '#tests/support/functions/shared/fixtures.ts';

const noMetrics = () => {};

const done = (night: string): PushSummary => ({
  night,
  planned: 3,
  unchanged: 1,
  pushed: 2,
  requests: 2,
  failed: [],
});

describe('plan-push chunk handler', () => {
  it('pushes every shard of the SQS batch and reports no failure when all went through', async () => {
    const seen: ChunkMessage[] = [];
    const handler = makeHandler({
      pusher: {
        pushShard: async (message) => {
          seen.push(message);
          return done(message.night);
        },
      },
      metrics: noMetrics,
    });
    const response = await handler(eventFixture('sqs-plan-push-chunks.json'));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(seen.map((m) => m.shard)).toEqual([17, 18]);
    expect(seen[0]).toEqual({
      night: '2026-06-21',
      shard: 17,
      runId: 'c8a1f3d2-5b6e-4c2a-9f0d-3e7b1a2c4d5e',
    });
  });

  it('reports a chunk with unpushed luminaires, or one that threw, as a failed batch item', async () => {
    const handler = makeHandler({
      pusher: {
        pushShard: async (message) => {
          if (message.shard === 18) throw new Error('DynamoDB unavailable');
          return {
            ...done(message.night),
            failed: [{ id: 'L-1', reason: 'throttled', message: 'Rate exceeded' }],
          };
        },
      },
      metrics: noMetrics,
    });
    const response = await handler(eventFixture('sqs-plan-push-chunks.json'));
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: '059f36b4-87a3-44ab-83d2-661975830a7d' },
      { itemIdentifier: '2e1424d4-f796-459a-8184-9c92662be6da' },
    ]);
  });

  it('reports a message whose body is not a chunk as failed, naming the bad field', async () => {
    const event = eventFixture<{ Records: { body: string }[] }>('sqs-plan-push-chunks.json');
    const [record] = event.Records;
    if (record === undefined) throw new Error('fixture has no record');
    const handler = makeHandler({ pusher: { pushShard: async (m) => done(m.night) }, metrics: noMetrics });
    const response = await handler({
      Records: [{ ...record, body: '{"night":"2026-06-21","shard":999,"runId":"r"}' }],
    });
    expect(response.batchItemFailures).toHaveLength(1);
  });

  it('counts the shadow requests and plans pushed of every chunk, done or incomplete, for the throttling alarm', async () => {
    const recorded: [string, number][] = [];
    const handler = makeHandler({
      pusher: {
        pushShard: async (message) => ({
          ...done(message.night),
          requests: 5,
          failed: message.shard === 18 ? [{ id: 'L-1', reason: 'throttled', message: 'Rate exceeded' }] : [],
        }),
      },
      metrics: (name, value) => void recorded.push([name, value]),
    });
    await handler(eventFixture('sqs-plan-push-chunks.json'));
    expect(recorded).toEqual([
      ['ShadowRequests', 5],
      ['PlansPushed', 2],
      ['ShadowRequests', 5],
      ['PlansPushed', 2],
    ]);
  });

  it('refuses an event that is not an SQS batch', async () => {
    const handler = makeHandler({ pusher: { pushShard: async (m) => done(m.night) }, metrics: noMetrics });
    await expect(handler({ detail: {} })).rejects.toThrow(/Records/);
  });
});
