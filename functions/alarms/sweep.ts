import { LIVE_STATES, type LiveState, liveStateCode, liveStateOf } from '#protocol/live-state.ts';
import {
  type Circuits,
  type Config,
  circuitsOf,
  type Luminaire,
  type LuminairePlan,
  nightOf,
  nightWindow,
  planNight,
  ZoneClock,
} from '#schedules/index.ts';
import type { PlanPusher } from '../plan-push/plan-pusher.ts';
import { mapBounded } from '../shared/backoff.ts';
import {
  type AlarmStore,
  type CabinetStore,
  type ConfigStore,
  type LastReport,
  type LiveStateEntry,
  type LiveStateStore,
  LUMINAIRE_SHARDS,
  type LuminaireStore,
  type PushStateStore,
  type TelemetryStore,
} from '../store/index.ts';
import { DRIFT_REPUSH_RUN, driftVerdict } from './drift.ts';
import { NOT_REPORTING, PLAN_DRIFT } from './kinds.ts';
import { isSilent } from './silence.ts';

export interface SweepDeps {
  readonly config: Pick<ConfigStore, 'load'>;
  readonly luminaires: Pick<LuminaireStore, 'listShard'>;
  /** With the luminaires, what bounds their plans, as the pusher bounded them. */
  readonly cabinets: Pick<CabinetStore, 'listAll'>;
  readonly pushState: Pick<PushStateStore, 'forShard' | 'forget'>;
  readonly telemetry: Pick<TelemetryStore, 'lastReports'>;
  readonly alarms: Pick<AlarmStore, 'open' | 'clear' | 'listOpen'>;
  readonly pusher: Pick<PlanPusher, 'pushLuminaires'>;
  /** Where the sweep leaves what it saw of every luminaire, for the console's map. */
  readonly liveState: Pick<LiveStateStore, 'replace'>;
  /** Epoch seconds (simulated under `npm start`). */
  readonly now: () => number;
  /** Shards read at once: each is a Query, a push-state Query and ~8 BatchGetItem calls. */
  readonly concurrency?: number;
}

export interface SweepSummary {
  readonly luminaires: number;
  /** Luminaires per live state in the snapshot written. */
  readonly states: Readonly<Record<LiveState, number>>;
  readonly opened: readonly { readonly id: string; readonly kind: string }[];
  readonly cleared: readonly { readonly id: string; readonly kind: string }[];
  readonly repushed: number;
}

/** How often the sweep runs (EventBridge Scheduler on AWS, the local runtime's stand-in locally). */
export const ALARM_SWEEP_EVERY_SECONDS = 15 * 60;

const DEFAULT_CONCURRENCY = 8;
const SWEPT_KINDS: ReadonlySet<string> = new Set([NOT_REPORTING, PLAN_DRIFT]);

const iso = (t: number) => new Date(t * 1000).toISOString();

/** The level a plan gives at `t` (epoch seconds): its last transition at or before `t`, else off. */
export function plannedLevelAt(plan: Pick<LuminairePlan, 'transitions'> | undefined, t: number): number {
  let level = 0;
  for (const transition of plan?.transitions ?? []) {
    if (transition.at > t) break;
    level = transition.level;
  }
  return level;
}

/**
 * What tonight's plan, bounded by the cabinets as the pushed one was, gave each luminaire when it
 * last reported. A report from another night is not judged against tonight's plan: it counts as
 * planned (never "boosted").
 */
function plannedLevels(config: Config, luminaires: readonly Luminaire[], circuits: Circuits, now: number) {
  const night = nightOf(config.site.timezone, now);
  const window = nightWindow(ZoneClock.of(config.site.timezone), night);
  const plans = new Map(
    planNight(config, luminaires, night, circuits).luminaires.map((plan) => [plan.id, plan]),
  );
  return (luminaire: Luminaire, report: LastReport | undefined): number =>
    report === undefined || report.ts < window.start || report.ts >= window.end
      ? 100
      : plannedLevelAt(plans.get(luminaire.id), report.ts);
}
const alarmKey = (id: string, kind: string) => `${id}\u0000${kind}`;

/**
 * The periodic per-luminaire health sweep, shard by shard (AP2, AP3, AP6): a luminaire whose last
 * report is too old gets `not-reporting`; one whose reported plan hash differs from the pushed one
 * is re-pushed, then gets `plan-drift` if that did not help. Both clear once the condition is gone.
 * Only state changes write: the open alarms are read once (AP8) and compared.
 */
