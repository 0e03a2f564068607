import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChunkMessage } from '#functions/plan-push/chunk-message.ts';
import { makeSqsChunkQueue } from '#functions/plan-push/chunk-queue.ts';
import { makeHandler } from '#functions/plan-push/schedule.handler.ts';
import { LUMINAIRE_SHARDS } from '#functions/store/index.ts';
import { eventFixture, testConfig } from '#tests/support/functions/shared/fixtures.ts';
import { memoryConfigStore } from '../shared/memory-stores.ts';

const sqs = mockClient(SQSClient);
// Unit test files share modules (isolate: false): the class's send stays stubbed for later files unless restored.
afterAll(() => sqs.restore());
const QUEUE = 'https://sqs.eu-west-3.amazonaws.com/123456789012/lighting-plan-push';

function collectingQueue() {
  const sent: ChunkMessage[] = [];
  return {
    sent,
    queue: { enqueue: async (messages: readonly ChunkMessage[]) => void sent.push(...messages) },
  };
}

beforeEach(() => {
  sqs.reset();
});

/** A site without connected cabinets. */
const NO_CABINETS = {
  pushCabinets: async (night: string) => ({
    night,
    planned: 0,
    unchanged: 0,
    pushed: 0,
    requests: 0,
    failed: [],
  }),
};

describe('plan-push schedule handler', () => {
  it('enqueues one chunk per luminaire shard for the night starting on the scheduled day, site time', async () => {
    const { sent, queue } = collectingQueue();
    const handler = makeHandler({ config: memoryConfigStore(testConfig()), queue, cabinets: NO_CABINETS });
    const result = await handler(eventFixture('scheduler-plan-push.json'));

    expect(result).toEqual({
      night: '2026-06-21',
      runId: 'c8a1f3d2-5b6e-4c2a-9f0d-3e7b1a2c4d5e',
      chunks: LUMINAIRE_SHARDS,
      cabinets: { night: '2026-06-21', planned: 0, unchanged: 0, pushed: 0, requests: 0, failed: 0 },
    });
    expect(new Set(sent.map((m) => m.shard)).size).toBe(LUMINAIRE_SHARDS);
    expect(sent.every((m) => m.night === '2026-06-21')).toBe(true);
  });

  it('queues the chunks once the cabinets are pushed, as the chunks plan from the contactors that push records', async () => {
    const events: string[] = [];
    const handler = makeHandler({
      config: memoryConfigStore(testConfig()),
      queue: { enqueue: async () => void events.push('chunks queued') },
      cabinets: {
        pushCabinets: async (night) => {
          events.push('cabinets pushed');
          return NO_CABINETS.pushCabinets(night);
        },
      },
    });
    await handler({ scheduledTime: '2026-06-21T11:00:00Z' });
    expect(events).toEqual(['cabinets pushed', 'chunks queued']);
  });

  it('takes the night in the site time zone: 11:30 Paris is still the previous night', async () => {
    const { queue } = collectingQueue();
    const handler = makeHandler({ config: memoryConfigStore(testConfig()), queue, cabinets: NO_CABINETS });
    const result = await handler({ scheduledTime: '2026-06-21T09:30:00Z' });
    expect(result.night).toBe('2026-06-20');
  });

  it('accepts an EventBridge "Scheduled Event" and an explicit night for a re-run', async () => {
    const { queue } = collectingQueue();
    const handler = makeHandler({ config: memoryConfigStore(testConfig()), queue, cabinets: NO_CABINETS });
    expect((await handler(eventFixture('eventbridge-scheduled-event.json'))).runId).toBe(
      '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
    );
    expect(
      (await handler({ scheduledTime: '2026-06-21T11:00:00Z', night: '2026-06-25', executionId: 'manual' }))
        .night,
    ).toBe('2026-06-25');
  });

  it('refuses an event without a time, naming the field', async () => {
    const { queue } = collectingQueue();
    const handler = makeHandler({ config: memoryConfigStore(testConfig()), queue, cabinets: NO_CABINETS });
    await expect(handler({ executionId: 'x' })).rejects.toThrow(/scheduledTime|time/);
  });
});

describe('SQS chunk queue', () => {
  const messages: ChunkMessage[] = Array.from({ length: 25 }, (_, shard) => ({
    night: '2026-06-21',
    shard,
    runId: 'r',
  }));

  it('sends chunks in SendMessageBatch calls of at most 10', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await makeSqsChunkQueue({ sqs: new SQSClient({ region: 'eu-west-3' }), queueUrl: QUEUE }).enqueue(
      messages,
    );
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 5]);
    expect(JSON.parse(calls[0]?.args[0].input.Entries?.[3]?.MessageBody ?? '')).toEqual(messages[3]);
  });

  it('resends the entries SQS failed on its side until they are accepted', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '2', Code: 'InternalError', SenderFault: false }], Successful: [] })
      .resolves({ Failed: [], Successful: [] });
    await makeSqsChunkQueue({ sqs: new SQSClient({ region: 'eu-west-3' }), queueUrl: QUEUE }).enqueue(
      messages.slice(0, 3),
    );
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.Entries).toEqual([{ Id: '2', MessageBody: JSON.stringify(messages[2]) }]);
  });

  it('fails when SQS refuses an entry as the sender’s fault', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Failed: [{ Id: '0', Code: 'InvalidMessageContents', SenderFault: true }], Successful: [] });
    const queue = makeSqsChunkQueue({ sqs: new SQSClient({ region: 'eu-west-3' }), queueUrl: QUEUE });
    await expect(queue.enqueue(messages.slice(0, 1))).rejects.toThrow(/InvalidMessageContents/);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
  });
});
