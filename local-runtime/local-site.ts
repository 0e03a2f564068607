import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { makeLogNotifier } from '../functions/alarms/notifier.ts';
import { wire as wireAlarmSweep } from '../functions/alarms/sweep.handler.ts';
import { ALARM_SWEEP_EVERY_SECONDS } from '../functions/alarms/sweep.ts';
import { wire as wireApi } from '../functions/api/handler.ts';
import {
  LOCAL_ISSUER,
  type LocalSigningKey,
  loadOrCreateSigningKey,
  serveJwks,
} from '../functions/auth/local-issuer.ts';
import { createTokenVerifier } from '../functions/auth/verifier.ts';
import { wire as wireChunk } from '../functions/plan-push/chunk.handler.ts';
import type { ChunkQueue } from '../functions/plan-push/chunk-queue.ts';
import { wire as wireSchedule } from '../functions/plan-push/schedule.handler.ts';
import { wire as wirePresence } from '../functions/presence/handler.ts';
import { documentClientFor } from '../functions/shared/clients.ts';
import { SiteNotConfigured } from '../functions/shared/errors.ts';
import { makePlatform, type Platform } from '../functions/shared/wiring.ts';
import { createTables } from '../functions/store/index.ts';
import { wire as wireTelemetryLedger } from '../functions/telemetry/ledger.handler.ts';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  type LocalCloud,
  type RequestLimits,
  startLocalCloud,
} from '../local-cloud/index.ts';
import { PRESENCE_RULE_SQL, TELEMETRY_RULE_SQL } from '../protocol/iot-rules.ts';
import { LOCAL_TELEMETRY_RULE } from '../protocol/topics.ts';
import type { Config, Luminaire } from '../schedules/index.ts';
import type { PresenceSensor } from '../schedules/inventory/schema.ts';
import { type ScheduleClock, startDailySchedule, startRateSchedule } from './daily-schedule.ts';
import { startHttpGateway } from './http-gateway.ts';
import { type AsyncInvoker, asyncInvoker } from './invoker.ts';
import { compileRule } from './iot-rules.ts';
import { type LocalRecordStream, startLocalRecordStream } from './record-stream.ts';
import { startLocalWorkQueue } from './work-queue.ts';

/**
 * The serverless application on one machine: the same handlers as on AWS, wired to the local cloud
 * (DynamoDB Local, the IoT Core stand-in) and to local stand-ins for what invokes them there
 * (EventBridge Scheduler, the SQS event source, the IoT rules, API Gateway, Cognito's key set).
 */
export interface LocalSiteOptions {
  /** Persistent data (DynamoDB, shadows, signing key); in memory when absent. */
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
    readonly sensors: readonly PresenceSensor[];
  };
  /** Domain time (simulated or real). */
  readonly clock: ScheduleClock;
  /** Local time of the daily plan push (the deployed schedule's). */
  readonly pushAt: string;
  readonly limits?: RequestLimits;
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
}

