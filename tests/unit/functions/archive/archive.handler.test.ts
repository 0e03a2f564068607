import { describe, expect, it } from 'vitest';
import { makeHandler } from '#functions/archive/archive.handler.ts';
import type { RawRecordSink } from '#functions/archive/record-sink.ts';

const NO_WAIT = { maxAttempts: 3, baseMs: 0, capMs: 0, sleep: async () => {} };

const reportOf = (i: number) => JSON.stringify({ thing: `lum-${i}`, ts: 1_790_000_000 + i });
const eventOf = (count: number) => ({
  Records: Array.from({ length: count }, (_, i) => ({
    eventID: `shardId-000000000000:${100 + i}`,
    kinesis: { data: Buffer.from(reportOf(i)).toString('base64'), sequenceNumber: String(100 + i) },
  })),
});

/** A delivery stream that records every call and fails as `fail` says (by call number and record index). */
function sinkFailing(fail: (call: number, index: number) => boolean | 'throw') {
  const calls: string[][] = [];
  const sink: RawRecordSink = {
    async putRecordBatch(records) {
      const call = calls.length;
      calls.push([...records]);
      if (fail(call, 0) === 'throw') throw new Error('ServiceUnavailableException');
      return records.flatMap((_, i) => (fail(call, i) === true ? [i] : []));
    },
  };
  return { sink, calls };
}

describe('raw archive handler', () => {
  it('puts a batch of 1,200 reports as three records in one call, and reports no failure', async () => {
    const { sink, calls } = sinkFailing(() => false);
    const response = await makeHandler(sink, NO_WAIT)(eventOf(1_200));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.map((record) => record.split('\n').length)).toEqual([500, 500, 200]);
    expect(calls[0]?.join('\n').split('\n')).toEqual(Array.from({ length: 1_200 }, (_, i) => reportOf(i)));
  });

  it('puts again only the records Firehose did not take, and reports nothing once they are in', async () => {
    const { sink, calls } = sinkFailing((call, index) => call === 0 && index === 1);
    const response = await makeHandler(sink, NO_WAIT)(eventOf(1_200));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(calls.map((call) => call.length)).toEqual([3, 1]);
    expect(calls[1]?.[0]).toBe(calls[0]?.[1]);
  });

  it('resumes the shard at the first report of the first record still failing after every try', async () => {
    const { sink, calls } = sinkFailing((call, index) => (call === 0 ? index >= 1 : true));
    const response = await makeHandler(sink, NO_WAIT)(eventOf(1_200));
    // Records 1 and 2 (reports 500 on) never went in: the stream gives them back from report 500.
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '600' }] });
    expect(calls.map((call) => call.length)).toEqual([3, 2, 2]);
  });

  it('treats a call that throws as all its records failed, and retries it', async () => {
    const { sink, calls } = sinkFailing((call) => (call === 0 ? 'throw' : false));
    expect(await makeHandler(sink, NO_WAIT)(eventOf(10))).toEqual({ batchItemFailures: [] });
    expect(calls).toHaveLength(2);
    const failing = sinkFailing(() => 'throw');
    expect(await makeHandler(failing.sink, NO_WAIT)(eventOf(10))).toEqual({
      batchItemFailures: [{ itemIdentifier: '100' }],
    });
  });

  it('refuses an event that is not a stream batch, naming it', async () => {
    const { sink } = sinkFailing(() => false);
    await expect(makeHandler(sink, NO_WAIT)({ Records: [] })).rejects.toThrow(/telemetry stream event/);
  });
});
