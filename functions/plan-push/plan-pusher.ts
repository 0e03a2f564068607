import { randomUUID } from 'node:crypto';
import { DEFAULT_FALLBACK_LEVEL, encodeShadowPlan, PlanTooLarge } from '#protocol/plan-codec.ts';
import type { ShadowPlan } from '#protocol/shadows.ts';
import { PLAN_SHADOW } from '#protocol/topics.ts';
import {
  addDays,
  type Circuits,
  type Config,
  type ContactorNights,
  contactorNights,
  type LocalDate,
  type Luminaire,
  type LuminaireSchedule,
  NO_CIRCUITS,
  nightOf,
  nightWindow,
  planCabinet,
  planNights,
  ZoneClock,
} from '#schedules/index.ts';
import { hasOwnController } from '#schedules/inventory/index.ts';
import { type BackoffOptions, DEFAULT_BACKOFF, mapBounded, withBackoff } from '../shared/backoff.ts';
import { loadCircuits } from '../shared/circuits.ts';
import { DomainError } from '../shared/errors.ts';
import type { ShadowFailure, ShadowStore } from '../shared/shadow-store.ts';
import type { Platform } from '../shared/wiring.ts';
import {
  type CabinetStore,
  type ConfigStore,
  type ContactorStore,
  type LuminaireStore,
  type PushState,
  type PushStateStore,
  shardOf,
} from '../store/index.ts';
import type { ChunkMessage } from './chunk-message.ts';

export interface PlanPusherDeps {
  readonly config: Pick<ConfigStore, 'load'>;
  readonly luminaires: Pick<LuminaireStore, 'listShard' | 'get' | 'listAll'>;
  readonly cabinets: Pick<CabinetStore, 'listAll'>;
  readonly contactors: ContactorStore;
  readonly pushState: PushStateStore;
  readonly shadows: ShadowStore;
  /** Epoch seconds now (injected so tests and the simulated clock decide the night). */
  readonly now: () => number;
  /** Shadow updates in flight per chunk. */
  readonly concurrency?: number;
  readonly backoff?: BackoffOptions;
}

export interface PushSummary {
  readonly night: LocalDate;
  readonly planned: number;
  /** Plan identical to the one last pushed: no shadow update sent. */
  readonly unchanged: number;
  readonly pushed: number;
  /** Shadow updates sent in total, retries after throttling included. */
  readonly requests: number;
  readonly failed: readonly {
    readonly id: string;
    readonly reason: PushFailure;
    readonly message: string;
  }[];
}

/** Why a luminaire's plan was not pushed: the shadow update failed, or the plan does not fit a controller. */
export type PushFailure = ShadowFailure | 'plan-too-large';

export interface PlanPusher {
  /** Plans and pushes one shard for the night of the message (plan-push chunk). */
  pushShard(message: ChunkMessage): Promise<PushSummary>;
  /**
   * Re-plans and pushes only these luminaires, from the current night (after a technician's change).
   * It takes the push lease of their shards, as a chunk does; the luminaires of a shard a chunk is
   * pushing right now are left out and their shards returned as `busyShards`: that chunk may have
   * planned from the configuration before the change, so the caller queues them again.
   */
  pushLuminaires(ids: readonly string[], runId: string): Promise<LuminairesPushSummary>;
  /**
   * Plans and pushes every connected cabinet's `plan` shadow for the night (planCabinet over the
   * luminaires it feeds), in the luminaires' plan form. Cabinets are few: no push state, each is
   * pushed every night. Their contactors by night are recorded first, for the night's chunks to plan
   * the luminaires behind them from: call it before the chunks are queued.
   */
  pushCabinets(night: LocalDate): Promise<PushSummary>;
}

export interface LuminairesPushSummary extends PushSummary {
  readonly busyShards: readonly number[];
}

/** Another worker holds the shard's push lease (the same SQS message delivered twice): try later. */
export class ShardBusy extends DomainError {
  constructor(readonly shard: number) {
    super('conflict', `plan push of shard ${shard} is in progress elsewhere`);
    this.name = 'ShardBusy';
  }
}

