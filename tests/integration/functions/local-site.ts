import type { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClientFor } from '#functions/shared/clients.ts';
import { makeShadowStore, type ShadowStore } from '#functions/shared/shadow-store.ts';
import { createTables, makeStores, type Stores } from '#functions/store/index.ts';
import type { Config, Luminaire } from '#schedules/index.ts';
import { localDynamoDb, localIotData, uniqueName } from '../local-clients.ts';

/** A site of its own on the shared local cloud: fresh tables, its config and luminaires stored. */
export interface LocalSite {
  readonly stores: Stores;
  /** The document client of the site's tables, for writing items as another writer leaves them. */
  readonly db: DynamoDBDocumentClient;
  /** The site's own tables, for reading items as stored. */
  readonly tables: { readonly main: string; readonly telemetry: string };
  /** The real data-plane adapter, counting the updates it sends. */
  readonly shadows: ShadowStore & { updates: number };
}

/** `iot`: the data plane of the IoT stand-in its shadows are on; the shared one by default. */
export async function localSite(
  config: Config,
  luminaires: readonly Luminaire[],
  iot: IoTDataPlaneClient = localIotData({ maxAttempts: 1 }),
): Promise<LocalSite> {
  const raw = localDynamoDb();
  const tableName = uniqueName('main');
  const telemetryTableName = uniqueName('telemetry');
  await createTables(raw, { main: tableName, telemetry: telemetryTableName });
  const db = documentClientFor(raw);
  const stores = makeStores({ db, tableName, telemetryTableName, site: 'test' });
  await stores.config.replace(config);
  await stores.luminaires.put(luminaires);
  const real = makeShadowStore({ iot });
  const shadows = {
    updates: 0,
    update(thing: string, shadow: string, document: object) {
      shadows.updates++;
      return real.update(thing, shadow, document);
    },
    get: real.get,
  };
  return { stores, db, shadows, tables: { main: tableName, telemetry: telemetryTableName } };
}

/**
 * Polls until `probe` returns something truthy, for as long as a round trip through the local cloud
 * takes on a loaded machine (seconds) with a wide margin.
 */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
