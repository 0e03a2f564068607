import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { makeLogNotifier } from '#functions/alarms/notifier.ts';
import {
  LOCAL_ISSUER,
  type LocalSigningKey,
  loadOrCreateSigningKey,
  serveJwks,
} from '#functions/auth/local-issuer.ts';
import { createTokenVerifier } from '#functions/auth/verifier.ts';
import { type FunctionDefinition, type FunctionPorts, functionsTriggeredBy } from '#functions/registry.ts';
import { documentClientFor } from '#functions/shared/clients.ts';
import { SiteNotConfigured } from '#functions/shared/errors.ts';
import { makePlatform, type Platform } from '#functions/shared/wiring.ts';
import { createTables } from '#functions/store/index.ts';
import { DEFAULT_PUSH_CONCURRENCY } from '#infra/settings.ts';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  type LocalCloud,
  type RequestLimits,
  startLocalCloud,
} from '#local-cloud/index.ts';
import type { IotRule } from '#protocol/iot-rules.ts';
import { LOCAL_STAGE, topicRuleName } from '#protocol/topics.ts';
import type { CostMeter } from '#schedules/cost/usage.ts';
import type { Config, Luminaire } from '#schedules/index.ts';
import type { Cabinet, PresenceSensor } from '#schedules/inventory/schema.ts';
import { consoleSite } from './console-site.ts';
import { siteMetering } from './cost-metering.ts';
import { type ScheduleClock, startDailySchedule, startRateSchedule } from './daily-schedule.ts';
import { captureFunctionOutput } from './function-output.ts';
import { withinTimeout } from './function-timeout.ts';
import { startHttpGateway } from './http-gateway.ts';
import { type AsyncInvoker, asyncInvoker } from './invoker.ts';
import { compileRule } from './iot-rules.ts';
import { localSignIn } from './local-sign-in.ts';
import { startLocalRawArchive } from './raw-archive.ts';
import { type LocalRecordStream, startLocalRecordStream } from './record-stream.ts';
import { type LocalWorkQueue, startLocalWorkQueue } from './work-queue.ts';

/** Far above any local request's time (a 1 MB page of DynamoDB Local on a loaded machine: seconds). */
const LOCAL_REQUEST_TIMEOUT_MS = 30_000;

/**
 * The serverless application on one machine: the same handlers as on AWS, wired to the local cloud
 * (DynamoDB Local, the IoT Core stand-in) and to local stand-ins for what invokes them there
 * (EventBridge Scheduler, the SQS and Kinesis event sources, the IoT rules, API Gateway, Cognito's
 * key set).
 */

export interface LocalSiteOptions {
  /** Persistent data (DynamoDB, shadows, signing key, raw telemetry archive); in memory when absent. */
  readonly dataDir?: string;
  readonly apiPort: number;
  readonly siteId: string;
  /**
   * Loaded into an empty store; a store that already holds a site keeps its own data. The sensors
   * go into an empty sensor inventory, also of a kept site (data directories made before sensors
   * were stored in the cloud): presence boosts nothing for a sensor it does not know.
   */
  readonly seed: {
    readonly config: Config;
    readonly luminaires: readonly Luminaire[];
    readonly cabinets: readonly Cabinet[];
    readonly sensors: readonly PresenceSensor[];
  };
  /** Domain time (simulated or real). */
  readonly clock: ScheduleClock;
  /** Local time of the daily plan push (the deployed schedule's). */
  readonly pushAt: string;
  readonly limits?: RequestLimits;
  /** The built console (console/dist), served at `/` next to the API; none: the API alone. */
  readonly consoleDir?: string;
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
  /**
   * Counts what AWS would bill for the run (bench/cost.bench.ts); the functions' own log output is
   * then counted instead of printed. Complete once the site is stopped.
   */
  readonly meter?: CostMeter;
}

