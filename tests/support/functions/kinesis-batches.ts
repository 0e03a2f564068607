/**
 * Batches of one Kinesis shard as a stream handler receives them: each call one batch, the records
 * in the order given, sequence numbers going on from the last (the first record is `first + 1`).
 * An event is sent as JSON, a string as it is (a record that is no JSON).
 */
export function kinesisBatches(first = 100) {
  let sequence = first;
  return (events: readonly unknown[]) => ({
    Records: events.map((event) => {
      sequence++;
      return {
        eventID: `shardId-000000000000:${sequence}`,
        kinesis: {
          sequenceNumber: String(sequence),
          data: Buffer.from(typeof event === 'string' ? event : JSON.stringify(event)).toString('base64'),
        },
      };
    }),
  });
}
