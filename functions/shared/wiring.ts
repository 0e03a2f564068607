import type { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { makeStores, type Stores } from '../store/index.ts';
import { dynamoDocumentClient, iotDataClient } from './clients.ts';
import { IotEnv, readEnv, StoreEnv } from './env.ts';
import { logger } from './logger.ts';
import { makeShadowStore, type ShadowStore } from './shadow-store.ts';

/**
 * What every handler is wired from: the stores, the shadow port and the clocks. Production builds
 * one from the environment on the first invocation of a container (`productionPlatform`); `npm start`
 * builds one over the local cloud with a simulated clock; tests call `makeHandler` with their own
 * ports. Each handler module exports `wire(platform, ...)`, so there is one wiring per handler.
 */
export interface Platform {
  readonly stores: Stores;
  readonly shadows: ShadowStore;
  readonly table: { readonly db: DynamoDBDocumentClient; readonly tableName: string; readonly site: string };
  /** Domain time in epoch seconds: plans, boosts, "the coming night" (simulated under `npm start`). */
  readonly now: () => number;
  /** Real time in epoch seconds, for cache freshness, which is about real seconds whatever the clock. */
  readonly realNow: () => number;
}

export interface PlatformLocation {
  readonly db: DynamoDBDocumentClient;
  readonly iot: IoTDataPlaneClient;
  readonly tableName: string;
  readonly telemetryTableName: string;
  readonly site: string;
  readonly now?: () => number;
}

/** Epoch seconds, the clock production handlers use. */
export const wallClock = (): number => Date.now() / 1000;

export function makePlatform(location: PlatformLocation): Platform {
  const { db, tableName, site } = location;
  return {
    stores: makeStores({ db, tableName, telemetryTableName: location.telemetryTableName, site }),
    shadows: makeShadowStore({ iot: location.iot }),
    table: { db, tableName, site },
    now: location.now ?? wallClock,
    realNow: wallClock,
  };
}

let production: Platform | undefined;

export function productionPlatform(): Platform {
  if (production === undefined) {
    const env = readEnv(StoreEnv);
    readEnv(IotEnv);
    production = makePlatform({
      db: dynamoDocumentClient(),
      iot: iotDataClient(),
      tableName: env.TABLE_NAME,
      telemetryTableName: env.TELEMETRY_TABLE_NAME,
      site: env.SITE_ID,
    });
  }
  return production;
}

/**
 * A Lambda entry point whose environment is validated and adapters built on the first invocation,
 * then reused; importing a handler module never reads the environment. Every log line of an
 * invocation carries its Lambda request id (Powertools' context keys), so one request's lines can
 * be found among a busy function's.
 */
export function lazyHandler<E, R>(
  make: () => (event: E) => Promise<R>,
): (event: E, context?: Context) => Promise<R> {
  let handler: ((event: E) => Promise<R>) | undefined;
  return (event, context) => {
    if (context !== undefined) logger.addContext(context);
    handler ??= make();
    return handler(event);
  };
}