export interface LocalSite {
  readonly cloud: LocalCloud;
  readonly platform: Platform;
  /** The origin: the console at `/`, its runtime config, the local sign-in. */
  readonly url: string;
  /** The API's base URL (`<url>/api`). */
  readonly apiUrl: string;
  readonly signingKey: LocalSigningKey;
  /** Whether the store was empty and got the seed. */
  readonly seeded: boolean;
  /**
   * The file the handlers' JSON logs and EMF metric lines go to (`<dataDir>/logs/functions.log`, or
   * one in the temporary directory for a site in memory); a metered run counts them instead.
   */
  readonly functionLog: string;
  /** Runs the plan push now, as the schedule would, and waits until every chunk is done. */
  pushPlans(): Promise<void>;
  /** Runs the alarm sweep and digest now, as the 15-minute schedule would. */
  sweepAlarms(): Promise<void>;
  /** The night close, now: the nights just simulated are summed for the report. */
  closeNights(): Promise<void>;
  stats(): {
    /** Of each IoT-rule function, by its registry name. */
    invocations: Readonly<Record<string, ReturnType<AsyncInvoker<unknown>['stats']>>>;
    /** Messages that failed every receive, by queue (a queue trigger's queue, or a batch rule function's name). */
    deadLetters: Readonly<Record<string, number>>;
    /** Of each stream-fed function, by its registry name. */
    streams: Readonly<Record<string, ReturnType<LocalRecordStream['stats']>>>;
    /** Invocations of any function finished so far, whatever their outcome: work is moving. */
    finishedInvocations: number;
    /** The handlers' DynamoDB and IoT data-plane requests answered so far, whatever the answer. */
    answeredRequests: number;
  };
  /** Waits until every queued rule invocation, queued message and running schedule is done. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export const LOCAL_TABLES = { main: 'lighting-main', telemetry: 'lighting-telemetry' } as const;

const LOCAL_BATCH_WINDOW_MS = 200;

const ANSWERED = { step: 'initialize', name: 'countAnsweredRequests' } as const;

/**
 * How the local stream batches for a stream trigger: the registry's batch size and a window
 * shorter than on AWS, where the window saves invocations: here it only adds latency.
 */
export function localBatching(trigger: { readonly batchSize: number; readonly batchWindowSeconds: number }) {
  return {
    batchSize: trigger.batchSize,
    batchWindowMs: Math.min(trigger.batchWindowSeconds * 1000, LOCAL_BATCH_WINDOW_MS),
  };
}

export async function startLocalSite(options: LocalSiteOptions): Promise<LocalSite> {
  const { clock } = options;
  // Captured before the meter starts counting: a metered run's meter takes the output first.
  const output = await captureFunctionOutput(
    options.dataDir === undefined
      ? join(tmpdir(), `lighting-${options.siteId}-functions.log`)
      : join(options.dataDir, 'logs', 'functions.log'),
    options.dataDir === undefined ? 'w' : 'a',
  );
  const cleanups: (() => Promise<void> | void)[] = [() => output.close()];
  // Once stopping, work still in flight fails against servers going away: that is not news.
  let stopping = false;
  // The site's own lines (a schedule done, a notification sent) are for the terminal, even when a
  // handler is what calls them.
  const log: LocalSiteOptions['log'] = (message, fields) => {
    if (!stopping) output.outside(() => options.log(message, fields));
  };
  const metering = siteMetering(options.meter, () => clock.now());
  cleanups.push(() => metering.finish());
  let finishedInvocations = 0;
  // Finer than invocations: one ledger batch can take minutes of requests on a loaded machine.
  let answeredRequests = 0;
  const countAnswered =
    <A, R>(next: (args: A) => Promise<R>) =>
    async (args: A): Promise<R> => {
      try {
        return await next(args);
      } finally {
        answeredRequests++;
      }
    };
  const invoked = <H extends (event: never) => Promise<unknown>>(fn: FunctionDefinition, handler: H): H => {
    const metered = metering.invoked(fn, output.of(handler));
    return ((event: never) =>
      withinTimeout(metered(event), fn.name, fn.lambda.timeoutSeconds).finally(() => {
        finishedInvocations++;
      })) as H;
  };
  try {
    const cloud = await startLocalCloud({
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(metering.iot === undefined ? {} : { iotMetering: metering.iot }),
    });
    cleanups.push(() => cloud.stop());
    log('local cloud up', {
      dynamodb: cloud.dynamoEndpoint,
      iotHttp: cloud.iotHttpEndpoint,
      mqtt: cloud.mqttUrl,
    });

    const client = {
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      // A request unanswered this long fails and is retried (the SDK's own retries, then the
      // trigger's), instead of waiting forever: the SDK sets no limit, and one local request that
      // never answered, under heavy load, held a stream's shard and the site's cached values for
      // good (on AWS, the Lambda's timeout ends the container with them).
      requestHandler: { requestTimeout: LOCAL_REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
    };
    const dynamo = new DynamoDBClient({ ...client, endpoint: cloud.dynamoEndpoint });
    metering.meterDynamoDb(dynamo);
    await createTables(dynamo, LOCAL_TABLES);
    const iot = new IoTDataPlaneClient({ ...client, endpoint: cloud.iotHttpEndpoint, maxAttempts: 1 });
    metering.meterIotData(iot);
    dynamo.middlewareStack.add(countAnswered, ANSWERED);
    iot.middlewareStack.add(countAnswered, ANSWERED);
    const platform = makePlatform({
      db: documentClientFor(dynamo),
      iot,
      tableName: LOCAL_TABLES.main,
      telemetryTableName: LOCAL_TABLES.telemetry,
      site: options.siteId,
      now: () => clock.now(),
    });
    const seeded = await seedIfEmpty(platform, options.seed);
    const sensorsSeeded = await seedSensorsIfEmpty(platform, options.seed.sensors);
    log(seeded ? 'example site loaded' : 'site kept from the data directory', {
      luminaires: seeded ? options.seed.luminaires.length : undefined,
      sensors: sensorsSeeded ? options.seed.sensors.length : undefined,
    });

    const keyDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'lighting-auth-')));
    if (options.dataDir === undefined) cleanups.push(() => rm(keyDir, { recursive: true, force: true }));
    const signingKey = await loadOrCreateSigningKey(keyDir);
    const jwks = await serveJwks(signingKey);
    cleanups.push(() => jwks.close());
    const verify = createTokenVerifier({ jwksUrl: jwks.jwksUrl, issuer: LOCAL_ISSUER });
    // The work queue's consumer is wired with the ports, one of which sends to the queue: the port
    // looks the queue up when it sends, by then started.
    const queues = new Map<string, LocalWorkQueue>();
    // Plays the raw report delivery stream where the run keeps data; without, the records go nowhere.
    const archive =
      options.dataDir === undefined
        ? undefined
        : startLocalRawArchive({ dir: options.dataDir, site: options.siteId, name: 'raw-archive' });
    if (archive !== undefined) cleanups.push(() => archive.stop());
    const ports: FunctionPorts = {
      platform,
      verify,
      rawRecords: {
        putRecordBatch: async (records) => {
          metering.firehoseRecordsPut(records);
          return archive === undefined ? [] : archive.putRecordBatch(records);
        },
      },
      notifier: makeLogNotifier(log),
      // The nightly push and the API's large changes share the work queue, as on AWS.
      chunkQueue: {
        enqueue: async (messages) => {
          metering.queueSent(messages.length);
          queueNamed(queues, 'plan-push').send(messages.map((m) => JSON.stringify(m)));
        },
      },
    };
    for (const fn of functionsTriggeredBy('queue')) {
      const handler = invoked(fn, fn.wire(ports));
      const receive: typeof handler = (event) => {
        metering.queueBatchReceived();
        return handler(event);
      };
      const queue = startLocalWorkQueue(receive, {
        name: fn.trigger.queue,
        batchSize: fn.trigger.batchSize,
        visibilityTimeoutMs: 2_000,
        // As deployed: the push's chunks four at a time, not the local queue's default two.
        concurrency: DEFAULT_PUSH_CONCURRENCY,
      });
      queues.set(fn.trigger.queue, queue);
      cleanups.push(() => queue.stop());
    }
    const queuesDrained = () => Promise.all([...queues.values()].map((q) => q.drained()));

