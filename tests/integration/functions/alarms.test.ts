import { describe, expect, it } from 'vitest';
import type { Digest } from '#functions/alarms/digest.ts';
import { makeDigestRun } from '#functions/alarms/digest-run.ts';
import { makeSweep } from '#functions/alarms/sweep.ts';
import { makePlanPusher } from '#functions/plan-push/plan-pusher.ts';
import { shardOf } from '#functions/store/index.ts';
import { makeLedger } from '#functions/telemetry/ledger.ts';
import type { TelemetryEvent } from '#protocol/messages/telemetry.ts';
import { Cabinet, type Luminaire } from '#schedules/index.ts';
import { testConfig, testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { uniqueName } from '../local-clients.ts';
import { localSite } from './local-site.ts';

/** 2026-06-21 23:30 Paris. */
const T = Date.parse('2026-06-21T21:30:00Z') / 1000;

async function setup() {
  const luminaires = testLuminaires(3, uniqueName('A')) as [Luminaire, Luminaire, Luminaire];
  const site = await localSite(testConfig(), luminaires);
  let now = T;
  const clock = () => now;
  const ledger = makeLedger({
    config: () => site.stores.config.load(),
    luminairesOf: (things) => site.stores.luminaires.byThings(things),
    meters: site.stores.telemetry,
    rollups: site.stores.rollups,
    alarms: site.stores.alarms,
    rejects: site.stores.rejects,
    countReject: () => {},
    now: clock,
  });
  let sequence = 0;
  /** One report, as a batch of its own on the telemetry stream. */
  const ingest = (data: TelemetryEvent) =>
    ledger('shardId-000000000000', [{ sequenceNumber: String(++sequence), data }]);
  const pusher = makePlanPusher({ ...site.stores, shadows: site.shadows, now: clock });
  const sweep = makeSweep({ ...site.stores, pusher, now: clock });
  const digests: Digest[] = [];
  const digest = makeDigestRun({
    site: 'test',
    alarms: site.stores.alarms,
    marks: site.stores.alarmDigests,
    notifier: { publish: async (d) => void digests.push(d) },
    now: clock,
  });
  const report = (luminaire: Luminaire, seq: number, over: Partial<TelemetryEvent> = {}) =>
    ingest({
      thing: luminaire.thingName,
      ts: now,
      seq,
      counterId: 'drv-1',
      energyWh: 5_000 + seq,
      burningHours: 300,
      level: 70,
      powerW: 25,
      planHash: null,
      faults: [],
      receivedAt: (now + 1) * 1000,
      ...over,
    });
  return {
    site,
    luminaires,
    pusher,
    sweep,
    digest,
    digests,
    report,
    advance: (seconds: number) => {
      now += seconds;
    },
  };
}

describe('alarm sweep against DynamoDB Local', () => {
  it('opens not-reporting for a luminaire that stops reporting, mails one digest, and a report closes it', async () => {
    const { site, luminaires, sweep, digest, digests, report, advance } = await setup();
    const [quiet, talking] = luminaires;
    await report(quiet, 1);
    await report(talking, 1);
    for (let i = 2; i <= 4; i++) {
      advance(900);
      await report(talking, i);
    }
    advance(60);
    expect((await sweep()).opened).toEqual([{ id: quiet.id, kind: 'not-reporting' }]);
    expect((await site.stores.alarms.listOpen()).map((a) => [a.luminaireId, a.kind])).toEqual([
      [quiet.id, 'not-reporting'],
    ]);

    expect(await digest()).toEqual({ status: 'sent', alarms: 1 });
    expect(digests[0]?.text).toMatch(/^1 nouvelle alarme : 1 luminaire muet \(Rue Trivalle\)\./);
    expect(await digest()).toEqual({ status: 'not-due' });
    advance(3600);
    expect(await digest()).toEqual({ status: 'nothing-new' });

    await report(quiet, 2);
    expect(await site.stores.alarms.listOpen()).toEqual([]);
    // The other one has been quiet for an hour by now; the one that reported stays clear.
    expect((await sweep()).opened).toEqual([{ id: talking.id, kind: 'not-reporting' }]);
  });

  it('re-pushes a plan the controller does not report, then raises plan-drift, cleared once it reports it', async () => {
    const { site, luminaires, pusher, sweep, report, advance } = await setup();
    const [drifting] = luminaires;
    await pusher.pushLuminaires([drifting.id], 'daily');
    const pushed = (await site.stores.pushState.get([drifting.id])).get(drifting.id);
    if (pushed === undefined) throw new Error('not pushed');
    site.shadows.updates = 0;

    advance(1800);
    await report(drifting, 1, { planHash: 'stale' });
    expect(await sweep()).toMatchObject({ repushed: 1, opened: [] });
    expect(site.shadows.updates).toBe(1);

    advance(1800);
    await report(drifting, 2, { planHash: 'stale' });
    expect((await sweep()).opened).toEqual([{ id: drifting.id, kind: 'plan-drift' }]);

    advance(900);
    await report(drifting, 3, { planHash: pushed.hash });
    expect((await sweep()).cleared).toEqual([{ id: drifting.id, kind: 'plan-drift' }]);
    expect(site.shadows.updates).toBe(1);
  });

  it('sees no drift on a luminaire whose cabinet cut its plan: pushed cut by the nightly chunk, reported cut', async () => {
    const { site, luminaires, pusher, sweep, report } = await setup();
    const [behind] = luminaires;
    const cabinet = Cabinet.parse({
      id: `${behind.id}-cab`,
      lat: behind.lat,
      lon: behind.lon,
      zone: behind.zone,
      deliveryPointId: '20000000000044',
      subscribedKva: 6,
      tariffOption: 'ep-c5',
      controller: 'clock',
      nightCut: '23:00-05:00',
    });
    await site.stores.cabinets.put([cabinet]);
    await site.stores.luminaires.put([{ ...behind, cabinet: cabinet.id }]);
    await pusher.pushShard({ night: '2026-06-21', shard: shardOf(behind.id), runId: 'daily' });
    const pushed = (await site.stores.pushState.get([behind.id])).get(behind.id);
    if (pushed === undefined) throw new Error('not pushed');
    site.shadows.updates = 0;

    // 23:30: the profile alone would dim to 70 %, the clock has the circuit off.
    await report(behind, 1, { planHash: pushed.hash, level: 0, powerW: 0 });
    expect(await sweep()).toMatchObject({ repushed: 0, opened: [] });
    expect(site.shadows.updates).toBe(0);
    expect(await site.stores.alarms.listOpen()).toEqual([]);

    // The sweep's re-push plans it as the chunk did: the same plan.
    await site.stores.pushState.forget([behind.id]);
    await pusher.pushLuminaires([behind.id], 'again');
    expect((await site.stores.pushState.get([behind.id])).get(behind.id)?.hash).toBe(pushed.hash);
  });
});
