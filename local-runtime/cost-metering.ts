import { AsyncLocalStorage } from 'node:async_hooks';
import { gzipSync } from 'node:zlib';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import type { FunctionDefinition } from '#functions/registry.ts';
import type { IotMetering } from '#local-cloud/index.ts';
import type { CostMeter, MeteredBatch } from '#schedules/cost/usage.ts';
import { functionCpu } from './function-cpu.ts';

/**
 * The ports that feed a cost meter from the local run (docs/cost.md): the IoT stand-in's hooks, an SDK
 * middleware on the DynamoDB client, the functions' invocations and log output, and the local
 * stand-ins of the rules, stream, queue and scheduler. Work is attributed to the function running
 * it through async context, as each Lambda would bill its own: its DynamoDB units, log bytes, CPU
 * time and the round trips to AWS it waits for (the duration model of docs/cost.md).
 */
export interface SiteMetering {
  readonly iot: IotMetering | undefined;
  /**
   * Asks DynamoDB for the consumed capacity of every call and counts it to the running function,
   * with the round trip.
   */
  meterDynamoDb(client: DynamoDBClient): void;
  /** Counts the IoT data plane's round trips (shadow updates, publishes) to the running function. */
  meterIotData(client: IoTDataPlaneClient): void;
  /** The handler, counted as the function's invocations (requests, billed duration) and context. */
  invoked<H extends (event: never) => Promise<unknown>>(fn: FunctionDefinition, handler: H): H;
  ruleTriggered(actions: number): void;
  streamRecord(data: string): void;
  /** Records put to the raw report delivery stream (PutRecordBatch), as Firehose bills them. */
  firehoseRecordsPut(records: readonly string[]): void;
  queueSent(messages: number): void;
  /** One ReceiveMessage and one DeleteMessageBatch per batch an event source mapping delivers. */
  queueBatchReceived(): void;
  schedulerInvoked(fn: FunctionDefinition): void;
  /** Flushes what is buffered (compression of raw reports) and stops watching log output. */
  finish(): void;
}

/**
 * The instant a device sent a stream record (its `ts`): on AWS the record is on the stream within
 * a second of it. The site's clock at the put is not: under a loaded machine's late timers it
 * stands still while a backlog of devices publishes.
 */
function sentAt(data: string): number | undefined {
  const ts = (JSON.parse(data) as { ts?: unknown }).ts;
  return typeof ts === 'number' ? ts : undefined;
}

/** Lambda's default memory in this stack (infra/constructs/handler-function.ts). */
export const DEFAULT_MEMORY_MB = 512;
/** SendMessageBatch takes up to 10 messages. */
const SQS_BATCH = 10;
/** Records gathered before compressing, about what a Firehose buffer holds of them per partition. */
const COMPRESS_EVERY = 1_000;

const READS = new Set([
  'GetItemCommand',
  'BatchGetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'TransactGetItemsCommand',
]);
const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);
/** DynamoDB Local reports a transaction's items at the standard rate; AWS bills them twice that. */
const TRANSACTIONS = new Set(['TransactGetItemsCommand', 'TransactWriteItemsCommand']);

type Consumed = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;
const unitsIn = (consumed: Consumed): number =>
  (Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed]).reduce(
    (sum, c) => sum + (c.CapacityUnits ?? 0),
    0,
  );

/** An AWS request in flight, and the most requests its invocation had in flight meanwhile. */
interface Request {
  peak: number;
}

/**
 * An invocation running, and the AWS requests it has in flight. While any is, the waits make one
 * stretch, worth Σ 1 / (requests in flight together) round trips: k requests sent together are one
 * round trip waited for, N requests sent c at a time (a bounded map) are N / c.
 */
interface Invocation {
  readonly name: string;
  readonly inFlight: Set<Request>;
  services: string[];
  rounds: number;
  /** What the whole invocation did: its batch, if it handles one (`BatchSums`). */
  readonly work: InvocationWork;
}

interface InvocationWork {
  cpuMs: number;
  rounds: number;
  readonly luminaires: Set<string>;
  readonly own: { read: number; write: number };
  readonly shared: { read: number; write: number };
  readonly sharedWritten: Set<string>;
}

const newInvocation = (name: string): Invocation => ({
  name,
  inFlight: new Set(),
  services: [],
  rounds: 0,
  work: {
    cpuMs: 0,
    rounds: 0,
    luminaires: new Set(),
    own: { read: 0, write: 0 },
    shared: { read: 0, write: 0 },
    sharedWritten: new Set(),
  },
});

/** A luminaire's own partition (AP6: its meter, nights, alarms): what each of its reports pays. */
const LUMINAIRE_PARTITION = /#LUM#/;

type Attributes = Record<string, unknown>;
/** A key attribute as the document client or the low-level client gives it. */
const textOf = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof (value as { S?: unknown } | undefined)?.S === 'string'
      ? (value as { S: string }).S
      : undefined;

