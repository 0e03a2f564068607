import { AsyncLocalStorage } from 'node:async_hooks';
import { gzipSync } from 'node:zlib';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FunctionDefinition } from '#functions/registry.ts';
import type { IotMetering } from '#local-cloud/index.ts';
import type { CostMeter } from '#schedules/cost/usage.ts';

/**
 * The ports that feed a cost meter from the local run (docs/cost.md): the IoT stand-in's hooks, an SDK
 * middleware on the DynamoDB client, the functions' invocations and log output, and the local
 * stand-ins of the rules, stream, queue and scheduler. Work is attributed to the function running
 * it through async context, as each Lambda would bill its own.
 */
export interface SiteMetering {
  readonly iot: IotMetering | undefined;
  /** Asks DynamoDB for the consumed capacity of every call and counts it to the running function. */
  meterDynamoDb(client: DynamoDBClient): void;
  /** The handler, counted as the function's invocations (requests, billed duration) and context. */
  invoked<H extends (event: never) => Promise<unknown>>(fn: FunctionDefinition, handler: H): H;
  ruleTriggered(actions: number): void;
  streamRecord(data: string): void;
  queueSent(messages: number): void;
  /** One ReceiveMessage and one DeleteMessageBatch per batch an event source mapping delivers. */
  queueBatchReceived(): void;
  schedulerInvoked(fn: FunctionDefinition): void;
  /** Flushes what is buffered (compression of raw reports) and stops watching log output. */
  finish(): void;
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

export function siteMetering(meter: CostMeter | undefined, now: () => number): SiteMetering {
  if (meter === undefined) return NO_METERING;
  const running = new AsyncLocalStorage<string>();
  const restoreOutput = countFunctionOutput(meter, running);
  let pending: string[] = [];
  const compress = () => {
    if (pending.length > 0) meter.rawReportsCompressed(gzipSync(pending.join('\n')).byteLength);
    pending = [];
  };
  return {
    iot: {
      connected: (clientId) => meter.deviceConnected(clientId, now()),
      disconnected: (clientId) => meter.deviceDisconnected(clientId, now()),
      message: (bytes) => meter.message(bytes),
      basicIngest: () => meter.basicIngest(),
      shadowOperation: (bytes) => meter.shadowOperation(bytes),
    },
    meterDynamoDb(client) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const command = context.commandName ?? '';
          const kind = READS.has(command) ? 'read' : WRITES.has(command) ? 'write' : undefined;
          const fn = running.getStore();
          if (kind === undefined || fn === undefined) return next(args);
          (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
          const factor = TRANSACTIONS.has(command) ? 2 : 1;
          try {
            const result = await next(args);
            const output = result.output as { ConsumedCapacity?: Consumed };
            meter.capacity(fn, kind, factor * unitsIn(output.ConsumedCapacity));
            return result;
          } catch (error) {
            // A failed condition still costs the write (at least one unit); DynamoDB does not say how many.
            if ((error as Error).name === 'ConditionalCheckFailedException') meter.capacity(fn, 'write', 1);
            throw error;
          }
        },
        { step: 'initialize', name: 'costMeterConsumedCapacity' },
      );
    },
    invoked(fn, handler) {
      meter.declareFunction(
        fn.name,
        fn.trigger.kind === 'schedule' ? 'scheduled' : 'perEvent',
        fn.lambda.memoryMb ?? DEFAULT_MEMORY_MB,
      );
      const metered = (event: never) =>
        running.run(fn.name, async () => {
          const started = performance.now();
          try {
            return await handler(event);
          } finally {
            meter.invocation(fn.name, performance.now() - started);
          }
        });
      return metered as typeof handler;
    },
    ruleTriggered: (actions) => meter.ruleTriggered(actions),
    streamRecord(data) {
      meter.streamRecord(Buffer.byteLength(data));
      pending.push(data);
      if (pending.length >= COMPRESS_EVERY) compress();
    },
    queueSent: (messages) => meter.sqsRequests(Math.ceil(messages / SQS_BATCH)),
    queueBatchReceived: () => meter.sqsRequests(2),
    schedulerInvoked: (fn) => meter.schedulerInvocation(fn.name),
    finish() {
      compress();
      restoreOutput();
    },
  };
}

/**
 * Counts the bytes each function writes to stdout and stderr (what Lambda sends to CloudWatch
 * Logs) and keeps them off the console: the handlers log at their deployed level, which would
 * drown a local run's own output. Output outside any function passes through.
 */
function countFunctionOutput(meter: CostMeter, running: AsyncLocalStorage<string>): () => void {
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  streams.forEach((stream, i) => {
    const original = originals[i] as typeof stream.write;
    stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      const fn = running.getStore();
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
  invoked: (_fn, handler) => handler,
  ruleTriggered: () => {},
  streamRecord: () => {},
  queueSent: () => {},
  queueBatchReceived: () => {},
  schedulerInvoked: () => {},
  finish: () => {},
};
