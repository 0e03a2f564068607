import { makeStores, type Stores } from '../store/index.ts';
import { dynamoDocumentClient, iotDataClient } from './clients.ts';
import { IotEnv, readEnv, StoreEnv } from './env.ts';
import { makeShadowStore, type ShadowStore } from './shadow-store.ts';

/**
 * The production wiring of the handlers: environment validated and adapters built on the first
 * invocation of a container, then reused. Tests and `npm start` call each handler's `makeHandler`
 * with their own ports instead, so importing a handler module never reads the environment.
 */
export function lazyHandler<E, R>(make: () => (event: E) => Promise<R>): (event: E) => Promise<R> {
  let handler: ((event: E) => Promise<R>) | undefined;
  return (event) => {
    handler ??= make();
    return handler(event);
  };
}

export interface ProductionDeps {
  readonly stores: Stores;
  readonly shadows: ShadowStore;
}

let production: ProductionDeps | undefined;

export function productionDeps(): ProductionDeps {
  if (production === undefined) {
    const env = readEnv(StoreEnv);
    readEnv(IotEnv);
    production = {
      stores: makeStores({
        db: dynamoDocumentClient(),
        tableName: env.TABLE_NAME,
        telemetryTableName: env.TELEMETRY_TABLE_NAME,
        site: env.SITE_ID,
      }),
      shadows: makeShadowStore({ iot: iotDataClient() }),
    };
  }
  return production;
}

/** Epoch seconds, the clock production handlers use. */
export const wallClock = (): number => Date.now() / 1000;
