import {
  ConflictException,
  InvalidRequestException,
  IoTDataPlaneClient,
  ThrottlingException,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { makePlanPusher, type PlanPusherDeps, ShardBusy } from '#functions/plan-push/plan-pusher.ts';
import { makeShadowStore } from '#functions/shared/shadow-store.ts';
import { shardOf } from '#functions/store/index.ts';
import { decodeShadowPlan } from '#protocol/plan-codec.ts';
import { ShadowPlan } from '#protocol/shadows.ts';
import { testConfig, testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { cabinet, carcassonne, halfHourlyProfile } from '#tests/support/schedules/fixtures.ts';
import {
  memoryConfigStore,
  memoryContactorStore,
  memoryLuminaireStore,
  memoryPushStateStore,
} from '../shared/memory-stores.ts';
import { accepted, sentShadowDocuments } from '../shared/mocked-shadows.ts';

const iot = mockClient(IoTDataPlaneClient);
// Unit test files share modules (isolate: false): the class's send stays stubbed for later files unless restored.
afterAll(() => iot.restore());
const throttled = () =>
  new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } });

// 2026-06-21 13:00 Paris: the plan for the coming night starts today.
const NOW = Date.parse('2026-06-21T11:00:00Z') / 1000;
const luminaires = testLuminaires(40);
const shard = shardOf('L-0000');
const inShard = luminaires.filter((l) => shardOf(l.id) === shard);

