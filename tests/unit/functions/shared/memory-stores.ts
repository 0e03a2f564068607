import type { ClientWindowCounter } from '#functions/store/client-window-store.ts';
import type { IdempotencyStore, RecordedResponse } from '#functions/store/idempotency-store.ts';
import type {
  AlarmStore,
  AuditEntry,
  BoostGrant,
  ConfigStore,
  ContactorStore,
  DecommissionedLuminaire,
  LiveStateHead,
  LiveStatePart,
  LiveStateStore,
  LuminaireStore,
  MeterState,
  NewAlarm,
  PresenceStateStore,
  PushState,
  PushStateStore,
  ReadingsHead,
  Reject,
  RejectStore,
  RollupTarget,
  RollupWriter,
  TelemetryStore,
  UtilityReadingsStore,
} from '#functions/store/index.ts';
import { shardOf, sumContributions } from '#functions/store/index.ts';
import { toParts } from '#functions/store/live-state-store.ts';
import type { PartitionList } from '#functions/store/partition-list.ts';
import { sameState } from '#functions/store/telemetry-store.ts';
import type { Config, ContactorNights, Luminaire } from '#schedules/index.ts';
import { type CurveMonth, monthOf } from '#schedules/utility/curve-months.ts';

/** In-memory ports with the same contracts as the DynamoDB adapters, for handler unit tests. */
export function memoryConfigStore(config: Config): Pick<ConfigStore, 'load'> {
  return { load: async () => config };
}

/** `audit` receives the entries written with luminaires (putAudited). */
export function memoryLuminaireStore(
  luminaires: readonly Luminaire[],
  audit: AuditEntry[] = [],
): LuminaireStore {
  const byId = new Map(luminaires.map((l) => [l.id, l]));
  const decommissioned = new Map<string, DecommissionedLuminaire>();
  return {
    put: async (list) => {
      for (const l of list) byId.set(l.id, l);
    },
    decommission: async (record, entry) => {
      if (!byId.delete(record.luminaire.id)) return 'not-active';
      decommissioned.set(record.luminaire.id, record);
      audit.push(entry);
      return 'decommissioned';
    },
    decommissioned: async (id) => decommissioned.get(id),
    putAudited: async (list, entries) => {
      for (const l of list) byId.set(l.id, l);
      audit.push(...entries);
    },
    remove: async (ids) => {
      for (const id of ids) byId.delete(id);
    },
    get: async (ids) => ids.flatMap((id) => byId.get(id) ?? []),
    listShard: async (shard) => [...byId.values()].filter((l) => shardOf(l.id) === shard),
    listAll: async () => [...byId.values()],
    listZone: async (zone, street) =>
      [...byId.values()].filter((l) => l.zone === zone && (street === undefined || l.street === street)),
    byThing: async (thing) => [...byId.values()].find((l) => l.thingName === thing),
    byThings: async (things) => [...byId.values()].filter((l) => things.includes(l.thingName)),
  };
}

/** A site's list (sensors, cabinets) by id; `imports` records each audited import as the transaction would write it. */
export function memoryPartitionList<T extends { readonly id: string }>(
  items: readonly T[] = [],
): PartitionList<T> & { readonly imports: { items: readonly T[]; auditId: string }[] } {
  const byId = new Map(items.map((item) => [item.id, item]));
  const imports: { items: readonly T[]; auditId: string }[] = [];
  const put = async (list: readonly T[]) => {
    for (const item of list) byId.set(item.id, item);
  };
  return {
    imports,
    put,
    importAudited: async (list, audit) => {
      await put(list);
      imports.push({ items: list, auditId: audit.id });
    },
    listAll: async () => [...byId.values()],
  };
}

export function memoryContactorStore(): ContactorStore & {
  readonly saved: Map<string, Map<string, ContactorNights>>;
} {
  const saved = new Map<string, Map<string, ContactorNights>>();
  return {
    saved,
    save: async (night, contactors) => {
      saved.set(night, new Map([...(saved.get(night) ?? []), ...contactors]));
    },
    get: async (night, ids) => new Map([...(saved.get(night) ?? [])].filter(([id]) => ids.includes(id))),
  };
}

export function memoryPushStateStore(): PushStateStore & {
  readonly states: Map<string, PushState>;
  readonly leases: Map<number, { holder: string; until: number }>;
} {
  const states = new Map<string, PushState>();
  const leases = new Map<number, { holder: string; until: number }>();
  return {
    states,
    leases,
    forShard: async (shard) => new Map([...states].filter(([id]) => shardOf(id) === shard)),
    get: async (ids) => new Map([...states].filter(([id]) => ids.includes(id))),
    recordAll: async (list) => {
      for (const state of list) states.set(state.id, state);
    },
    forget: async (ids) => {
      for (const id of ids) states.delete(id);
    },
    lease: async (shard, holder, now, until) => {
      const current = leases.get(shard);
      if (current !== undefined && current.until >= now && current.holder !== holder) return false;
      leases.set(shard, { holder, until });
      return true;
    },
    releaseLease: async (shard, holder) => {
      if (leases.get(shard)?.holder === holder) leases.delete(shard);
    },
  };
}

