import {
  BatchGetItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { IoTDataPlaneClient, UpdateThingShadowCommand } from '@aws-sdk/client-iot-data-plane';
import { afterEach, describe, expect, it } from 'vitest';
import { functionNamed } from '#functions/registry.ts';
import { mapBounded } from '#functions/shared/backoff.ts';
import { type SiteMetering, siteMetering } from '#local-runtime/cost-metering.ts';
import { CostMeter } from '#schedules/cost/usage.ts';

/** A DynamoDB client answered in process: each call gets `answer(command name)` as its output. */
function fakeDynamo(answer: (command: string, input: Record<string, unknown>) => Record<string, unknown>) {
  const client = new DynamoDBClient({
    region: 'local',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  client.middlewareStack.add(
    (_next, context) => async (args) => ({
      output: { $metadata: {}, ...answer(context.commandName ?? '', args.input as Record<string, unknown>) },
      response: {},
    }),
    { step: 'serialize', name: 'answerInProcess' },
  );
  return client;
}

/** An IoT data plane client answered in process, after `delayMs`. */
function fakeIotData(delayMs: number) {
  const client = new IoTDataPlaneClient({
    region: 'local',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  client.middlewareStack.add(
    () => async () => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return { output: { $metadata: {} }, response: {} };
    },
    { step: 'serialize', name: 'answerInProcess' },
  );
  return client;
}

/** CPU-bound work the same every time (no clock in it), and what it costs here. */
const burn = () => {
  let sum = 0;
  for (let i = 0; i < 2_000_000; i++) sum += Math.sqrt(i);
  return sum;
};
const cpuMsOf = (work: () => number) => {
  const before = process.cpuUsage();
  work();
  const { user, system } = process.cpuUsage(before);
  return (user + system) / 1000;
};

const telemetry = functionNamed('telemetry', 'iot-stream');
const sweep = functionNamed('alarm-sweep', 'schedule');
let metering: SiteMetering | undefined;
afterEach(() => metering?.finish());

describe('the cost metering of a local site', () => {
  it('asks DynamoDB for consumed capacity and counts it to the function running, transactions twice', async () => {
    const meter = new CostMeter();
    metering = siteMetering(meter, () => 0);
    const inputs: Record<string, unknown>[] = [];
    const client = fakeDynamo((command, input) => {
      inputs.push(input);
      return command === 'TransactWriteItemsCommand'
        ? { ConsumedCapacity: [{ TableName: 't', CapacityUnits: 2 }] }
        : { ConsumedCapacity: { TableName: 't', CapacityUnits: command === 'GetItemCommand' ? 0.5 : 1 } };
    });
    metering.meterDynamoDb(client);
    const handler = metering.invoked(telemetry, async (_event: unknown) => {
      await client.send(new GetItemCommand({ TableName: 't', Key: {} }));
      await client.send(new PutItemCommand({ TableName: 't', Item: {} }));
      await client.send(new TransactWriteItemsCommand({ TransactItems: [] }));
      return { batchItemFailures: [] };
    });
    await handler({} as never);
    // Outside any function (seeding the store): not the night's bill.
    await client.send(new PutItemCommand({ TableName: 't', Item: {} }));
    expect(inputs.slice(0, 3).every((input) => input.ReturnConsumedCapacity === 'TOTAL')).toBe(true);
    expect(meter.snapshot(0).functions.telemetry).toMatchObject({
      requests: 1,
      readUnits: 0.5,
      writeUnits: 1 + 4,
    });
  });

  it('counts a write refused by its condition as a write unit, and passes the error on', async () => {
    const meter = new CostMeter();
    metering = siteMetering(meter, () => 0);
    const client = fakeDynamo(() => {
      throw Object.assign(new Error('refused'), { name: 'ConditionalCheckFailedException' });
    });
    metering.meterDynamoDb(client);
    const handler = metering.invoked(telemetry, (_event: unknown) =>
      client.send(new PutItemCommand({ TableName: 't', Item: {} })),
    );
    await expect(handler({} as never)).rejects.toThrow('refused');
    expect(meter.snapshot(0).functions.telemetry).toMatchObject({ requests: 1, writeUnits: 1 });
  });

  it("splits a batch's units into its luminaires' own items and the others, counting each other item written once", async () => {
    const meter = new CostMeter();
    metering = siteMetering(meter, () => 0);
    const client = fakeDynamo((command) => ({
      ConsumedCapacity: { TableName: 't', CapacityUnits: command === 'QueryCommand' ? 0.5 : 1 },
    }));
    metering.meterDynamoDb(client);
    const lum = (id: string, sk: string) => ({ pk: { S: `SITE#s#LUM#${id}` }, sk: { S: sk } });
    const zone = { pk: { S: 'SITE#s#ZONEDAY#2026-03' }, sk: { S: '2026-03-20#cite#0' } };
    const handler = metering.invoked(telemetry, async (_event: unknown) => {
      await client.send(
        new BatchGetItemCommand({ RequestItems: { t: { Keys: [lum('a', 'DAY#1'), lum('b', 'DAY#1')] } } }),
      );
      await client.send(new QueryCommand({ TableName: 't', KeyConditionExpression: 'pk = :pk' }));
      await client.send(new UpdateItemCommand({ TableName: 't', Key: lum('a', 'DAY#1') }));
      await client.send(new UpdateItemCommand({ TableName: 't', Key: zone }));
      await client.send(new UpdateItemCommand({ TableName: 't', Key: zone }));
    });
    await handler({ Records: [1, 2, 3] } as never);
    await handler({ Records: [4] } as never);
    expect(meter.snapshot(0).functions.telemetry?.batches).toMatchObject({
      batches: 2,
      records: 4,
      recordsSquared: 10,
      luminaireVisits: 4,
      ownReadUnits: 2,
      ownWriteUnits: 2,
      sharedReadUnits: 1,
      sharedWriteUnits: 4,
      sharedItemsWritten: 2,
      sharedItems: 1,
      sharedKinds: { ZONEDAY: { batches: 2, written: 2, items: 1 } },
    });
  });

  it('counts the events a handler answers it dropped, by reason', async () => {
    const meter = new CostMeter();
    metering = siteMetering(meter, () => 0);
    const handler = metering.invoked(telemetry, async (event: { late: boolean }) =>
      event.late ? { status: 'dropped', reason: 'late' } : { status: 'processed' },
    );
    for (const late of [true, false, true]) await handler({ late } as never);
    expect(meter.snapshot(0).functions.telemetry?.dropped).toEqual({ late: 2 });
  });

  it('bills each invocation at the memory the registry gives the function, a scheduled one as such', async () => {
    const meter = new CostMeter();
    metering = siteMetering(meter, () => 0);
    const handler = metering.invoked(
      sweep,
      async (_event: unknown) => new Promise((resolve) => setTimeout(resolve, 20)),
    );
    await handler({} as never);
    const usage = meter.snapshot(0).functions['alarm-sweep'];
    expect(usage).toMatchObject({ runs: 'scheduled', memoryMb: 1024, requests: 1 });
    expect(usage?.gbSeconds).toBeGreaterThanOrEqual(0.019);
  });

  it('counts the bytes a function writes to its output instead of printing them', async () => {
    const meter = new CostMeter();
    metering = siteMetering(meter, () => 0);
    const line = '{"level":"INFO","message":"batch"}\n';
    const handler = metering.invoked(telemetry, async (_event: unknown) => {
      process.stdout.write(line);
      process.stderr.write(Buffer.from('é\n'));
    });
    await handler({} as never);
    metering.finish();
    expect(meter.snapshot(0).functions.telemetry?.logBytes).toBe(line.length + 3);
  });

  it('counts connection-minutes on the site’s clock and records to the stream with their compressed size', () => {
    const meter = new CostMeter();
    let now = 1_000;
    metering = siteMetering(meter, () => now);
    metering.iot?.connected('lum-1');
    now += 600;
    metering.iot?.disconnected('lum-1');
    metering.streamRecord('{"thing":"lum-1","energyWh":10}');
    metering.finish();
    const usage = meter.snapshot(now);
    expect(usage.iot.connectionMinutes).toBe(10);
    expect(usage.kinesis.records).toBe(1);
    expect(usage.firehose.compressedBytes).toBeGreaterThan(0);
  });

  it('counts the records put to the delivery stream as Firehose bills them, one 5 KB block at least each', () => {
    const meter = new CostMeter();
    metering = siteMetering(meter, () => 0);
    metering.firehoseRecordsPut(['x'.repeat(100), 'y'.repeat(6 * 1024)]);
    metering.finish();
    expect(meter.snapshot(0).firehose).toMatchObject({ records: 2, billedBytes: 3 * 5 * 1024 });
  });

  it('counts a stream record in the minute its device sent it, not the minute the site’s clock shows at the put', () => {
    const meter = new CostMeter();
    metering = siteMetering(meter, () => 7_200);
    for (const ts of [60, 90, 119, 3_600]) metering.streamRecord(JSON.stringify({ thing: 'lum-1', ts }));
    metering.finish();
    expect(meter.snapshot(7_200).kinesis).toMatchObject({ records: 4, peakMinuteRecords: 3 });
  });

  it('meters SendMessageBatch by tens, and a receive and a delete per batch delivered', () => {
    const meter = new CostMeter();
    metering = siteMetering(meter, () => 0);
    metering.queueSent(25);
    metering.queueBatchReceived();
    expect(meter.snapshot(0).sqsRequests).toBe(3 + 2);
  });

  it('charges a function the CPU its own code spends, not what the process does while it waits', async () => {
    const meter = new CostMeter();
    metering = siteMetering(meter, () => 0);
    burn();
    // A burst's cost, the median of bursts measured before and after the handler runs: a burst that
    // shares its core with other work costs more, and one such taken as the unit would let the
    // handler's own two bursts look like fewer than 1.5.
    const bursts = [cpuMsOf(burn), cpuMsOf(burn), cpuMsOf(burn)];
    const handler = metering.invoked(telemetry, async (_event: unknown) => {
      burn();
      await new Promise((resolve) => setTimeout(resolve, 50));
      burn();
    });
    // Seven times the handler's work, elsewhere in the process while the handler waits: charging it
    // would give 16 bursts, far above the bound, while a loaded machine's slower bursts (GC and other
    // threads are in the process's CPU time) stay far below it.
    const elsewhere = new Promise<void>((resolve) =>
      setTimeout(() => {
        for (let i = 0; i < 14; i++) burn();
        resolve();
      }, 10),
    );
    await Promise.all([handler({} as never), elsewhere]);
    bursts.push(cpuMsOf(burn), cpuMsOf(burn));
    const once = bursts.sort((a, b) => a - b)[2] ?? Number.NaN;
    const cpuMs = meter.snapshot(0).functions.telemetry?.cpuMs ?? 0;
    expect(cpuMs).toBeGreaterThan(1.5 * once);
    expect(cpuMs).toBeLessThan(8 * once);
  });

  it('counts the round trips an invocation waits for, requests in flight together as one', async () => {
    const meter = new CostMeter();
    metering = siteMetering(meter, () => 0);
    const dynamo = fakeDynamo(() => ({}));
    const iot = fakeIotData(5);
    metering.meterDynamoDb(dynamo);
    metering.meterIotData(iot);
    const get = () => dynamo.send(new GetItemCommand({ TableName: 't', Key: {} }));
    const update = () =>
      iot.send(new UpdateThingShadowCommand({ thingName: 'lum-1', payload: new Uint8Array() }));
    const handler = metering.invoked(telemetry, async (_event: unknown) => {
      await Promise.all([get(), get(), get()]);
      await update();
      await Promise.all([get(), update()]);
      metering?.queueSent(15);
    });
    await handler({} as never);
    expect(meter.snapshot(0).functions.telemetry?.awsRounds).toEqual({
      dynamodb: 1,
      iotdata: 1,
      'dynamodb+iotdata': 1,
      sqs: 2,
    });
  });

  it('counts N requests sent c at a time as N / c round trips, as a Lambda waits for them', async () => {
    const meter = new CostMeter();
    metering = siteMetering(meter, () => 0);
    const iot = fakeIotData(5);
    metering.meterIotData(iot);
    const update = () =>
      iot.send(new UpdateThingShadowCommand({ thingName: 'lum-1', payload: new Uint8Array() }));
    const handler = metering.invoked(sweep, async (_event: unknown) => {
      await mapBounded(Array.from({ length: 32 }), 4, update);
    });
    await handler({} as never);
    expect(meter.snapshot(0).functions['alarm-sweep']?.awsRounds.iotdata).toBeCloseTo(8, 0);
  });
});