    const zones = async () =>
      [...new Set((await platform.stores.luminaires.listAll()).map((luminaire) => luminaire.zone))].sort();
    const [apiFunction] = functionsTriggeredBy('http');
    if (apiFunction === undefined) throw new Error('functions/registry.ts has no HTTP function');
    const api = await startHttpGateway(invoked(apiFunction, apiFunction.wire(ports)), {
      port: options.apiPort,
      onError: (error) => log('api gateway error', { error: String(error) }),
      site: consoleSite({
        dir: options.consoleDir,
        signIn: localSignIn({ key: signingKey, zones }),
        runtimeConfig: async () => ({
          apiBase: '/api',
          siteId: options.siteId,
          timezone: (await platform.stores.config.load()).site.timezone,
          auth: { kind: 'local' },
          map: {},
        }),
      }),
    });
    cleanups.push(() => api.stop());

    // A scheduled run is done when the work it queued is. A function with reserved concurrency 1 on
    // AWS runs once at a time: a start due while a run is still going joins that run (on a fast
    // simulated clock, runs would otherwise pile up).
    const running = new Map<string, Promise<void>>();
    const scheduled = new Map<string, (scheduledTime: number) => Promise<void>>();
    for (const fn of functionsTriggeredBy('schedule')) {
      const handler = invoked(fn, fn.wire(ports));
      const runOnce = async (scheduledTime: number) => {
        await handler({ scheduledTime: new Date(scheduledTime * 1000).toISOString() });
        await queuesDrained();
      };
      const run = (scheduledTime: number): Promise<void> => {
        if (fn.lambda.reservedConcurrency !== 1) return runOnce(scheduledTime);
        let current = running.get(fn.name);
        if (current === undefined) {
          current = runOnce(scheduledTime).finally(() => running.delete(fn.name));
          running.set(fn.name, current);
        }
        return current;
      };
      scheduled.set(fn.name, run);
      const { at } = fn.trigger;
      const start = (due: number) => {
        metering.schedulerInvoked(fn);
        run(due)
          // A daily run is news; one every few (simulated) minutes would drown the log.
          .then(() => (at === 'push-time' || 'dailyAt' in at ? log(`${fn.name} done`) : undefined))
          .catch((error: unknown) => log(`${fn.name} failed`, { error: String(error) }));
      };
      const timezone = options.seed.config.site.timezone;
      cleanups.push(
        at === 'push-time'
          ? startDailySchedule(clock, timezone, options.pushAt, start)
          : 'dailyAt' in at
            ? startDailySchedule(clock, timezone, at.dailyAt, start)
            : startRateSchedule(clock, at.everySeconds, start),
      );
    }
    const runNow = (name: string) => {
      const run = scheduled.get(name);
      if (run === undefined) throw new Error(`functions/registry.ts has no scheduled function named ${name}`);
      return run(clock.now());
    };

