import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeHandler } from '#functions/api/handler.ts';
import { signToken, startLocalIssuer } from '#functions/auth/local-issuer.ts';
import { createTokenVerifier } from '#functions/auth/verifier.ts';
import type { ChunkMessage } from '#functions/plan-push/chunk-message.ts';
import { makePlanPusher } from '#functions/plan-push/plan-pusher.ts';
import { documentClientFor } from '#functions/shared/clients.ts';
import { makeShadowStore } from '#functions/shared/shadow-store.ts';
import { makeAlarmAcknowledgements } from '#functions/store/alarm-acknowledgements.ts';
import { makeClientWindowCounter } from '#functions/store/client-window-store.ts';
import { makeConfigChangeWriter } from '#functions/store/config-changes.ts';
import { makeIdempotencyStore } from '#functions/store/idempotency-store.ts';
import { createTables, makeStores } from '#functions/store/index.ts';
import { consoleSite } from '#local-runtime/console-site.ts';
import { startHttpGateway } from '#local-runtime/http-gateway.ts';
import { localSignIn } from '#local-runtime/local-sign-in.ts';
import type { Role } from '#protocol/principal.ts';
import type { Config, Luminaire } from '#schedules/index.ts';
import { localDynamoDb, localIotData, uniqueName } from '../local-clients.ts';

/**
 * The technician API as `npm start` runs it: the real handler over fresh tables on the local
 * cloud, the IoT data-plane stand-in, tokens from the local issuer verified against its JWKS over
 * HTTP, and the local HTTP gateway in front. Chunks the API queues are pushed at once.
 */
export async function localApi(
  config: Config,
  luminaires: readonly Luminaire[],
  now: number,
  options: { readonly inlinePushLimit?: number } = {},
) {
  const raw = localDynamoDb();
  const table = { db: documentClientFor(raw), tableName: uniqueName('api'), site: 'test' };
  const telemetryTableName = uniqueName('api-telemetry');
  await createTables(raw, { main: table.tableName, telemetry: telemetryTableName });
  // The cabinets' meter ledger is in the telemetry table (finance's reconciliation reads it).
  const stores = makeStores({ ...table, telemetryTableName });
  await stores.config.replace(config);
  await stores.luminaires.put(luminaires);

  const real = makeShadowStore({ iot: localIotData({ maxAttempts: 1 }) });
  const updated: string[] = [];
  const shadows = {
    get: real.get,
    update(thing: string, shadow: string, document: object) {
      updated.push(thing);
      return real.update(thing, shadow, document);
    },
  };
  const pusher = makePlanPusher({ ...stores, shadows, now: () => now });
  const queued: ChunkMessage[] = [];

  const dataDir = await mkdtemp(join(tmpdir(), 'api-auth-'));
  const jwks = await startLocalIssuer(dataDir);
  const { key } = jwks;
  const deps: Parameters<typeof makeHandler>[0] = {
    ...stores,
    shadows,
    pusher,
    // The chunk worker's job, done as soon as a chunk is queued.
    queue: {
      async enqueue(messages) {
        queued.push(...messages);
        for (const message of messages) await pusher.pushShard(message);
      },
    },
    ...options,
    writer: makeConfigChangeWriter(table),
    idempotency: makeIdempotencyStore(table),
    clientWindows: makeClientWindowCounter(table),
    acknowledgements: makeAlarmAcknowledgements(table),
    verify: createTokenVerifier({ jwksUrl: jwks.jwksUrl, issuer: jwks.issuer }),
    now: () => now,
    newId: () => uniqueName('id'),
  };
  const handler = makeHandler(deps);
  const zones = async () => [...new Set((await stores.luminaires.listAll()).map((l) => l.zone))].sort();
  const gateway = await startHttpGateway(handler, {
    port: 0,
    // What the local runtime serves next to the API (the local sign-in), without a console build.
    site: consoleSite({
      dir: undefined,
      signIn: localSignIn({ key, zones }),
      runtimeConfig: async () => ({
        apiBase: '/api',
        siteId: 'test',
        timezone: config.site.timezone,
        auth: { kind: 'local' },
        map: {},
      }),
    }),
  });
  /** A request to the API (`path` under /api), or with `local`, to the local gateway's own paths. */
  async function request(
    method: string,
    path: string,
    token: string,
    body?: string,
    contentType = 'application/json',
    headers: Record<string, string> = {},
    local = false,
  ) {
    const response = await fetch(`${local ? gateway.url : gateway.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': contentType }),
        ...headers,
      },
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      type,
      text,
      headers: response.headers,
      json: /json/.test(type) ? JSON.parse(text) : undefined,
    };
  }

  return {
    /** The API's base URL (`<origin>/api`), for clients that build their own requests (the CLI). */
    url: gateway.apiUrl,
    stores,
    table,
    pusher,
    /** Plan-push chunks the API queued (changes larger than the inline push limit), pushed since. */
    queued,
    /** Things whose shadows were updated since the last `clearUpdates()`. */
    updated,
    clearUpdates: () => void updated.splice(0),
    /** The local issuer's signing key, for tokens signToken would not write. */
    key,
    token: (roles: Role[], zones: string[] = []) =>
      signToken(key, { subject: roles.join('+'), roles, zones, ttl: '1h' }),
    expiredToken: () => signToken(key, { subject: 'late', roles: ['admin'], zones: [], ttl: '-1m' }),
    request,
    /** Another instance of the API function over the same table: its own memory, the same items. */
    instance: () => makeHandler(deps),
    /** A PUT or DELETE as a client that read the item first: If-Match with the ETag of its GET (none for a new item). */
    async edit(method: 'PUT' | 'DELETE', path: string, token: string, body?: string) {
      const etag = (await request('GET', path.split('?')[0] ?? path, token)).headers.get('etag');
      return request(
        method,
        path,
        token,
        body,
        'application/json',
        etag === null ? {} : { 'if-match': etag },
      );
    },
    async stop() {
      await gateway.stop();
      await jwks.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
