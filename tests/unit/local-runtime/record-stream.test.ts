import type { KinesisStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { startLocalRecordStream } from '#local-runtime/record-stream.ts';

const dataOf = (event: KinesisStreamEvent) =>
  event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString('utf8'));

describe('local record stream (Kinesis stand-in)', () => {
  it('keeps the records of one partition key in order on one shard, in batches of at most batchSize', async () => {
    const batches: KinesisStreamEvent[] = [];
    const stream = startLocalRecordStream(
      async (event) => {
        batches.push(event);
        return { batchItemFailures: [] };
      },
      { name: 's', shards: 4, batchSize: 3 },
    );
    for (let i = 0; i < 10; i++) stream.put(`thing-${i % 2}`, `${i % 2}:${i}`);
    await stream.drained();
    stream.stop();
    expect(Math.max(...batches.map((b) => b.Records.length))).toBeLessThanOrEqual(3);
    for (const key of ['0', '1']) {
      const seen = batches.flatMap(dataOf).filter((d) => d.startsWith(`${key}:`));
      expect(seen).toEqual([0, 2, 4, 6, 8].map((i) => `${key}:${i + Number(key)}`));
      const shards = new Set(
        batches.flatMap((b) =>
          b.Records.filter((r) => r.kinesis.partitionKey === `thing-${key}`).map(
            (r) => r.eventID.split(':')[0],
          ),
        ),
      );
      expect(shards.size).toBe(1);
    }
    const sequences = batches.flatMap((b) => b.Records.map((r) => BigInt(r.kinesis.sequenceNumber)));
    expect(new Set(sequences).size).toBe(10);
    expect(batches[0]?.Records[0]?.eventSource).toBe('aws:kinesis');
  });

  it('resumes a shard at the record reported failed, and delivers a batch that threw again whole', async () => {
    const seen: string[] = [];
    let failAt: string | undefined = 'b';
    let throwOnce = true;
    const stream = startLocalRecordStream(
      async (event) => {
        const data = dataOf(event);
        seen.push(data.join(''));
        if (throwOnce && data.includes('d')) {
          throwOnce = false;
          throw new Error('crash');
        }
        const failed = event.Records.find((_, i) => data[i] === failAt);
        if (failed === undefined) return { batchItemFailures: [] };
        failAt = undefined;
        return { batchItemFailures: [{ itemIdentifier: failed.kinesis.sequenceNumber }] };
      },
      { name: 's', shards: 1, batchSize: 3, retryDelayMs: 1 },
    );
    for (const d of ['a', 'b', 'c', 'd', 'e']) stream.put('one', d);
    await stream.drained();
    stream.stop();
    expect(seen).toEqual(['abc', 'bcd', 'bcd', 'e']);
    expect(stream.stats()).toMatchObject({ put: 5, backlog: 0, givenUp: 0 });
  });
});
