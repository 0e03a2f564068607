import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  KinesisStreamBatchResponse,
  SQSBatchResponse,
} from 'aws-lambda';
import type { IotRule } from '#protocol/iot-rules.ts';
import { CABINET_METER_RULE } from '#protocol/messages/cabinet-meter.ts';
import { PRESENCE_RULE } from '#protocol/messages/presence.ts';
import { TELEMETRY_RULE } from '#protocol/messages/telemetry.ts';
import { BOOST_SHADOW, PLAN_SHADOW } from '#protocol/topics.ts';
import type { Notifier } from './alarms/notifier.ts';
import { wire as wireAlarmSweep } from './alarms/sweep.handler.ts';
import { ALARM_SWEEP_EVERY_SECONDS } from './alarms/sweep.ts';
import { wire as wireApi } from './api/handler.ts';
import { wire as wireRawArchive } from './archive/archive.handler.ts';
import type { RawRecordSink } from './archive/record-sink.ts';
import type { TokenVerifier } from './auth/verifier.ts';
import { wire as wireCabinetMeter } from './cabinet-meter/handler.ts';
import { wire as wireChunk } from './plan-push/chunk.handler.ts';
import type { ChunkQueue } from './plan-push/chunk-queue.ts';
import { wire as wireSchedule } from './plan-push/schedule.handler.ts';
import { wire as wirePresence } from './presence/handler.ts';
import { wire as wireNightClose } from './reports/night-close.handler.ts';
import { NIGHT_CLOSE_AT } from './reports/night-close.ts';
import type { Platform } from './shared/wiring.ts';
import { wire as wireTelemetryLedger } from './telemetry/ledger.handler.ts';

/**
 * The event-driven functions of the app, in one list: the CDK stack deploys each with its trigger,
 * grants and alarms, the local runtime wires each to its local stand-in of that trigger, and the
 * bundle test builds each. Pure data and `wire` functions: no CDK, so the local runtime imports it.
 */

/** What a `wire` gets: the platform and the ports a Lambda entry point builds from its environment. */
export interface FunctionPorts {
  readonly platform: Platform;
  /** The plan-push work queue (queue trigger `plan-push`). */
  readonly chunkQueue: ChunkQueue;
  readonly verify: TokenVerifier;
  readonly notifier: Notifier;
  /** The raw report delivery stream (Firehose Direct PUT; locally the raw archive stand-in). */
  readonly rawRecords: RawRecordSink;
}

/**
 * What the two IoT triggers share: the rule (from its message's module, protocol/messages/), fed
 * by Basic Ingest: devices publish on `$aws/rules/{rule}/{topic}`, which no subscriber receives
 * and which has no messaging charge.
 */
interface RuleTrigger {
  readonly rule: IotRule;
  readonly description: string;
  /**
   * Every luminaire's periodic reports go through this rule: the "luminaires not reporting" alarm
   * counts the messages it matches. Exactly one function has it.
   */
  readonly fleetReporting?: true;
}

/** IoT invokes the function asynchronously with the event the rule's SQL selects. */
export interface IotRuleTrigger extends RuleTrigger {
  readonly kind: 'iot-rule';
}

/**
 * An IoT rule whose action puts each event on a Kinesis data stream, keyed by the device id (topic
 * level `partitionKeyLevel`) so one device's events stay in order on one shard; the function reads
 * each shard in order, in batches, and reports the first failed record (ADR 0008).
 */
export interface IotStreamTrigger extends RuleTrigger {
  readonly kind: 'iot-stream';
  readonly partitionKeyLevel: number;
  readonly batchSize: number;
  /** How long the event source gathers records before it invokes (AWS: MaximumBatchingWindowInSeconds). */
  readonly batchWindowSeconds: number;
}

/**
 * Another event source mapping on an `iot-stream` function's stream (`stream`: that function's
 * name): its own checkpoint per shard, so it reads every record whatever the first reader does.
 */