export function makeSweep(deps: SweepDeps) {
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  return async function sweep(): Promise<SweepSummary> {
    const now = deps.now();
    const at = iso(now);
    const [config, openAlarms, cabinets] = await Promise.all([
      deps.config.load(),
      deps.alarms.listOpen(),
      deps.cabinets.listAll(),
    ]);
    const open = new Set(
      openAlarms.filter((a) => SWEPT_KINDS.has(a.kind)).map((a) => alarmKey(a.luminaireId, a.kind)),
    );
    // Alarms that colour the map (not-reporting is shown from the report's age instead).
    const alarmed = new Map<string, Set<string>>();
    const mark = (id: string, kind: string, on: boolean) => {
      if (kind === NOT_REPORTING) return;
      const kinds = alarmed.get(id) ?? new Set<string>();
      if (on) kinds.add(kind);
      else kinds.delete(kind);
      alarmed.set(id, kinds);
    };
    for (const alarm of openAlarms) mark(alarm.luminaireId, alarm.kind, true);
    const entries: LiveStateEntry[] = [];
    const opened: { id: string; kind: string }[] = [];
    const cleared: { id: string; kind: string }[] = [];
    let luminaireCount = 0;
    let repushed = 0;

    // Checked before awaiting: most luminaires change nothing, and an await each would cost them all.
    const changes = (id: string, kind: string, on: boolean) => on !== open.has(alarmKey(id, kind));
    /** Opens or clears the alarm, once `changes` says it must. */
    const set = async (luminaire: Luminaire, kind: string, on: boolean, detail: string) => {
      if (on) {
        const { id: luminaireId, zone, street } = luminaire;
        const result = await deps.alarms.open({ luminaireId, kind, zone, street, openedAt: at, detail });
        if (result === 'opened') opened.push({ id: luminaireId, kind });
        mark(luminaireId, kind, true);
      } else {
        if ((await deps.alarms.clear(luminaire.id, kind, at)) === 'cleared')
          cleared.push({ id: luminaire.id, kind });
        mark(luminaire.id, kind, false);
      }
    };

    // Read every shard first, then plan the night once for the whole fleet: planning per shard
    // repeated the night's setup (calendars, profiles, the sun over the shard) 256 times a sweep.
    const shards = Array.from({ length: LUMINAIRE_SHARDS }, (_, shard) => shard);
    const read = await mapBounded(shards, concurrency, async (shard) => {
      const luminaires = await deps.luminaires.listShard(shard);
      if (luminaires.length === 0) return undefined;
      const [pushed, reports] = await Promise.all([
        deps.pushState.forShard(shard),
        deps.telemetry.lastReports(
          luminaires.map((l) => l.id),
          nightOf(config.site.timezone, now),
        ),
      ]);
      return { luminaires, pushed, reports };
    });
    const nonEmpty = read.filter((shard) => shard !== undefined);
    // The sweep holds the whole inventory: its circuits need no second read of it.
    const inventory = nonEmpty.flatMap((shard) => shard.luminaires);
    const plannedAt = plannedLevels(config, inventory, circuitsOf(cabinets, inventory), now);
    await mapBounded(nonEmpty, concurrency, async ({ luminaires, pushed, reports }) => {
      luminaireCount += luminaires.length;
      const repush: string[] = [];
      for (const luminaire of luminaires) {
        const report = reports.get(luminaire.id);
        const push = pushed.get(luminaire.id);
        const silent = isSilent(report?.ts, now, config.alarms);
        // A luminaire that never reported has nothing to clear, and a silent one keeps its alarm.
        if (report !== undefined && changes(luminaire.id, NOT_REPORTING, silent)) {
          await set(luminaire, NOT_REPORTING, silent, `no report since ${iso(report.ts)}`);
        }
        const verdict = driftVerdict(
          push && { hash: push.hash, pushedAt: Date.parse(push.pushedAt) / 1000, runId: push.runId },
          report && { hash: report.planHash ?? null, ts: report.ts },
          now,
        );
        if (verdict === 'repush') repush.push(luminaire.id);
        const drifted = verdict === 'alarm';
        if ((drifted || verdict === 'in-sync') && changes(luminaire.id, PLAN_DRIFT, drifted)) {
          const detail = `reports plan ${report?.planHash ?? 'none'}, pushed ${push?.hash}`;
          await set(luminaire, PLAN_DRIFT, drifted, detail);
        }
        const alarmOpen = (alarmed.get(luminaire.id)?.size ?? 0) > 0;
        const state = liveStateOf(report, plannedAt(luminaire, report), alarmOpen);
        const { id, zone, street, lon, lat } = luminaire;
        entries.push({
          id,
          zone,
          street,
          lon,
          lat,
          state: liveStateCode(state),
          level: report?.level ?? 0,
          age: report === undefined ? -1 : Math.max(0, Math.round(now - report.ts)),
        });
      }
      if (repush.length > 0) {
        // Forgotten push states make the pusher send the plans again even though their hash is unchanged.
        await deps.pushState.forget(repush);
        const summary = await deps.pusher.pushLuminaires(repush, `${DRIFT_REPUSH_RUN}${at}`);
        repushed += summary.pushed;
      }
    });
    await deps.liveState.replace(at, config.alarms.reportIntervalSeconds, entries);
    const states = Object.fromEntries(LIVE_STATES.map((state) => [state, 0])) as Record<LiveState, number>;
    for (const entry of entries) states[LIVE_STATES[entry.state] as LiveState] += 1;
    return { luminaires: luminaireCount, states, opened, cleared, repushed };
  };
}
