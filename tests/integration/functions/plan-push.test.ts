import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '#device-sim/clock.ts';
import { LuminaireAgent } from '#device-sim/luminaire/agent.ts';
import { makeHandler as makeChunkHandler } from '#functions/plan-push/chunk.handler.ts';
import type { ChunkMessage } from '#functions/plan-push/chunk-message.ts';
import { makePlanPusher } from '#functions/plan-push/plan-pusher.ts';
import { makeHandler as makeScheduleHandler } from '#functions/plan-push/schedule.handler.ts';
import { mapBounded } from '#functions/shared/backoff.ts';
import { shardOf } from '#functions/store/index.ts';
import { decodeShadowPlan } from '#protocol/plan-codec.ts';
import { ShadowPlan } from '#protocol/shadows.ts';
import { Cabinet, circuitsOf, NO_CIRCUITS, planCabinet, planNights } from '#schedules/index.ts';
import { testConfig, testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { localMqttUrl, uniqueName } from '../local-clients.ts';
import { eventually, localSite } from './local-site.ts';

/** 2026-06-21 13:00 Paris, when the daily schedule runs. */
const SCHEDULED = Date.parse('2026-06-21T11:00:00Z') / 1000;
const at = (iso: string) => Date.parse(iso) / 1000;

const agents: LuminaireAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.stop()));
});

/** The schedule handler feeding the chunk handler through an in-process queue, as SQS would. */
async function runNightlyPush(site: Awaited<ReturnType<typeof localSite>>) {
  const queued: ChunkMessage[] = [];
  const pusher = makePlanPusher({ ...site.stores, shadows: site.shadows, now: () => SCHEDULED });
  const schedule = makeScheduleHandler({
    config: site.stores.config,
    queue: { enqueue: async (messages) => void queued.push(...messages) },
    cabinets: pusher,
  });
  await schedule({ scheduledTime: new Date(SCHEDULED * 1000).toISOString(), executionId: uniqueName('run') });
  const chunk = makeChunkHandler({ pusher, metrics: () => {} });
  // Like an SQS event source with a batch size of 1 and 32 concurrent invocations.
  const responses = await mapBounded(queued, 32, (message, i) =>
    chunk({ Records: [{ messageId: `m-${i}`, body: JSON.stringify(message) }] }),
  );
  return responses.flatMap((response) => response.batchItemFailures);
}