/** The items (their keys) a DynamoDB request names; none for a Query or a Scan. */
function itemsOf(input: Attributes): Attributes[] {
  const key = (input.Key ?? input.Item) as Attributes | undefined;
  if (key !== undefined) return [key];
  const requests = Object.values((input.RequestItems ?? {}) as Record<string, unknown>).flatMap((table) =>
    Array.isArray(table)
      ? table.map((write: Attributes) => Object.values(write)[0] as Attributes)
      : ((table as { Keys?: Attributes[] }).Keys ?? []).map((k) => ({ Key: k })),
  );
  const transacted = ((input.TransactItems ?? []) as Attributes[]).map(
    (item) => Object.values(item)[0] as Attributes,
  );
  return [...requests, ...transacted].map((request) => (request.Key ?? request.Item) as Attributes);
}

/** Whether every item a request names is a luminaire's own, and the keys it names. */
function classify(input: Attributes): { own: boolean; luminaires: string[]; keys: string[] } {
  const keys = itemsOf(input).map((item) => ({ pk: textOf(item?.pk) ?? '', sk: textOf(item?.sk) ?? '' }));
  const own = keys.length > 0 && keys.every(({ pk }) => LUMINAIRE_PARTITION.test(pk));
  return {
    own,
    luminaires: own ? keys.map(({ pk }) => pk) : [],
    keys: keys.map(({ pk, sk }) => `${pk}|${sk}`),
  };
}

/** Each service the SDK middleware sees, as `awsRounds` and the latency table name it. */
const SERVICES: Record<string, string> = {
  DynamoDBClient: 'dynamodb',
  IoTDataPlaneClient: 'iotdata',
};

export function siteMetering(meter: CostMeter | undefined, now: () => number): SiteMetering {
  if (meter === undefined) return NO_METERING;
  const running = new AsyncLocalStorage<Invocation>();
  const restoreOutput = countFunctionOutput(meter, running);
  const cpu = functionCpu(
    running,
    (invocation) => invocation,
    (invocation, ms) => {
      meter.cpu(invocation.name, ms);
      invocation.work.cpuMs += ms;
    },
  );
  /** DynamoDB units a request consumed, to its function and, by the items it named, to its batch. */
  const consumed = (invocation: Invocation, kind: 'read' | 'write', units: number, input: Attributes) => {
    meter.capacity(invocation.name, kind, units);
    const { work } = invocation;
    const { own, luminaires, keys } = classify(input);
    for (const luminaire of luminaires) work.luminaires.add(luminaire);
    (own ? work.own : work.shared)[kind] += units;
    if (!own && kind === 'write') for (const key of keys) work.sharedWritten.add(key);
  };
  const requested = (invocation: Invocation, service: string): Request => {
    const request = { peak: 0 };
    invocation.inFlight.add(request);
    for (const other of invocation.inFlight) other.peak = Math.max(other.peak, invocation.inFlight.size);
    invocation.services.push(service);
    return request;
  };
  const answered = (invocation: Invocation, request: Request) => {
    invocation.inFlight.delete(request);
    invocation.rounds += 1 / request.peak;
    invocation.work.rounds += 1 / request.peak;
    if (invocation.inFlight.size > 0) return;
    meter.awsRound(invocation.name, invocation.services, invocation.rounds);
    invocation.services = [];
    invocation.rounds = 0;
  };
  const roundTrips =
    <A, R>(next: (args: A) => Promise<R>, context: { clientName?: string }) =>
    async (args: A): Promise<R> => {
      const invocation = running.getStore();
      const service = SERVICES[context.clientName ?? ''];
      if (invocation === undefined || service === undefined) return next(args);
      const request = requested(invocation, service);
      try {
        return await next(args);
      } finally {
        answered(invocation, request);
      }
    };
  const ROUND_TRIPS = { step: 'initialize', name: 'costMeterRoundTrips' } as const;
  let pending: string[] = [];
  const compress = () => {
    if (pending.length > 0) meter.rawReportsCompressed(gzipSync(pending.join('\n')).byteLength);
    pending = [];
  };
  return {
    iot: {
      connected: (clientId) => meter.deviceConnected(clientId, now()),
      disconnected: (clientId) => meter.deviceDisconnected(clientId, now()),
      message: (bytes, kind) => meter.message(bytes, kind),
      basicIngest: () => meter.basicIngest(),
      shadowOperation: (bytes, kind) => meter.shadowOperation(bytes, kind),
    },
    meterDynamoDb(client) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const command = context.commandName ?? '';
          const kind = READS.has(command) ? 'read' : WRITES.has(command) ? 'write' : undefined;
          const invocation = running.getStore();
          if (kind === undefined || invocation === undefined) return next(args);
          const input = args.input as Attributes;
          input.ReturnConsumedCapacity = 'TOTAL';
          const factor = TRANSACTIONS.has(command) ? 2 : 1;
          try {
            const result = await next(args);
            const output = result.output as { ConsumedCapacity?: Consumed };
            consumed(invocation, kind, factor * unitsIn(output.ConsumedCapacity), input);
            return result;
          } catch (error) {
            // A failed condition still costs the write (at least one unit); DynamoDB does not say how many.
            if ((error as Error).name === 'ConditionalCheckFailedException')
              consumed(invocation, 'write', 1, input);
            throw error;
          }
        },
        { step: 'initialize', name: 'costMeterConsumedCapacity' },
      );
      client.middlewareStack.add(roundTrips, ROUND_TRIPS);
    },
    meterIotData: (client) => client.middlewareStack.add(roundTrips, ROUND_TRIPS),
    invoked(fn, handler) {
      meter.declareFunction(
        fn.name,
        fn.trigger.kind === 'schedule' ? 'scheduled' : 'perEvent',
        fn.lambda.memoryMb ?? DEFAULT_MEMORY_MB,
      );
      const metered = (event: never) => {
        const invocation = newInvocation(fn.name);
        return running.run(invocation, async () => {
          const started = performance.now();
          try {
            const result = await cpu.within(invocation, () => handler(event));
            const reason = droppedFor(result);
            if (reason !== undefined) meter.dropped(fn.name, reason);
            return result;
          } finally {
            meter.invocation(fn.name, performance.now() - started);
            const records = (event as { Records?: unknown } | undefined)?.Records;
            if (Array.isArray(records)) meter.batch(fn.name, batchOf(records.length, invocation.work));
          }
        });
      };
      return metered as typeof handler;
    },
    ruleTriggered: (actions) => meter.ruleTriggered(actions),
    streamRecord(data) {
      meter.streamRecord(Buffer.byteLength(data), sentAt(data) ?? now());
      pending.push(data);
      if (pending.length >= COMPRESS_EVERY) compress();
    },
    firehoseRecordsPut(records) {
      for (const record of records) meter.firehoseRecord(Buffer.byteLength(record));
      // The local archive takes them at once; on AWS each PutRecordBatch is a round trip waited for.
      const invocation = running.getStore();
      if (invocation !== undefined) meter.awsRound(invocation.name, ['firehose']);
    },
    queueSent(messages) {
      const batches = Math.ceil(messages / SQS_BATCH);
      meter.sqsRequests(batches);
      // The local queue takes them at once; on AWS each SendMessageBatch is a round trip waited for.
      const invocation = running.getStore();
      for (let i = 0; invocation !== undefined && i < batches; i++) meter.awsRound(invocation.name, ['sqs']);
    },
    queueBatchReceived: () => meter.sqsRequests(2),
    schedulerInvoked: (fn) => meter.schedulerInvocation(fn.name),
    finish() {
      compress();
      restoreOutput();
      cpu.stop();
    },
  };
}