function setup(overrides: Partial<PlanPusherDeps> = {}) {
  const pushState = memoryPushStateStore();
  const sleeps: number[] = [];
  const deps: PlanPusherDeps = {
    config: memoryConfigStore(testConfig()),
    luminaires: memoryLuminaireStore(luminaires),
    cabinets: { listAll: async () => [] },
    contactors: memoryContactorStore(),
    pushState,
    shadows: makeShadowStore({ iot: new IoTDataPlaneClient({ region: 'eu-west-3' }) }),
    now: () => NOW,
    backoff: {
      maxAttempts: 4,
      baseMs: 100,
      capMs: 1_000,
      random: () => 1,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
    ...overrides,
  };
  return { pusher: makePlanPusher(deps), pushState, sleeps };
}

const sentDocuments = () => sentShadowDocuments(iot);

beforeEach(() => {
  iot.reset();
});

describe('plan pusher', () => {
  it('pushes each luminaire of the shard once, to its plan shadow, with a compact multi-night plan', async () => {
    iot.on(UpdateThingShadowCommand).resolves(accepted());
    const { pusher, pushState } = setup();
    const summary = await pusher.pushShard({ night: '2026-06-21', shard, runId: 'run-1' });

    expect(summary).toMatchObject({
      planned: inShard.length,
      pushed: inShard.length,
      unchanged: 0,
      failed: [],
    });
    const sent = sentDocuments();
    expect(sent.map((s) => s.thing).sort()).toEqual(inShard.map((l) => l.thingName).sort());
    for (const { shadow, document } of sent) {
      expect(shadow).toBe('plan');
      const plan = ShadowPlan.parse(document.state.desired.plan);
      expect(JSON.stringify(document).length).toBeLessThan(1024);
      // 8 nights from the evening of 2026-06-21: the controller keeps going for more than 7 nights.
      const steps = decodeShadowPlan(plan);
      expect(steps.filter((s) => s.level > 0 && s.at > (steps[0]?.at ?? 0)).length).toBeGreaterThan(7);
      expect(plan.until - plan.t0).toBeGreaterThan(7 * 86_400);
    }
    expect([...pushState.states.values()].every((s) => s.night === '2026-06-21' && s.runId === 'run-1')).toBe(
      true,
    );
  });

  it('sends no update when the plan of the night is unchanged', async () => {
    iot.on(UpdateThingShadowCommand).resolves(accepted());
    const { pusher } = setup();
    await pusher.pushShard({ night: '2026-06-21', shard, runId: 'run-1' });
    iot.resetHistory();

    const again = await pusher.pushShard({ night: '2026-06-21', shard, runId: 'run-2' });

    expect(again).toMatchObject({ pushed: 0, unchanged: inShard.length, requests: 0 });
    expect(iot.commandCalls(UpdateThingShadowCommand)).toHaveLength(0);
  });

  it('pushes again when the next night shifts the plan', async () => {
    iot.on(UpdateThingShadowCommand).resolves(accepted());
    const { pusher } = setup();
    await pusher.pushShard({ night: '2026-06-21', shard, runId: 'run-1' });
    const next = await pusher.pushShard({ night: '2026-06-22', shard, runId: 'run-2' });
    expect(next.pushed).toBe(inShard.length);
  });

  it('retries a throttled update with exponential backoff, then records it once', async () => {
    iot.on(UpdateThingShadowCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves(accepted());
    const { pusher, pushState, sleeps } = setup({ concurrency: 1 });
    const summary = await pusher.pushShard({ night: '2026-06-21', shard, runId: 'run-1' });

    expect(summary.failed).toEqual([]);
    expect(summary.pushed).toBe(inShard.length);
    expect(summary.requests).toBe(inShard.length + 2);
    expect(sleeps).toEqual([100, 200]);
    expect(pushState.states.size).toBe(inShard.length);
  });

  it('treats a version conflict as retryable', async () => {
    iot
      .on(UpdateThingShadowCommand)
      .rejectsOnce(new ConflictException({ message: 'Version conflict', $metadata: {} }))
      .resolves(accepted());
    const { pusher } = setup({ concurrency: 1 });
    const summary = await pusher.pushShard({ night: '2026-06-21', shard, runId: 'run-1' });
    expect(summary).toMatchObject({ pushed: inShard.length, failed: [] });
  });

  it('reports luminaires still throttled after every attempt, records nothing for them, and a retry pushes only those', async () => {
    const first = inShard[0];
    if (first === undefined) throw new Error('empty shard');
    iot.on(UpdateThingShadowCommand).resolves(accepted());
    iot.on(UpdateThingShadowCommand, { thingName: first.thingName }).rejects(throttled());
    const { pusher, pushState } = setup();
    const summary = await pusher.pushShard({ night: '2026-06-21', shard, runId: 'run-1' });

    expect(summary.failed).toEqual([expect.objectContaining({ id: first.id, reason: 'throttled' })]);
    expect(pushState.states.has(first.id)).toBe(false);

    iot.reset();
    iot.on(UpdateThingShadowCommand).resolves(accepted());
    const retry = await pusher.pushShard({ night: '2026-06-21', shard, runId: 'run-1' });
    expect(retry).toMatchObject({ pushed: 1, unchanged: inShard.length - 1, failed: [] });
    expect(sentDocuments().map((s) => s.thing)).toEqual([first.thingName]);
  });

  it('pushes no plan a controller would refuse, records none, and reports each luminaire as plan-too-large', async () => {
    iot.on(UpdateThingShadowCommand).resolves(accepted());
    // 26 half-hourly steps over 8 nights: a config stored before the shadow budget was checked.
    const tooLong = testConfig({
      profiles: { dense: halfHourlyProfile(26) },
      calendar: [{ profile: 'dense' }],
    });
    const { pusher, pushState } = setup({ config: memoryConfigStore(tooLong) });
    const summary = await pusher.pushShard({ night: '2026-06-21', shard, runId: 'run-1' });

    expect(summary.failed).toHaveLength(inShard.length);
    expect(
      summary.failed.every((f) => f.reason === 'plan-too-large' && f.message.includes('448 numbers')),
    ).toBe(true);
    expect(summary.pushed).toBe(0);
    expect(iot.commandCalls(UpdateThingShadowCommand)).toHaveLength(0);
    expect(pushState.states.size).toBe(0);
  });

  it('does not retry a request the service rejects', async () => {
    iot.on(UpdateThingShadowCommand).rejects(new InvalidRequestException({ message: 'bad', $metadata: {} }));
    const { pusher } = setup();
    const summary = await pusher.pushShard({ night: '2026-06-21', shard, runId: 'run-1' });
    expect(summary.failed).toHaveLength(inShard.length);
    expect(summary.failed.every((f) => f.reason === 'rejected')).toBe(true);
    expect(summary.requests).toBe(inShard.length);
  });

  it('leaves a shard alone while another worker holds its push lease, and releases its own', async () => {
    iot.on(UpdateThingShadowCommand).resolves(accepted());
    const { pusher, pushState } = setup();
    pushState.leases.set(shard, { holder: 'other-worker', until: NOW + 60 });
    await expect(pusher.pushShard({ night: '2026-06-21', shard, runId: 'run-1' })).rejects.toThrow(ShardBusy);
    expect(iot.commandCalls(UpdateThingShadowCommand)).toHaveLength(0);

    pushState.leases.set(shard, { holder: 'crashed-worker', until: NOW - 1 });
    await pusher.pushShard({ night: '2026-06-21', shard, runId: 'run-1' });
    expect(pushState.leases.has(shard)).toBe(false);
  });

  it('pushLuminaires re-plans only the given luminaires, from the night in progress', async () => {
    iot.on(UpdateThingShadowCommand).resolves(accepted());
    // 02:00 Paris on 2026-06-22 still belongs to the night of 2026-06-21.
    const { pusher, pushState } = setup({ now: () => Date.parse('2026-06-22T00:00:00Z') / 1000 });
    const summary = await pusher.pushLuminaires(['L-0003', 'L-0007', 'unknown'], 'api-change-1');

    expect(summary).toMatchObject({ night: '2026-06-21', planned: 2, pushed: 2 });
    expect(
      sentDocuments()
        .map((s) => s.thing)
        .sort(),
    ).toEqual(['L-0003', 'L-0007']);
    expect(pushState.states.get('L-0003')?.runId).toBe('api-change-1');
    expect(summary.busyShards).toEqual([]);
    expect(pushState.leases.size).toBe(0);
  });

  it('pushLuminaires leaves out the luminaires of a shard a chunk is pushing, names that shard, and releases its own leases', async () => {
    iot.on(UpdateThingShadowCommand).resolves(accepted());
    const { pusher, pushState } = setup();
    const busy = shardOf('L-0003');
    const other = luminaires.find((l) => shardOf(l.id) !== busy);
    if (other === undefined) throw new Error('fixture: every luminaire in one shard');
    pushState.leases.set(busy, { holder: 'nightly-chunk', until: NOW + 600 });

    const summary = await pusher.pushLuminaires(['L-0003', other.id], 'api-change-2');

    expect(summary).toMatchObject({ planned: 1, pushed: 1, busyShards: [busy] });
    expect(sentDocuments().map((s) => s.thing)).toEqual([other.thingName]);
    expect([...pushState.leases.keys()]).toEqual([busy]);
  });
});

describe('plan pusher behind a connected cabinet', () => {
  // The cabinet's luminaires without controller (the cité's) go dark at 23:00: the contactor cuts
  // the plans of the luminaires with their own controller behind it.
  const config = testConfig({
    profiles: { ...carcassonne.profiles, early: { on: { event: 'sunset' }, off: '23:00' } },
    calendar: [...(carcassonne.calendar ?? []), { profile: 'early', zones: ['cite'], priority: 5 }],
  });
  const feeds = luminaires.map((l) => ({ ...l, cabinet: 'CAB-1' }));
  const nodeLess = testLuminaires(3, 'N').map((l) => ({
    ...l,
    zone: 'cite',
    cabinet: 'CAB-1',
    controller: 'none' as const,
  }));
  const inventory = [...feeds, ...nodeLess];

  function site() {
    const store = memoryLuminaireStore(inventory);
    const reads = { all: 0 };
    const contactors = memoryContactorStore();
    const deps = {
      config: memoryConfigStore(config),
      luminaires: {
        ...store,
        listAll: () => {
          reads.all++;
          return store.listAll();
        },
      },
      cabinets: { listAll: async () => [{ ...cabinet('connected'), thingName: 'CAB-1' }] },
      contactors,
      shadows: makeShadowStore({ iot: new IoTDataPlaneClient({ region: 'eu-west-3' }) }),
      now: () => NOW,
    };
    return { deps, reads, contactors };
  }

  const pushedPlans = () =>
    new Map(sentDocuments().map(({ thing, document }) => [thing, JSON.stringify(document)]));

  it('a chunk plans from the contactors the cabinets push recorded, without reading the inventory', async () => {
    iot.on(UpdateThingShadowCommand).resolves(accepted());
    const { deps, reads, contactors } = site();
    await makePlanPusher({ ...deps, pushState: memoryPushStateStore() }).pushCabinets('2026-06-21');
    expect(reads.all).toBe(1);
    expect(contactors.saved.get('2026-06-21')?.get('CAB-1')?.size).toBe(config.planNights);

    iot.resetHistory();
    reads.all = 0;
    const chunk = makePlanPusher({ ...deps, pushState: memoryPushStateStore() });
    await chunk.pushShard({ night: '2026-06-21', shard, runId: 'run-1' });
    expect(reads.all).toBe(0);
    const fromContactors = pushedPlans();

    iot.resetHistory();
    const fromInventory = makePlanPusher({
      ...deps,
      contactors: memoryContactorStore(),
      pushState: memoryPushStateStore(),
    });
    await fromInventory.pushShard({ night: '2026-06-21', shard, runId: 'run-1' });
    expect(reads.all).toBe(1);
    expect(fromContactors).toEqual(pushedPlans());
    expect(fromContactors.size).toBe(inShard.length);

    iot.resetHistory();
    const unbounded = makePlanPusher({
      ...deps,
      cabinets: { listAll: async () => [] },
      pushState: memoryPushStateStore(),
    });
    await unbounded.pushShard({ night: '2026-06-21', shard, runId: 'run-1' });
    const bastide = inShard.find((l) => l.zone === 'bastide');
    expect(pushedPlans().get(bastide?.thingName ?? '')).not.toBe(
      fromContactors.get(bastide?.thingName ?? ''),
    );
  });

  it('a chunk reads the inventory when the recorded contactors do not cover every night it plans', async () => {
    iot.on(UpdateThingShadowCommand).resolves(accepted());
    const { deps, reads } = site();
    const shorter = { ...config, planNights: config.planNights - 1 };
    await makePlanPusher({
      ...deps,
      config: memoryConfigStore(shorter),
      pushState: memoryPushStateStore(),
    }).pushCabinets('2026-06-21');
    reads.all = 0;
    await makePlanPusher({ ...deps, pushState: memoryPushStateStore() }).pushShard({
      night: '2026-06-21',
      shard,
      runId: 'run-1',
    });
    expect(reads.all).toBe(1);
  });
});