    // Basic Ingest: the stand-in hands a rule what devices publish on `$aws/rules/{rule}/...`, with
    // the broker's receive time on the domain clock (device timestamps are simulated too).
    const routeRule = (
      fn: { readonly name: string; readonly trigger: { readonly rule: IotRule } },
      deliver: (topic: string, event: Record<string, unknown>) => void,
    ) => {
      const rule = compileRule(fn.trigger.rule.sql);
      cleanups.push(
        cloud.iot.routeRule(topicRuleName(LOCAL_STAGE, fn.name), (topic, payload) => {
          if (!rule.matches(topic)) return;
          metering.ruleTriggered(1);
          const event = rule.toEvent(topic, payload, Math.round(clock.now() * 1000));
          if (event !== undefined) deliver(topic, event);
        }),
      );
    };
    const invokers = new Map<string, AsyncInvoker<Record<string, unknown>>>();
    for (const fn of functionsTriggeredBy('iot-rule')) {
      const invoker = asyncInvoker<Record<string, unknown>>(invoked(fn, fn.wire(ports)), {
        concurrency: 8,
        onFailure: (event, error) =>
          log(`${fn.name} rule invocation failed`, { error: String(error), event }),
      });
      invokers.set(fn.name, invoker);
      routeRule(fn, (_topic, event) => invoker.invoke(event));
    }

