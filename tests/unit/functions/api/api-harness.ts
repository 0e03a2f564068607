import { vi } from 'vitest';
import { applyChange } from '#functions/api/change/apply.ts';
import type { ApiDeps } from '#functions/api/deps.ts';
import { makeHandler } from '#functions/api/handler.ts';
import type { TokenVerifier } from '#functions/auth/verifier.ts';
import type { ChunkMessage } from '#functions/plan-push/chunk-message.ts';
import type { ShadowStore } from '#functions/shared/shadow-store.ts';
import { ConfigurationChanged } from '#functions/store/config-changes.ts';
import type { AlarmStore, AuditEntry, LuminaireStore, RollupStore } from '#functions/store/index.ts';
import type { Principal } from '#protocol/principal.ts';
import type { Config } from '#schedules/index.ts';
import type { Cabinet } from '#schedules/inventory/index.ts';
import { twoRuleConfig } from '#tests/support/functions/api/fixtures.ts';
import { httpEvent } from '#tests/support/functions/api/http-event.ts';
import { noClosedNights } from '#tests/support/functions/closed-nights.ts';
import { testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import {
  memoryClientWindowCounter,
  memoryIdempotencyStore,
  memoryLiveStateStore,
  memoryLuminaireStore,
  memoryPartitionList,
  memoryUtilityReadingsStore,
} from '../shared/memory-stores.ts';

const principals: Record<string, Principal> = {
  admin: { sub: 'a', username: 'ada', roles: ['admin'], zones: 'all' },
  tech: { sub: 't', username: 'theo', roles: ['technician'], zones: 'all' },
  citeTech: { sub: 'c', username: 'camille', roles: ['technician'], zones: ['cite'] },
  finance: { sub: 'f', username: 'fanny', roles: ['finance'], zones: 'all' },
};
const verify: TokenVerifier = async (token) => {
  const principal = principals[token];
  return principal === undefined ? { ok: false, reason: 'token expired' } : { ok: true, principal };
};

// 2026-06-21 14:00 UTC: the coming night is the night of 2026-06-21.
export const NOW = Date.parse('2026-06-21T14:00:00Z') / 1000;

/**
 * The API handler over in-memory ports: the configuration changes when the writer commits, audit
 * entries, pushed ids and queued chunks are recorded, tokens are the keys of `principals`.
 */
export function apiHarness(
  options: {
    shadows?: ShadowStore;
    inlinePushLimit?: number;
    busyShards?: readonly number[];
    /** The pusher and the queue throw this, as when IoT or SQS is down. */
    pushError?: Error;
    /** Wraps the in-memory inventory, e.g. to make a write fail. */
    luminaires?: (store: LuminaireStore) => LuminaireStore;
    alarms?: AlarmStore;
    luminaireNights?: RollupStore['luminaireNights'];
    /** The cabinets' metered nights (none by default). */
    cabinetNights?: ApiDeps['cabinetMeters']['meteredByNight'];
    /** The sweep's live-state snapshot (empty: no sweep ran yet). */
    liveState?: ApiDeps['liveState'];
  } = {},
) {
  let config: Config = twoRuleConfig();
  let version = 0;
  let ids = 0;
  const cabinets = memoryPartitionList<Cabinet>();
  const sensors = memoryPartitionList([
    { id: 'S-cite-1', lat: 43.2068, lon: 2.3644, street: 'Rue Trivalle', zone: 'cite' },
  ]);
  const audit: AuditEntry[] = [];
  const stored = memoryLuminaireStore(testLuminaires(6), audit);
  const luminaires = options.luminaires?.(stored) ?? stored;
  const idempotency = memoryIdempotencyStore();
  const pushed: string[][] = [];
  const queued: ChunkMessage[] = [];
  const utilityReadings = memoryUtilityReadingsStore();
  const deps: ApiDeps = {
    config: {
      load: async () => config,
      loadVersioned: async () => ({ config, version }),
      replace: vi.fn(),
    },
    luminaires,
    sensors,
    cabinets,
    cabinetMeters: { meteredByNight: options.cabinetNights ?? (async () => new Map()) },
    liveState: options.liveState ?? memoryLiveStateStore(),
    idempotency,
    clientWindows: memoryClientWindowCounter(),
    writer: {
      commit: async (change, entry, expected) => {
        if (expected !== version) throw new ConfigurationChanged();
        config = applyChange(config, change);
        version += 1;
        audit.push(entry);
      },
    },
    audit: {
      append: async (entry) => {
        audit.push(entry as AuditEntry);
        return entry as AuditEntry;
      },
      list: async () => ({ items: [...audit].reverse() }),
    },
    alarms: options.alarms ?? {
      open: vi.fn(),
      clear: vi.fn(),
      listOpen: async () => [],
      forLuminaire: async () => [],
      openDuring: async () => [],
    },
    acknowledgements: { acknowledge: async () => 'not-open', close: async () => 'not-open' },
    statements: { versions: async () => [], document: async () => undefined, put: async () => 'written' },
    utilityReadings,
    rollups: { luminaireNights: options.luminaireNights ?? (async () => []) },
    closedNights: noClosedNights(options.luminaireNights ?? (async () => [])),
    shadows: options.shadows ?? {
      get: async () => ({ ok: false, reason: 'throttled', message: 'Rate exceeded' }),
      update: vi.fn(),
    },
    pusher: {
      pushLuminaires: async (ids) => {
        if (options.pushError !== undefined) throw options.pushError;
        pushed.push([...ids]);
        return {
          night: '2026-06-21',
          planned: ids.length,
          unchanged: 0,
          pushed: ids.length,
          requests: ids.length,
          failed: [],
          busyShards: options.busyShards ?? [],
        };
      },
    },
    queue: {
      enqueue: async (messages) => {
        if (options.pushError !== undefined) throw options.pushError;
        queued.push(...messages);
      },
    },
    ...(options.inlinePushLimit === undefined ? {} : { inlinePushLimit: options.inlinePushLimit }),
    now: () => NOW,
    newId: () => `id-${++ids}`,
  };
  const handle = makeHandler({ ...deps, verify });
  const call = async (
    method: string,
    path: string,
    token: string,
    body?: unknown,
    contentType?: string,
    headers?: Record<string, string>,
  ) => {
    const result = await handle(
      httpEvent(method, path, {
        token,
        ...(headers === undefined ? {} : { headers }),
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        ...(contentType === undefined ? {} : { contentType }),
      }),
    );
    const answered = result.headers ?? {};
    // A JSON body parsed, any other (an export's CSV) as text.
    const isJson = /json/.test(String(answered['content-type'] ?? 'application/json'));
    return {
      status: result.statusCode,
      headers: answered,
      body: result.body === '' ? null : isJson ? JSON.parse(result.body ?? 'null') : result.body,
    };
  };
  /**
   * A PUT or DELETE as a client that read the item first: with If-Match and the ETag of its GET
   * (none when the item does not exist yet).
   */
  const edit = async (method: 'PUT' | 'DELETE', path: string, token: string, body?: unknown) => {
    const read = await call('GET', path.split('?')[0] ?? path, 'admin');
    const etag = read.headers.etag === undefined ? undefined : String(read.headers.etag);
    return call(method, path, token, body, undefined, etag === undefined ? undefined : { 'if-match': etag });
  };
  return {
    call,
    edit,
    audit,
    pushed,
    queued,
    config: () => config,
    luminaires,
    idempotency,
    sensors,
    cabinets,
    utilityReadings,
  };
}