export interface StreamReaderTrigger {
  readonly kind: 'stream-reader';
  readonly stream: string;
  readonly batchSize: number;
  readonly batchWindowSeconds: number;
}

/**
 * EventBridge Scheduler: daily at the site's push time (`pushAt`, site time zone), daily at a fixed
 * wall-clock time of the site (`dailyAt`, HH:MM), or at a fixed rate.
 */
export interface ScheduleTrigger {
  readonly kind: 'schedule';
  readonly at: 'push-time' | { readonly dailyAt: string } | { readonly everySeconds: number };
}

/** An SQS event source that reports failed items, so only they come back. */
export interface QueueTrigger {
  readonly kind: 'queue';
  readonly queue: 'plan-push';
  readonly batchSize: number;
}

/** Every route of the HTTP API. */
export interface HttpTrigger {
  readonly kind: 'http';
}

export type Trigger =
  | IotRuleTrigger
  | IotStreamTrigger
  | StreamReaderTrigger
  | ScheduleTrigger
  | QueueTrigger
  | HttpTrigger;

/** Settings, the number of which is a deployment setting (context) rather than a constant. */
export type ConcurrencySetting = 'pushConcurrency' | 'presenceConcurrency';

export interface LambdaSettings {
  readonly timeoutSeconds: number;
  readonly memoryMb?: number;
  readonly reservedConcurrency?: number | ConcurrencySetting;
  /** Asynchronous invocations (schedules, IoT rules): retries, and how long an event stays worth running. */
  readonly retryAttempts?: number;
  readonly maxEventAgeSeconds?: number;
}

export type TableAccess = 'read' | 'readWrite';
/** A thing's named shadow, or every shadow of it (classic and named). */
export type ShadowScope = { readonly shadow: string } | 'anyShadow';

export interface Access {
  readonly tables: { readonly main?: TableAccess; readonly telemetry?: TableAccess };
  readonly shadows?: readonly {
    readonly actions: readonly ('read' | 'write')[];
    readonly scope: ShadowScope;
  }[];
}

/** The alarm a function's errors feed: a failed plan push, or lost ingest (with the IoT rule's failures). */
export type FailureAlarm = 'push' | 'ingest';

interface Definition<T extends Trigger, H> {
  /** The Powertools service name, metric label and local invoker name. */
  readonly name: string;
  /** Handler file from the repository root; it exports `handler` (Lambda) and `wire` (used below). */
  readonly entry: string;
  readonly trigger: T;
  readonly wire: (ports: FunctionPorts) => H;
  readonly lambda: LambdaSettings;
  readonly access: Access;
  readonly failureAlarm?: FailureAlarm;
}

export type EventHandler = (event: unknown) => Promise<unknown>;
export type QueueHandler = (event: unknown) => Promise<SQSBatchResponse>;
export type StreamHandler = (event: unknown) => Promise<KinesisStreamBatchResponse>;
export type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

export type FunctionDefinition =
  | Definition<IotRuleTrigger, EventHandler>
  | Definition<IotStreamTrigger, StreamHandler>
  | Definition<StreamReaderTrigger, StreamHandler>
  | Definition<ScheduleTrigger, EventHandler>
  | Definition<QueueTrigger, QueueHandler>
  | Definition<HttpTrigger, HttpHandler>;

const PLAN = { shadow: PLAN_SHADOW };
const BOOST = { shadow: BOOST_SHADOW };