    // The stream rules' action puts the event on the function's stream, keyed by the device id.
    const streams = new Map<string, LocalRecordStream>();
    for (const fn of functionsTriggeredBy('iot-stream')) {
      const { trigger } = fn;
      const stream = startLocalRecordStream(invoked(fn, fn.wire(ports)), {
        name: fn.name,
        ...localBatching(trigger),
      });
      // Each further reader of the stream has its own event source mapping: a stream of its own here.
      const readers = functionsTriggeredBy('stream-reader')
        .filter((reader) => reader.trigger.stream === fn.name)
        .map((reader) => {
          const read = startLocalRecordStream(invoked(reader, reader.wire(ports)), {
            name: fn.name,
            ...localBatching(reader.trigger),
          });
          streams.set(reader.name, read);
          cleanups.push(() => read.stop());
          return read;
        });
      streams.set(fn.name, stream);
      cleanups.push(() => stream.stop());
      routeRule(fn, (topic, event) => {
        const partitionKey = topic.split('/')[trigger.partitionKeyLevel - 1];
        if (partitionKey === undefined) return;
        const data = JSON.stringify(event);
        metering.streamRecord(data);
        stream.put(partitionKey, data);
        for (const reader of readers) reader.put(partitionKey, data);
      });
    }

    return {
      cloud,
      platform,
      url: api.url,
      apiUrl: api.apiUrl,
      signingKey,
      seeded,
      functionLog: output.path,
      pushPlans: () => runNow('plan-push-schedule'),
      sweepAlarms: () => runNow('alarm-sweep'),
      closeNights: () => runNow('night-close'),
      stats: () => ({
        invocations: Object.fromEntries([...invokers].map(([name, invoker]) => [name, invoker.stats()])),
        deadLetters: Object.fromEntries([...queues].map(([name, queue]) => [name, queue.deadLetters.length])),
        streams: Object.fromEntries([...streams].map(([name, stream]) => [name, stream.stats()])),
        finishedInvocations,
        answeredRequests,
      }),
      async settled() {
        await Promise.all([
          ...[...invokers.values()].map((invoker) => invoker.idle()),
          ...[...streams.values()].map((stream) => stream.drained()),
          queuesDrained(),
          ...[...running.values()].map((run) => run.catch(() => {})),
        ]);
      },
      async stop() {
        stopping = true;
        await runCleanups(cleanups);
      },
    };
  } catch (error) {
    await runCleanups(cleanups);
    throw error;
  }
}

function queueNamed(queues: ReadonlyMap<string, LocalWorkQueue>, name: string): LocalWorkQueue {
  const queue = queues.get(name);
  if (queue === undefined) throw new Error(`functions/registry.ts has no function on queue ${name}`);
  return queue;
}

async function seedIfEmpty(platform: Platform, seed: LocalSiteOptions['seed']): Promise<boolean> {
  try {
    await platform.stores.config.load();
    return false;
  } catch (error) {
    if (!(error instanceof SiteNotConfigured)) throw error;
  }
  await platform.stores.cabinets.put(seed.cabinets);
  await platform.stores.luminaires.put(seed.luminaires);
  // A site this version creates holds no alarm of an older shape: the sweep's runs do no backfill
  // (ADR 0002 AP35), so the cost meter measures the sweep alone.
  await platform.stores.alarmBackfill.saveProgress({ doneAt: new Date(platform.now() * 1000).toISOString() });
  // The configuration goes last: a site counts as loaded only once its inventory is in.
  await platform.stores.config.replace(seed.config);
  return true;
}

async function seedSensorsIfEmpty(platform: Platform, sensors: readonly PresenceSensor[]): Promise<boolean> {
  if ((await platform.stores.sensors.listAll()).length > 0) return false;
  await platform.stores.sensors.put(sensors);
  return true;
}

async function runCleanups(cleanups: (() => Promise<void> | void)[]): Promise<void> {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch {
      // Stopping goes on: one part failing to stop must not leave the others (e.g. Java) running.
    }
  }
}