/**
 * Meter states with the DynamoDB adapter's condition; an advance adds its night's contributions to
 * `rollups` (the luminaire-night item the adapter writes in the same update, under the same mark).
 */
export function memoryTelemetryStore(
  rollups: RollupWriter = memoryRollupStore(),
): TelemetryStore & { readonly meters: Map<string, MeterState> } {
  const meters = new Map<string, MeterState>();
  return {
    meters,
    meterState: async (id) => meters.get(id),
    meterStates: async (lookups) =>
      new Map(
        lookups.flatMap(({ luminaireId: id }) => {
          const state = meters.get(id);
          return state === undefined ? [] : [[id, { state, onMeterItem: false }] as const];
        }),
      ),
    lastReports: async (ids) =>
      new Map(
        ids.flatMap((id) => {
          const meter = meters.get(id);
          return meter === undefined
            ? []
            : [[id, { ts: meter.ts, planHash: meter.planHash, level: meter.level }] as const];
        }),
      ),
    advance: async (id, previous, next, contributions, shard) => {
      if (!sameState(meters.get(id), previous?.state)) return 'stale';
      meters.set(id, next);
      await rollups.apply({ target: { luminaireId: id, night: next.night }, contributions }, shard);
      return 'committed';
    },
  };
}

export interface MemoryRollup {
  readonly target: RollupTarget;
  wh: number;
  burnH: number;
  reports: number;
  firstTs?: number;
  lastTs?: number;
  /** The high-water mark per stream shard, as the adapter keeps it. */
  readonly marks: Map<string, string>;
}

/** Rollup items with the adapter's per-shard high-water marks: a contribution is taken once. */
export function memoryRollupStore(): RollupWriter & { readonly items: Map<string, MemoryRollup> } {
  const items = new Map<string, MemoryRollup>();
  return {
    items,
    apply: async ({ target, contributions }, shard) => {
      const key = JSON.stringify(target);
      const item = items.get(key) ?? {
        target,
        wh: 0,
        burnH: 0,
        reports: 0,
        marks: new Map<string, string>(),
      };
      const mark = item.marks.get(shard);
      const pending = contributions.filter((c) => mark === undefined || c.position > mark);
      const last = pending[pending.length - 1];
      if (last === undefined) return 'already';
      const sums = sumContributions(pending);
      item.wh += sums.wh;
      item.burnH += sums.burnH;
      item.reports += sums.reports;
      item.firstTs ??= pending[0]?.ts;
      item.lastTs = last.ts;
      item.marks.set(shard, last.position);
      items.set(key, item);
      return 'applied';
    },
  };
}

/** Rejects keyed as the adapter keys them (thing, receive time, reason, message). */
export function memoryRejectStore(): RejectStore & { readonly items: Map<string, Reject> } {
  const items = new Map<string, Reject>();
  return {
    items,
    record: async (reject) => {
      items.set(`${reject.thing}/${reject.receivedAt}/${reject.reason}/${reject.message}`, reject);
    },
    list: async (thing, fromMs, toMs) =>
      [...items.values()]
        .filter((r) => r.thing === thing && r.receivedAt >= fromMs && r.receivedAt <= toMs)
        .sort((a, b) => a.receivedAt - b.receivedAt),
  };
}

/** Alarm store keeping one alarm per (luminaire, kind), as the adapter's conditions do. */
export function memoryAlarmStore(): Pick<AlarmStore, 'open' | 'clear' | 'listOpen'> & {
  readonly open_: Map<string, NewAlarm>;
  readonly log: string[];
} {
  const open_ = new Map<string, NewAlarm>();
  const log: string[] = [];
  return {
    open_,
    log,
    open: async (alarm) => {
      const key = `${alarm.luminaireId}/${alarm.kind}`;
      if (open_.has(key)) return 'already-open';
      open_.set(key, alarm);
      log.push(`open ${key}`);
      return 'opened';
    },
    clear: async (id, kind) => {
      const key = `${id}/${kind}`;
      if (!open_.delete(key)) return 'not-open';
      log.push(`clear ${key}`);
      return 'cleared';
    },
    listOpen: async () => [...open_.values()].map((alarm) => ({ ...alarm, state: 'open' as const })),
  };
}