export const FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'plan-push-schedule',
    entry: 'functions/plan-push/schedule.handler.ts',
    trigger: { kind: 'schedule', at: 'push-time' },
    wire: ({ platform, chunkQueue }) => wireSchedule(platform, chunkQueue),
    lambda: { timeoutSeconds: 300, memoryMb: 1024, retryAttempts: 2 },
    access: { tables: { main: 'readWrite' } },
    failureAlarm: 'push',
  },
  {
    name: 'plan-push-chunk',
    entry: 'functions/plan-push/chunk.handler.ts',
    trigger: { kind: 'queue', queue: 'plan-push', batchSize: 1 },
    wire: ({ platform }) => wireChunk(platform),
    // Reserved so other functions cannot starve the push, capped so the push cannot exceed the shadow quota.
    lambda: { timeoutSeconds: 300, memoryMb: 1024, reservedConcurrency: 'pushConcurrency' },
    access: { tables: { main: 'readWrite' }, shadows: [{ actions: ['read', 'write'], scope: PLAN }] },
    failureAlarm: 'push',
  },
  {
    name: 'presence',
    entry: 'functions/presence/handler.ts',
    trigger: {
      kind: 'iot-rule',
      rule: PRESENCE_RULE,
      description: 'Presence detections (Basic Ingest) to the presence function (boosts nearby luminaires)',
    },
    wire: ({ platform }) => wirePresence(platform),
    lambda: {
      timeoutSeconds: 30,
      // Boosts share the shadow quota with the plan push: a crowd must not take it all.
      reservedConcurrency: 'presenceConcurrency',
      // A boost delivered minutes late lights an empty street: drop it instead.
      maxEventAgeSeconds: 120,
      retryAttempts: 1,
    },
    access: { tables: { main: 'readWrite' }, shadows: [{ actions: ['read', 'write'], scope: BOOST }] },
    failureAlarm: 'ingest',
  },
  {
    name: 'telemetry',
    entry: 'functions/telemetry/ledger.handler.ts',
    trigger: {
      kind: 'iot-stream',
      rule: TELEMETRY_RULE,
      description:
        'Luminaire telemetry (Basic Ingest) to the telemetry stream, read by the batched energy ledger',
      fleetReporting: true,
      partitionKeyLevel: 2,
      // The ledger writes each luminaire's night item once per batch, so a backlog drains in the
      // biggest batches Lambda gives (10,000): it still cuts one at 6 MB (about 8,000 records of
      // ~750 bytes with their envelope) and at the 5 s window.
      batchSize: 10_000,
      batchWindowSeconds: 5,
    },
    wire: ({ platform }) => wireTelemetryLedger(platform),
    // A full batch is 100 BatchGetItem and at most 2 writes per luminaire, 16 in flight.
    lambda: { timeoutSeconds: 120, memoryMb: 512 },
    access: { tables: { main: 'readWrite', telemetry: 'readWrite' } },
    failureAlarm: 'ingest',
  },
  {
    name: 'raw-archive',
    entry: 'functions/archive/archive.handler.ts',
    trigger: {
      kind: 'stream-reader',
      stream: 'telemetry',
      // Firehose bills each record as at least 5 KB: a minute of a shard's reports makes records of
      // 500 reports (its de-aggregation limit) from about 500 luminaires a shard up (ADR 0013).
      batchSize: 10_000,
      batchWindowSeconds: 60,
    },
    wire: ({ rawRecords }) => wireRawArchive(rawRecords),
    // A full batch is 20 records of 500 reports, ~2.3 MB, in one or two PutRecordBatch calls.
    lambda: { timeoutSeconds: 60, memoryMb: 256 },
    access: { tables: {} },
  },
  {
    name: 'cabinet-meter',
    entry: 'functions/cabinet-meter/handler.ts',
    trigger: {
      kind: 'iot-stream',
      rule: CABINET_METER_RULE,
      description: 'Cabinet meter readings (Basic Ingest) to their stream, read by the cabinet energy ledger',
      partitionKeyLevel: 2,
      // Tens to thousands of cabinets reading every 15 minutes: small batches, little wait.
      batchSize: 500,
      batchWindowSeconds: 5,
    },
    wire: ({ platform }) => wireCabinetMeter(platform),
    // A batch is one GetItem and one transaction per cabinet it holds.
    lambda: { timeoutSeconds: 120, memoryMb: 256 },
    access: { tables: { main: 'read', telemetry: 'readWrite' } },
    failureAlarm: 'ingest',
  },
  {
    name: 'api',
    entry: 'functions/api/handler.ts',
    trigger: { kind: 'http' },
    wire: ({ platform, verify, chunkQueue }) => wireApi(platform, verify, chunkQueue),
    lambda: { timeoutSeconds: 29, memoryMb: 1024 },
    access: {
      tables: { main: 'readWrite', telemetry: 'read' },
      // Live state (classic shadow), plan and boost of any luminaire; a change re-pushes the affected plans.
      shadows: [
        { actions: ['read'], scope: 'anyShadow' },
        { actions: ['write'], scope: PLAN },
      ],
    },
  },
  {
    name: 'alarm-sweep',
    entry: 'functions/alarms/sweep.handler.ts',
    trigger: { kind: 'schedule', at: { everySeconds: ALARM_SWEEP_EVERY_SECONDS } },
    wire: ({ platform, notifier }) => wireAlarmSweep(platform, notifier),
    lambda: {
      // 256 shard queries and ~2,000 BatchGetItem calls at 200,000 luminaires take well under a minute.
      timeoutSeconds: 300,
      memoryMb: 1024,
      // Two sweeps at once would open the same alarms twice over (harmless) and re-push twice: one is enough.
      reservedConcurrency: 1,
      retryAttempts: 0,
    },
    // A drifting plan is pushed again.
    access: { tables: { main: 'readWrite' }, shadows: [{ actions: ['write'], scope: PLAN }] },
  },
  {
    name: 'night-close',
    entry: 'functions/reports/night-close.handler.ts',
    // The night window ends at noon: by half past, the night that ended this morning is in.
    trigger: { kind: 'schedule', at: { dailyAt: NIGHT_CLOSE_AT } },
    wire: ({ platform }) => wireNightClose(platform),
    lambda: {
      // A night of 200,000 luminaires is 2,000 BatchGetItem (8 in flight) and ~0.3 s of planning;
      // a catch-up of 14 nights stays within a few minutes (docs/adr/0009-complete-nights.md).
      timeoutSeconds: 900,
      memoryMb: 1024,
      // Two closes of the same night write the same items: harmless, but one at a time is enough.
      reservedConcurrency: 1,
      retryAttempts: 2,
    },
    access: { tables: { main: 'readWrite' } },
  },
];

