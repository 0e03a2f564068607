import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { firehoseRecordSink } from '#functions/archive/record-sink.ts';

const firehose = mockClient(FirehoseClient);
afterEach(() => firehose.reset());

describe('firehoseRecordSink', () => {
  it('puts the records to the named delivery stream in one PutRecordBatch call', async () => {
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [{}, {}] });
    const sink = firehoseRecordSink(
      new FirehoseClient({ region: 'eu-west-3' }),
      'lighting-test-raw-telemetry',
    );
    expect(await sink.putRecordBatch(['{"ts":1}\n{"ts":2}', '{"ts":3}'])).toEqual([]);
    const [call] = firehose.commandCalls(PutRecordBatchCommand);
    expect(call?.args[0].input.DeliveryStreamName).toBe('lighting-test-raw-telemetry');
    expect(call?.args[0].input.Records?.map((r) => Buffer.from(r.Data ?? []).toString())).toEqual([
      '{"ts":1}\n{"ts":2}',
      '{"ts":3}',
    ]);
  });

  it('names the records Firehose did not take, by their error code', async () => {
    firehose.on(PutRecordBatchCommand).resolves({
      FailedPutCount: 2,
      RequestResponses: [
        { ErrorCode: 'ServiceUnavailableException' },
        { RecordId: 'r1' },
        { ErrorCode: 'ServiceUnavailableException' },
      ],
    });
    const sink = firehoseRecordSink(new FirehoseClient({ region: 'eu-west-3' }), 'stream');
    expect(await sink.putRecordBatch(['a', 'b', 'c'])).toEqual([0, 2]);
  });
});