/** Presence state with the adapter's conditions, shareable by several handlers (containers). */
export function memoryPresenceStateStore(): PresenceStateStore & {
  readonly boosts: Map<string, BoostGrant>;
} {
  const seen = new Set<string>();
  const boosts = new Map<string, BoostGrant>();
  return {
    boosts,
    firstSighting: async (sensor, id) => {
      const key = `${sensor}/${id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
    forgetSighting: async (sensor, id) => {
      seen.delete(`${sensor}/${id}`);
    },
    claimBoost: async (id, grant, neededUntil) => {
      const stored = boosts.get(id);
      if (stored !== undefined && stored.until >= neededUntil && stored.level >= grant.level) return false;
      boosts.set(id, grant);
      return true;
    },
    releaseBoost: async (id, grant) => {
      const stored = boosts.get(id);
      if (stored?.until === grant.until && stored.level === grant.level) boosts.delete(id);
    },
  };
}

/** Idempotency records with the adapter's conditions (lease and expiry ignored: tests run within both). */
export function memoryIdempotencyStore(): IdempotencyStore & {
  readonly records: Map<string, { fingerprint: string; response?: RecordedResponse }>;
} {
  const records = new Map<string, { fingerprint: string; response?: RecordedResponse }>();
  const keyOf = (principal: string, key: string) => `${principal}/${key}`;
  return {
    records,
    claim: async (principal, key, fingerprint) => {
      const stored = records.get(keyOf(principal, key));
      if (stored === undefined) {
        records.set(keyOf(principal, key), { fingerprint });
        return { kind: 'claimed' };
      }
      return stored.response === undefined
        ? { kind: 'in-progress', fingerprint: stored.fingerprint }
        : { kind: 'done', fingerprint: stored.fingerprint, response: stored.response };
    },
    complete: async (principal, key, fingerprint, response) => {
      records.set(keyOf(principal, key), { fingerprint, response });
      return true;
    },
    release: async (principal, key) => {
      if (records.get(keyOf(principal, key))?.response === undefined) records.delete(keyOf(principal, key));
    },
  };
}

/** Request windows with the adapter's condition (TTL ignored: each window has its own key). */
export function memoryClientWindowCounter(): ClientWindowCounter & { readonly hits: Map<string, number> } {
  const hits = new Map<string, number>();
  return {
    hits,
    count: async (request) => {
      const key = `${request.group}/${request.pseudonym}/${request.windowStart}`;
      const counted = hits.get(key) ?? 0;
      if (counted >= request.limit) return false;
      hits.set(key, counted + 1);
      return true;
    },
  };
}

/** The live-state snapshot in memory, cut into parts as DynamoDB holds it. */
export function memoryLiveStateStore(site = 'test', partSize?: number): LiveStateStore {
  let head: LiveStateHead | undefined;
  let parts = new Map<string, LiveStatePart>();
  return {
    head: async () => head,
    async replace(at, reportIntervalSeconds, entries) {
      const written = toParts(site, entries, partSize);
      parts = new Map(written.map((part) => [part.key, part]));
      head = {
        at,
        reportIntervalSeconds,
        parts: written.map(({ key, zone, ids }) => ({ key, zone, count: ids.length })),
      };
    },
    parts: async (keys) => keys.flatMap((key) => parts.get(key) ?? []),
  };
}

/**
 * Utility load curves by `point#month` as committed, and a head whose rev counts the imports, as
 * the adapter switches its head; `overtakeNext` has another import commit just before the next
 * replace's switch.
 */
export function memoryUtilityReadingsStore(): UtilityReadingsStore & {
  readonly items: Map<string, CurveMonth>;
  overtakeNext(): void;
} {
  const items = new Map<string, CurveMonth>();
  let head: ReadingsHead = { rev: 0, versions: {} };
  let overtaken = false;
  return {
    items,
    overtakeNext() {
      overtaken = true;
    },
    async head() {
      return head;
    },
    async months(_head, deliveryPointId, span) {
      const first = span === undefined ? '' : monthOf(span.from);
      const last = span === undefined ? '\uffff' : monthOf(span.to - 1);
      return [...items.values()]
        .filter((m) => m.deliveryPointId === deliveryPointId && m.month >= first && m.month <= last)
        .sort((a, b) => (a.month < b.month ? -1 : 1));
    },
    async replace(read, points) {
      if (overtaken) head = { ...head, rev: head.rev + 1 };
      overtaken = false;
      if (read.rev !== head.rev) return 'conflict';
      for (const [point, months] of points) {
        for (const key of [...items.keys()]) if (key.startsWith(`${point}#`)) items.delete(key);
        for (const m of months) items.set(`${point}#${m.month}`, m);
      }
      head = { rev: head.rev + 1, versions: {} };
      return 'committed';
    },
  };
}