export type TriggerKind = Trigger['kind'];
export type DefinitionTriggeredBy<K extends TriggerKind> = Extract<
  FunctionDefinition,
  { trigger: { kind: K } }
>;

/** The functions of one trigger kind, typed so that their `wire` returns that kind's handler. */
export function functionsTriggeredBy<K extends TriggerKind>(kind: K): DefinitionTriggeredBy<K>[] {
  return FUNCTIONS.filter((fn): fn is DefinitionTriggeredBy<K> => fn.trigger.kind === kind);
}

/** The IoT rules of the registry's functions, whatever delivers their messages (invocation or queue). */
export function iotRules(): IotRule[] {
  return FUNCTIONS.flatMap((fn) =>
    fn.trigger.kind === 'iot-rule' || fn.trigger.kind === 'iot-stream' ? [fn.trigger.rule] : [],
  );
}

/** The function whose rule every luminaire's periodic reports go through (`fleetReporting`). */
export function fleetReportingFunction(): DefinitionTriggeredBy<'iot-rule' | 'iot-stream'> {
  const found = [...functionsTriggeredBy('iot-rule'), ...functionsTriggeredBy('iot-stream')].filter(
    (fn) => fn.trigger.fleetReporting === true,
  );
  const [only] = found;
  if (only === undefined || found.length > 1)
    throw new Error(`functions/registry.ts needs exactly one fleetReporting rule, has ${found.length}`);
  return only;
}

/** The function of that name and trigger kind; anything else is a programming error. */
export function functionNamed<K extends TriggerKind>(name: string, kind: K): DefinitionTriggeredBy<K> {
  const found = functionsTriggeredBy(kind).find((fn) => fn.name === name);
  if (found === undefined) throw new Error(`functions/registry.ts has no ${kind} function named ${name}`);
  return found;
}