const batchOf = (records: number, work: InvocationWork): MeteredBatch => ({
  records,
  cpuMs: work.cpuMs,
  rounds: work.rounds,
  luminaires: work.luminaires.size,
  own: work.own,
  shared: work.shared,
  sharedWritten: [...work.sharedWritten],
});

/** The reason of an event a handler answered it dropped (presence: `{ status: 'dropped', reason }`). */
function droppedFor(result: unknown): string | undefined {
  const { status, reason } = (result ?? {}) as { status?: unknown; reason?: unknown };
  return status === 'dropped' && typeof reason === 'string' ? reason : undefined;
}

/**
 * Counts the bytes each function writes to stdout and stderr (what Lambda sends to CloudWatch
 * Logs) and keeps them off the console: the handlers log at their deployed level, which would
 * drown a local run's own output. Output outside any function passes through.
 */
function countFunctionOutput(meter: CostMeter, running: AsyncLocalStorage<Invocation>): () => void {
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  streams.forEach((stream, i) => {
    const original = originals[i] as typeof stream.write;
    stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      const fn = running.getStore()?.name;
      if (fn === undefined) return original.call(stream, chunk, ...rest);
      meter.logBytes(fn, typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength);
      return true;
    }) as typeof stream.write;
  });
  return () => {
    streams.forEach((stream, i) => {
      stream.write = originals[i] as typeof stream.write;
    });
  };
}

const NO_METERING: SiteMetering = {
  iot: undefined,
  meterDynamoDb: () => {},
  meterIotData: () => {},
  invoked: (_fn, handler) => handler,
  ruleTriggered: () => {},
  streamRecord: () => {},
  firehoseRecordsPut: () => {},
  queueSent: () => {},
  queueBatchReceived: () => {},
  schedulerInvoked: () => {},
  finish: () => {},
};
