import { describe, expect, it } from 'vitest';
import { DRIFT_REPUSH_RUN } from '#functions/alarms/drift.ts';
import { makeSweep } from '#functions/alarms/sweep.ts';
import type { PlanPusher } from '#functions/plan-push/plan-pusher.ts';
import { type LiveStateEntry, type MeterState, shardOf } from '#functions/store/index.ts';
import { LIVE_STATES } from '#protocol/live-state.ts';
import type { Luminaire } from '#schedules/index.ts';
import { testConfig, testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import {
  memoryAlarmStore,
  memoryConfigStore,
  memoryLuminaireStore,
  memoryPushStateStore,
  memoryTelemetryStore,
} from '../shared/memory-stores.ts';

const NOW = Date.parse('2026-06-21T22:00:00Z') / 1000;
const [quiet, drifting, fine] = testLuminaires(3) as [Luminaire, Luminaire, Luminaire];

const meter = (ts: number, planHash: string | null, level?: number): MeterState => ({
  counterId: 'drv-1',
  ts,
  seq: 1,
  energyWh: 1_000,
  burningHours: 10,
  night: '2026-06-21',
  faults: [],
  planHash,
  ...(level === undefined ? {} : { level }),
});

const iso = (t: number) => new Date(t * 1000).toISOString();

function setup() {
  let now = NOW;
  const telemetry = memoryTelemetryStore();
  const pushState = memoryPushStateStore();
  const alarms = memoryAlarmStore();
  const repushes: { ids: readonly string[]; runId: string }[] = [];
  const snapshots: { at: string; reportIntervalSeconds: number; entries: readonly LiveStateEntry[] }[] = [];
  const pusher: Pick<PlanPusher, 'pushLuminaires'> = {
    pushLuminaires: async (ids, runId) => {
      repushes.push({ ids, runId });
      await pushState.recordAll(
        ids.map((id) => ({ id, hash: 'plan-a', night: '2026-06-21', runId, pushedAt: iso(now) })),
      );
      return {
        night: '2026-06-21',
        planned: ids.length,
        unchanged: 0,
        pushed: ids.length,
        requests: ids.length,
        failed: [],
        busyShards: [],
      };
    },
  };
  const pushStateReads: number[] = [];
  const sweep = makeSweep({
    config: memoryConfigStore(testConfig()),
    luminaires: memoryLuminaireStore([quiet, drifting, fine]),
    cabinets: { listAll: async () => [] },
    pushState: {
      forShard: (shard) => {
        pushStateReads.push(shard);
        return pushState.forShard(shard);
      },
      forget: (ids) => pushState.forget(ids),
    },
    telemetry,
    alarms,
    pusher,
    liveState: {
      replace: async (at, reportIntervalSeconds, entries) => {
        snapshots.push({ at, reportIntervalSeconds, entries });
      },
    },
    now: () => now,
  });
  const pushedEarlier = iso(NOW - 3600);
  void pushState.recordAll(
    [quiet, drifting, fine].map(({ id }) => ({
      id,
      hash: 'plan-a',
      night: '2026-06-21',
      runId: 'daily',
      pushedAt: pushedEarlier,
    })),
  );
  return {
    sweep,
    telemetry,
    alarms,
    repushes,
    snapshots,
    pushStateReads,
    advance: (s: number) => {
      now += s;
    },
    at: () => now,
  };
}

describe('alarm sweep', () => {
  it('opens not-reporting for a luminaire silent past the bound, and clears it once it reports', async () => {
    const { sweep, telemetry, alarms } = setup();
    telemetry.meters.set(quiet.id, meter(NOW - 2_701, 'plan-a'));
    telemetry.meters.set(fine.id, meter(NOW - 600, 'plan-a'));
    const first = await sweep();
    expect(first.opened).toEqual([{ id: quiet.id, kind: 'not-reporting' }]);
    expect(alarms.open_.get(`${quiet.id}/not-reporting`)?.detail).toContain('no report since');
    expect((await sweep()).opened).toEqual([]);
    telemetry.meters.set(quiet.id, meter(NOW - 10, 'plan-a'));
    expect((await sweep()).cleared).toEqual([{ id: quiet.id, kind: 'not-reporting' }]);
  });

  it('reads the push states of the shards holding luminaires only', async () => {
    const { sweep, pushStateReads } = setup();
    await sweep();
    const shards = new Set([quiet, drifting, fine].map((l) => shardOf(l.id)));
    expect(new Set(pushStateReads)).toEqual(shards);
    expect(pushStateReads).toHaveLength(shards.size);
  });

  it('leaves a luminaire that never reported alone', async () => {
    const { sweep } = setup();
    expect(await sweep()).toMatchObject({ luminaires: 3, opened: [], cleared: [], repushed: 0 });
  });

  it('re-pushes a drifting plan once, raises plan-drift if it persists, and clears it when the hash matches', async () => {
    const { sweep, telemetry, alarms, repushes, advance, at } = setup();
    telemetry.meters.set(drifting.id, meter(NOW - 60, 'plan-old'));
    telemetry.meters.set(fine.id, meter(NOW - 60, 'plan-a'));
    expect((await sweep()).repushed).toBe(1);
    expect(repushes).toEqual([{ ids: [drifting.id], runId: `${DRIFT_REPUSH_RUN}2026-06-21T22:00:00.000Z` }]);

    advance(900);
    telemetry.meters.set(drifting.id, meter(at() - 60, 'plan-old'));
    expect(await sweep()).toMatchObject({ opened: [], repushed: 0 });

    advance(900);
    telemetry.meters.set(drifting.id, meter(at() - 60, 'plan-old'));
    expect((await sweep()).opened).toEqual([{ id: drifting.id, kind: 'plan-drift' }]);
    expect(alarms.open_.get(`${drifting.id}/plan-drift`)?.detail).toBe(
      'reports plan plan-old, pushed plan-a',
    );
    expect(repushes).toHaveLength(1);

    telemetry.meters.set(drifting.id, meter(at() - 30, 'plan-a'));
    expect((await sweep()).cleared).toEqual([{ id: drifting.id, kind: 'plan-drift' }]);
  });

  it('leaves a snapshot of what each luminaire last reported: level, state, age, position', async () => {
    const { sweep, telemetry, snapshots } = setup();
    telemetry.meters.set(quiet.id, meter(NOW - 600, 'plan-a', 0));
    telemetry.meters.set(fine.id, meter(NOW - 60, 'plan-a', 100));
    const summary = await sweep();
    const [snapshot] = snapshots;
    expect(snapshot?.at).toBe(iso(NOW));
    expect(snapshot?.reportIntervalSeconds).toBe(testConfig().alarms.reportIntervalSeconds);
    const byId = new Map(snapshot?.entries.map((entry) => [entry.id, entry]));
    expect(byId.get(quiet.id)).toMatchObject({ state: LIVE_STATES.indexOf('off'), level: 0, age: 600 });
    expect(byId.get(drifting.id)).toMatchObject({ state: LIVE_STATES.indexOf('unknown'), age: -1 });
    expect(byId.get(fine.id)).toMatchObject({
      zone: fine.zone,
      street: fine.street,
      lon: fine.lon,
      lat: fine.lat,
      level: 100,
      age: 60,
    });
    expect(summary.states.unknown).toBe(1);
    expect(summary.states.off).toBe(1);
  });

  it('marks a luminaire with an open plan-drift alarm as in alarm in the snapshot', async () => {
    const { sweep, telemetry, snapshots, advance, at } = setup();
    telemetry.meters.set(drifting.id, meter(NOW - 60, 'plan-old', 70));
    await sweep();
    advance(900);
    telemetry.meters.set(drifting.id, meter(at() - 60, 'plan-old', 70));
    await sweep();
    advance(900);
    telemetry.meters.set(drifting.id, meter(at() - 60, 'plan-old', 70));
    await sweep();
    const last = snapshots.at(-1)?.entries.find((entry) => entry.id === drifting.id);
    expect(last).toMatchObject({ state: LIVE_STATES.indexOf('alarm'), level: 70 });
  });
});