export interface LocalSite {
  readonly cloud: LocalCloud;
  readonly platform: Platform;
  readonly apiUrl: string;
  readonly signingKey: LocalSigningKey;
  /** Whether the store was empty and got the seed. */
  readonly seeded: boolean;
  /** Runs the plan push now, as the schedule would, and waits until every chunk is done. */
  pushPlans(): Promise<void>;
  /** Runs the alarm sweep and digest now, as the 15-minute schedule would. */
  sweepAlarms(): Promise<void>;
  stats(): {
    presence: ReturnType<AsyncInvoker<unknown>['stats']>;
    telemetry: ReturnType<LocalRecordStream['stats']>;
    pushDeadLetters: number;
  };
  /** Waits until every queued rule invocation and push chunk is done. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export const LOCAL_TABLES = { main: 'lighting-main', telemetry: 'lighting-telemetry' } as const;

export async function startLocalSite(options: LocalSiteOptions): Promise<LocalSite> {
  const { clock } = options;
  // Once stopping, work still in flight fails against servers going away: that is not news.
  let stopping = false;
  const log: LocalSiteOptions['log'] = (message, fields) => {
    if (!stopping) options.log(message, fields);
  };
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    const cloud = await startLocalCloud({
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
    });
    cleanups.push(() => cloud.stop());
    log('local cloud up', {
      dynamodb: cloud.dynamoEndpoint,
      iotHttp: cloud.iotHttpEndpoint,
      mqtt: cloud.mqttUrl,
    });

    const client = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
    const dynamo = new DynamoDBClient({ ...client, endpoint: cloud.dynamoEndpoint });
    await createTables(dynamo, LOCAL_TABLES);
    const platform = makePlatform({
      db: documentClientFor(dynamo),
      iot: new IoTDataPlaneClient({ ...client, endpoint: cloud.iotHttpEndpoint, maxAttempts: 1 }),
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
    const chunks = startLocalWorkQueue(wireChunk(platform), {
      name: 'plan-push',
      visibilityTimeoutMs: 2_000,
    });
    cleanups.push(() => chunks.stop());
    // The nightly push and the API's large changes share the work queue, as on AWS.
    const chunkQueue: ChunkQueue = {
      enqueue: async (messages) => chunks.send(messages.map((m) => JSON.stringify(m))),
    };
    const schedule = wireSchedule(platform, chunkQueue);

    const api = await startHttpGateway(wireApi(platform, verify, chunkQueue), {
      port: options.apiPort,
      onError: (error) => log('api gateway error', { error: String(error) }),
    });
    cleanups.push(() => api.stop());
    const runSchedule = async (scheduledTime: number) => {
      await schedule({ scheduledTime: new Date(scheduledTime * 1000).toISOString() });
      await chunks.drained();
    };
    cleanups.push(
      startDailySchedule(clock, options.seed.config.site.timezone, options.pushAt, (due) => {
        runSchedule(due)
          .then(() => log('daily plan push done'))
          .catch((error: unknown) => log('daily plan push failed', { error: String(error) }));
      }),
    );

    // Reserved concurrency 1 on AWS: a start due while a run is still going joins that run (on a
    // fast simulated clock, runs would otherwise pile up).
    const alarmSweep = wireAlarmSweep(platform, makeLogNotifier(log));
    let alarmRun: Promise<void> | undefined;
    const sweepAlarms = (scheduledTime: number): Promise<void> => {
      alarmRun ??= alarmSweep({ scheduledTime: new Date(scheduledTime * 1000).toISOString() })
        .then(() => {})
        .finally(() => {
          alarmRun = undefined;
        });
      return alarmRun;
    };
    cleanups.push(
      startRateSchedule(clock, ALARM_SWEEP_EVERY_SECONDS, (due) => {
        sweepAlarms(due).catch((error: unknown) => log('alarm sweep failed', { error: String(error) }));
      }),
    );

    const invokers = {
      presence: ruleInvoker(PRESENCE_RULE_SQL, wirePresence(platform), 'presence', log),
    };
    // The broker's receive time on the domain clock: device timestamps are simulated too.
    const receivedAt = () => Math.round(clock.now() * 1000);
    for (const { sql, invoker } of Object.values(invokers)) {
      const rule = compileRule(sql);
      const unsubscribe = await cloud.iot.subscribe(rule.topicFilter, (topic, payload) => {
        const event = rule.toEvent(topic, payload, receivedAt());
        if (event !== undefined) invoker.invoke(event);
      });
      cleanups.push(unsubscribe);
    }
    // Telemetry arrives by Basic Ingest; the rule's action puts the event on the stream, keyed by
    // thing name so each luminaire's reports stay in order on one shard (ADR 0008).
    const telemetryRule = compileRule(TELEMETRY_RULE_SQL);
    const telemetry = startLocalRecordStream(wireTelemetryLedger(platform), { name: 'telemetry' });
    cleanups.push(() => telemetry.stop());
    cleanups.push(
      cloud.iot.routeRule(LOCAL_TELEMETRY_RULE, (topic, payload) => {
        if (!telemetryRule.matches(topic)) return;
        const event = telemetryRule.toEvent(topic, payload, receivedAt());
        if (event !== undefined) telemetry.put(String(event.thing), JSON.stringify(event));
      }),
    );

    return {
      cloud,
      platform,
      apiUrl: api.url,
      signingKey,
      seeded,
      pushPlans: () => runSchedule(clock.now()),
      sweepAlarms: () => sweepAlarms(clock.now()),
      stats: () => ({
        presence: invokers.presence.invoker.stats(),
        telemetry: telemetry.stats(),
        pushDeadLetters: chunks.deadLetters.length,
      }),
      async settled() {
        await Promise.all([
          invokers.presence.invoker.idle(),
          telemetry.drained(),
          chunks.drained(),
          alarmRun?.catch(() => {}),
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

function ruleInvoker(
  sql: string,
  handler: (event: unknown) => Promise<unknown>,
  name: string,
  log: LocalSiteOptions['log'],
) {
  return {
    sql,
    invoker: asyncInvoker<Record<string, unknown>>(handler, {
      concurrency: 8,
      onFailure: (event, error) => log(`${name} rule invocation failed`, { error: String(error), event }),
    }),
  };
}

async function seedIfEmpty(platform: Platform, seed: LocalSiteOptions['seed']): Promise<boolean> {
  try {
    await platform.stores.config.load();
    return false;
  } catch (error) {
    if (!(error instanceof SiteNotConfigured)) throw error;
  }
  await platform.stores.luminaires.put(seed.luminaires);
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