export const DEFAULT_PUSH_CONCURRENCY = 32;
/** Longer than a chunk can run (Lambda: 15 min); SQS redelivers after its visibility timeout. */
const LEASE_SECONDS = 900;
/** Push states are written in BatchWriteItem groups as updates complete. */
const RECORD_BATCH = 25;

const RETRYABLE: ReadonlySet<ShadowFailure> = new Set(['throttled', 'unavailable', 'conflict']);

export function makePlanPusher(deps: PlanPusherDeps): PlanPusher {
  const concurrency = deps.concurrency ?? DEFAULT_PUSH_CONCURRENCY;
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;

  /**
   * Plans bounded by the site's circuits, read for every push: the alarm sweep compares what
   * luminaires report with what was pushed, so a push must never plan from cabinets older than the
   * configuration it read.
   */
  async function push(
    config: Config,
    luminaires: readonly Luminaire[],
    circuits: Circuits,
    pushed: ReadonlyMap<string, PushState>,
    night: LocalDate,
    runId: string,
  ): Promise<PushSummary> {
    // A luminaire without its own controller has no device: its cabinet's plan drives it.
    const devices = luminaires.filter(hasOwnController);
    return pushSchedules(
      planNights(config, devices, night, config.planNights, circuits),
      pushed,
      night,
      runId,
    );
  }

  /** `runId` null: pushed without recording a push state (the cabinets, pushed every night). */
  async function pushSchedules(
    schedules: readonly Pick<LuminaireSchedule, 'id' | 'thingName' | 'steps' | 'until' | 'fades'>[],
    pushed: ReadonlyMap<string, PushState>,
    night: LocalDate,
    runId: string | null,
  ): Promise<PushSummary> {
    let unchanged = 0;
    let requests = 0;
    const failed: { id: string; reason: PushFailure; message: string }[] = [];
    let pending: PushState[] = [];
    const flush = async () => {
      const batch = pending;
      pending = [];
      await deps.pushState.recordAll(batch);
    };
    await mapBounded(schedules, concurrency, async (schedule) => {
      let plan: ShadowPlan;
      try {
        plan = encodeShadowPlan(schedule.steps, schedule.until, DEFAULT_FALLBACK_LEVEL, schedule.fades);
      } catch (error) {
        // Never recorded as pushed: the chunk fails, so SQS retries it and its dead-letter alarm fires.
        if (!(error instanceof PlanTooLarge)) throw error;
        failed.push({ id: schedule.id, reason: 'plan-too-large', message: error.message });
        return;
      }
      if (pushed.get(schedule.id)?.hash === plan.h) {
        unchanged++;
        return;
      }
      const { result, attempts } = await withBackoff(
        () => deps.shadows.update(schedule.thingName, PLAN_SHADOW, { state: { desired: { plan } } }),
        (r) => !r.ok && RETRYABLE.has(r.reason),
        backoff,
      );
      requests += attempts;
      if (!result.ok) {
        failed.push({ id: schedule.id, reason: result.reason, message: result.message });
        return;
      }
      if (runId === null) return;
      pending.push({
        id: schedule.id,
        hash: plan.h,
        night,
        runId,
        pushedAt: new Date(deps.now() * 1000).toISOString(),
      });
      if (pending.length >= RECORD_BATCH) await flush();
    });
    await flush();
    return {
      night,
      planned: schedules.length,
      unchanged,
      pushed: schedules.length - unchanged - failed.length,
      requests,
      failed,
    };
  }

  const lease = (shard: number, holder: string) => {
    const now = deps.now();
    return deps.pushState.lease(shard, holder, now, now + LEASE_SECONDS);
  };

  return {
    async pushShard({ night, shard, runId }) {
      const holder = `${runId}/${randomUUID()}`;
      if (!(await lease(shard, holder))) throw new ShardBusy(shard);
      try {
        const [config, luminaires, pushed] = await Promise.all([
          deps.config.load(),
          deps.luminaires.listShard(shard),
          deps.pushState.forShard(shard),
        ]);
        // The contactors the schedule recorded for this push: without one for every night planned
        // (a cabinet connected since, planNights changed) the chunk reads the whole inventory.
        const nights = Array.from({ length: config.planNights }, (_, i) => addDays(night, i));
        const circuits = await loadCircuits(deps, luminaires, async (ids) => {
          const recorded = await deps.contactors.get(night, ids);
          return new Map([...recorded].filter(([, byNight]) => nights.every((n) => byNight.has(n))));
        });
        return await push(config, luminaires, circuits, pushed, night, runId);
      } finally {
        await deps.pushState.releaseLease(shard, holder);
      }
    },

    async pushCabinets(night) {
      const [config, cabinets] = await Promise.all([deps.config.load(), deps.cabinets.listAll()]);
      const connected = cabinets.filter((cabinet) => cabinet.controller === 'connected');
      // A cabinet's luminaires may be in any shard: the whole inventory is read, once a night, and
      // only where there is a cabinet to plan.
      const luminaires = connected.length === 0 ? [] : await deps.luminaires.listAll();
      const fedBy = new Map<string, Luminaire[]>();
      for (const luminaire of luminaires) {
        if (luminaire.cabinet === undefined) continue;
        const fed = fedBy.get(luminaire.cabinet) ?? [];
        fed.push(luminaire);
        fedBy.set(luminaire.cabinet, fed);
      }
      const until = nightWindow(
        ZoneClock.of(config.site.timezone),
        addDays(night, config.planNights - 1),
      ).end;
      const contactors = new Map<string, ContactorNights>();
      const schedules = connected.map((cabinet) => {
        const fed = fedBy.get(cabinet.id) ?? [];
        // The cabinet follows what its luminaires' profiles ask: their plans before any contactor.
        const planned = planNights(config, fed, night, config.planNights, NO_CIRCUITS);
        contactors.set(cabinet.id, contactorNights(fed, planned, night, config.planNights));
        const { steps } = planCabinet(
          fed.map((luminaire, i) => ({ luminaire, steps: planned[i]?.steps ?? [] })),
        );
        return { id: cabinet.id, thingName: cabinet.thingName, steps, until, fades: [] };
      });
      await deps.contactors.save(night, contactors);
      return pushSchedules(schedules, new Map(), night, null);
    },

    async pushLuminaires(ids, runId) {
      const holder = `${runId}/${randomUUID()}`;
      const shards = [...new Set(ids.map((id) => shardOf(id)))];
      const leased = await Promise.all(shards.map((shard) => lease(shard, holder)));
      const held = new Set(shards.filter((_, i) => leased[i]));
      try {
        // The configuration is read once the leases are held, so no chunk can push an older one after.
        const mine = ids.filter((id) => held.has(shardOf(id)));
        const [config, luminaires, pushed] = await Promise.all([
          deps.config.load(),
          deps.luminaires.get(mine),
          deps.pushState.get(mine),
        ]);
        const summary = await push(
          config,
          luminaires,
          await loadCircuits(deps, luminaires),
          pushed,
          nightOf(config.site.timezone, deps.now()),
          runId,
        );
        return { ...summary, busyShards: shards.filter((shard) => !held.has(shard)).sort((a, b) => a - b) };
      } finally {
        await Promise.all([...held].map((shard) => deps.pushState.releaseLease(shard, holder)));
      }
    },
  };
}

/** The pusher over a platform's stores, shared by the chunk worker and the API's re-plans. */
export const planPusherOf = ({ stores, shadows, now }: Platform): PlanPusher =>
  makePlanPusher({
    config: stores.config,
    luminaires: stores.luminaires,
    cabinets: stores.cabinets,
    contactors: stores.contactors,
    pushState: stores.pushState,
    shadows,
    now,
  });
