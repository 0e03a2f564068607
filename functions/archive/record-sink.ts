import { type FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';

/** Where the archive function puts its records: the Direct PUT delivery stream, or a local stand-in. */
export interface RawRecordSink {
  /** Puts the records in one PutRecordBatch call; resolves to the indexes of those not taken. */
  putRecordBatch(records: readonly string[]): Promise<readonly number[]>;
}

/** The delivery stream: a record failed when its response carries an error code (`FailedPutCount`). */
export function firehoseRecordSink(client: FirehoseClient, deliveryStreamName: string): RawRecordSink {
  return {
    async putRecordBatch(records) {
      const output = await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: deliveryStreamName,
          Records: records.map((data) => ({ Data: Buffer.from(data, 'utf8') })),
        }),
      );
      if ((output.FailedPutCount ?? 0) === 0) return [];
      return (output.RequestResponses ?? []).flatMap((response, i) =>
        response.ErrorCode === undefined ? [] : [i],
      );
    },
  };
}