describe('plan push against the local cloud', () => {
  it('writes every luminaire’s plan shadow once, and an unchanged night sends no update', async () => {
    const luminaires = testLuminaires(24, uniqueName('P'));
    const site = await localSite(testConfig(), luminaires);

    expect(await runNightlyPush(site)).toEqual([]);
    expect(site.shadows.updates).toBe(luminaires.length);
    for (const luminaire of luminaires.slice(0, 3)) {
      const shadow = await site.shadows.get(luminaire.thingName, 'plan');
      if (!shadow.ok) throw new Error(shadow.message);
      const plan = ShadowPlan.parse(
        (shadow.value as { state: { desired: { plan: unknown } } }).state.desired.plan,
      );
      expect(plan.until - plan.t0).toBeGreaterThan(7 * 86_400);
    }

    site.shadows.updates = 0;
    expect(await runNightlyPush(site)).toEqual([]);
    expect(site.shadows.updates).toBe(0);
  });

  // Longer than the others: the cabinet push reads the whole inventory (256 shard queries).
  it('writes a connected cabinet’s plan shadow from the luminaires it feeds', async () => {
    const prefix = uniqueName('K');
    const cabinet = Cabinet.parse({
      id: `${prefix}-cab`,
      lat: 43.21,
      lon: 2.35,
      zone: 'cite',
      deliveryPointId: '20000000000042',
      subscribedKva: 6,
      tariffOption: 'ep-c5',
      controller: 'connected',
    });
    // Four without controller and one with its own behind the cabinet, one elsewhere.
    const luminaires = testLuminaires(6, prefix).map((l, i) =>
      i < 4
        ? { ...l, cabinet: cabinet.id, controller: 'none' as const }
        : i === 4
          ? { ...l, cabinet: cabinet.id }
          : l,
    );
    const site = await localSite(testConfig(), luminaires);
    await site.stores.cabinets.put([cabinet]);

    const pusher = makePlanPusher({ ...site.stores, shadows: site.shadows, now: () => SCHEDULED });
    expect(await pusher.pushCabinets('2026-06-21')).toMatchObject({ planned: 1, pushed: 1, failed: [] });
    expect(site.shadows.updates).toBe(1);
    const shadow = await site.shadows.get(cabinet.thingName, 'plan');
    if (!shadow.ok) throw new Error(shadow.message);
    const plan = ShadowPlan.parse(
      (shadow.value as { state: { desired: { plan: unknown } } }).state.desired.plan,
    );
    const fed = luminaires.slice(0, 4);
    const planned = planNights(testConfig(), fed, '2026-06-21', testConfig().planNights, NO_CIRCUITS);
    const expected = planCabinet(fed.map((luminaire, i) => ({ luminaire, steps: planned[i]?.steps ?? [] })));
    expect(decodeShadowPlan(plan)).toEqual(expected.steps);
    expect((await site.shadows.get(luminaires[0]?.thingName ?? '', 'plan')).ok).toBe(false);

    // The chunk of the luminaire with its own controller plans it from the recorded contactor.
    const behind = luminaires[4];
    if (behind === undefined) throw new Error('fixture: no luminaire behind the cabinet');
    let inventoryReads = 0;
    const chunk = makePlanPusher({
      ...site.stores,
      luminaires: {
        ...site.stores.luminaires,
        listAll: () => {
          inventoryReads++;
          return site.stores.luminaires.listAll();
        },
      },
      shadows: site.shadows,
      now: () => SCHEDULED,
    });
    await chunk.pushShard({ night: '2026-06-21', shard: shardOf(behind.id), runId: uniqueName('run') });
    expect(inventoryReads).toBe(0);
    const pushed = await site.shadows.get(behind.thingName, 'plan');
    if (!pushed.ok) throw new Error(pushed.message);
    const [bounded] = planNights(
      testConfig(),
      [behind],
      '2026-06-21',
      testConfig().planNights,
      circuitsOf([cabinet], luminaires),
    );
    expect(
      decodeShadowPlan(
        ShadowPlan.parse((pushed.value as { state: { desired: { plan: unknown } } }).state.desired.plan),
      ),
    ).toEqual(bounded?.steps);

    // A cabinet feeding no luminaire without controller is recorded too: it cuts nothing, each night.
    const feedsNone = new Map([['2026-06-21', null]]);
    await site.stores.contactors.save('2026-06-21', new Map([['other-cab', feedsNone]]));
    expect(await site.stores.contactors.get('2026-06-21', ['other-cab', 'unknown'])).toEqual(
      new Map([['other-cab', feedsNone]]),
    );
  });

  it('pushes a luminaire behind a clock cabinet cut at 23:00 a plan dark from 23:00', async () => {
    const prefix = uniqueName('W');
    const cabinet = Cabinet.parse({
      id: `${prefix}-cab`,
      lat: 43.21,
      lon: 2.35,
      zone: 'cite',
      deliveryPointId: '20000000000043',
      subscribedKva: 6,
      tariffOption: 'ep-c5',
      controller: 'clock',
      nightCut: '23:00-05:00',
    });
    const [luminaire] = testLuminaires(1, prefix).map((l) => ({ ...l, cabinet: cabinet.id }));
    if (luminaire === undefined) throw new Error('no luminaire');
    const site = await localSite(testConfig(), [luminaire]);
    await site.stores.cabinets.put([cabinet]);

    const pusher = makePlanPusher({ ...site.stores, shadows: site.shadows, now: () => SCHEDULED });
    const pushed = await pusher.pushShard({
      night: '2026-06-21',
      shard: shardOf(luminaire.id),
      runId: 'run-cut',
    });
    expect(pushed).toMatchObject({ pushed: 1, failed: [] });
    const shadow = await site.shadows.get(luminaire.thingName, 'plan');
    if (!shadow.ok) throw new Error(shadow.message);
    const steps = decodeShadowPlan(
      ShadowPlan.parse((shadow.value as { state: { desired: { plan: unknown } } }).state.desired.plan),
    );
    const levelAt = (t: number) => steps.filter((step) => step.at <= t).at(-1)?.level ?? 0;
    const cut = at('2026-06-21T21:00:00Z'); // 23:00 Paris
    expect(levelAt(cut - 60)).toBe(70);
    for (const t of [cut, at('2026-06-21T22:00:00Z'), at('2026-06-22T02:59:00Z')]) expect(levelAt(t)).toBe(0);
    // The profile alone dims to 70 % until 00:30; the clock switches the circuit off at 23:00.
    expect(steps).toContainEqual({ at: cut, level: 0 });
  });

  it('a chunk delivered twice at once pushes each luminaire once (shard lease), and the redelivery finds it done', async () => {
    const luminaires = testLuminaires(30, uniqueName('Q'));
    const site = await localSite(testConfig(), luminaires);
    const shard = shardOf(luminaires[0]?.id ?? '');
    const inShard = luminaires.filter((l) => shardOf(l.id) === shard).length;
    const chunk = makeChunkHandler({
      pusher: makePlanPusher({ ...site.stores, shadows: site.shadows, now: () => SCHEDULED }),
      metrics: () => {},
    });
    const body = JSON.stringify({ night: '2026-06-21', shard, runId: 'run-dup' });
    const [a, b] = await Promise.all([
      chunk({ Records: [{ messageId: 'first', body }] }),
      chunk({ Records: [{ messageId: 'second', body }] }),
    ]);
    expect(site.shadows.updates).toBe(inShard);
    // The loser (if the two overlapped) reports its message failed; its redelivery sends nothing.
    const failed = [...a.batchItemFailures, ...b.batchItemFailures];
    expect(failed.length).toBeLessThanOrEqual(1);
    expect(await chunk({ Records: [{ messageId: 'again', body }] })).toEqual({ batchItemFailures: [] });
    expect(site.shadows.updates).toBe(inShard);
  });

  it('the luminaire on the street dims and switches off at the planned times', async () => {
    const [luminaire] = testLuminaires(1, uniqueName('D'));
    if (luminaire === undefined) throw new Error('no luminaire');
    const site = await localSite(testConfig(), [luminaire]);
    const clock = new ManualClock(SCHEDULED);
    const agent = new LuminaireAgent({ luminaire, mqttUrl: localMqttUrl(), clock, log: () => {} });
    agents.push(agent);
    await agent.start();

    await runNightlyPush(site);
    await eventually(() => agent.snapshot().planHash !== null, 'plan received by the controller');

    clock.advanceTo(at('2026-06-21T20:00:00Z')); // 22:00 Paris, after sunset + 10 min
    expect(agent.snapshot()).toMatchObject({ level: 100, reason: 'plan' });
    clock.advanceTo(at('2026-06-21T20:31:00Z')); // 22:31 Paris: reduced
    expect(agent.snapshot().level).toBe(70);
    clock.advanceTo(at('2026-06-21T22:31:00Z')); // 00:31 Paris: extinction
    expect(agent.snapshot().level).toBe(0);
    clock.advanceTo(at('2026-06-22T20:31:00Z')); // the next night, from the same plan
    expect(agent.snapshot().level).toBe(70);
  });
});
