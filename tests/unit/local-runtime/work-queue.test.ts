import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { startLocalWorkQueue } from '#local-runtime/work-queue.ts';

describe('local work queue', () => {
  it('delivers every message in SQS-shaped batches of at most batchSize', async () => {
    const batches: SQSEvent[] = [];
    const queue = startLocalWorkQueue(
      async (event) => {
        batches.push(event);
        return { batchItemFailures: [] };
      },
      { name: 'q', batchSize: 10 },
    );
    queue.send(Array.from({ length: 25 }, (_, i) => JSON.stringify({ i })));
    await queue.drained();
    queue.stop();
    expect(batches.map((b) => b.Records.length).sort()).toEqual([10, 10, 5]);
    const bodies = batches.flatMap((b) => b.Records.map((r) => JSON.parse(r.body).i)).sort((a, b) => a - b);
    expect(bodies).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(batches[0]?.Records[0]?.eventSource).toBe('aws:sqs');
  });

  it('redelivers only the items reported as failed, with a growing receive count', async () => {
    const seen: string[] = [];
    let failOnce = true;
    const queue = startLocalWorkQueue(
      async (event) => {
        const failed = event.Records.filter((r) => r.body === 'b' && failOnce);
        for (const r of event.Records) seen.push(`${r.body}#${r.attributes.ApproximateReceiveCount}`);
        if (failed.length > 0) failOnce = false;
        return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.messageId })) };
      },
      { name: 'q', visibilityTimeoutMs: 5 },
    );
    queue.send(['a', 'b']);
    await queue.drained();
    queue.stop();
    expect(seen.sort()).toEqual(['a#1', 'b#1', 'b#2']);
    expect(queue.deadLetters).toEqual([]);
  });

  it('moves a message that keeps failing to the dead letters after maxReceiveCount receives', async () => {
    let calls = 0;
    const queue = startLocalWorkQueue(
      async () => {
        calls += 1;
        throw new Error('poison');
      },
      { name: 'q', visibilityTimeoutMs: 1, maxReceiveCount: 3 },
    );
    queue.send(['poison']);
    await queue.drained();
    queue.stop();
    expect(calls).toBe(3);
    expect(queue.deadLetters.map((d) => d.body)).toEqual(['poison']);
  });

  it('sets no timer while every consumer slot is busy: a finishing batch polls for the next', async () => {
    vi.useFakeTimers();
    try {
      const finish: (() => void)[] = [];
      const queue = startLocalWorkQueue(
        (event) =>
          new Promise((resolve) => {
            finish.push(() => resolve({ batchItemFailures: [] }));
            expect(event.Records).toHaveLength(1);
          }),
        { name: 'q', batchSize: 1, concurrency: 2 },
      );
      queue.send(['a', 'b', 'c']);
      await vi.advanceTimersByTimeAsync(0);
      expect(finish).toHaveLength(2);
      expect(vi.getTimerCount()).toBe(0);
      finish[0]?.();
      await vi.advanceTimersByTimeAsync(0);
      expect(finish).toHaveLength(3);
      for (const done of finish.slice(1)) done();
      const drained = queue.drained();
      await vi.advanceTimersByTimeAsync(0);
      await drained;
      queue.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
