import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/telemetry/handler.ts';
import type { TelemetryMessage } from '../../../protocol/messages.ts';
import type { Luminaire } from '../../../schedules/index.ts';
import { testConfig, testLuminaires } from '../../unit/functions/shared/fixtures.ts';
import { uniqueName } from '../local-clients.ts';
import { localSite } from './local-site.ts';

/** 2026-06-21 23:30 Paris. */
const T = Date.parse('2026-06-21T21:30:00Z') / 1000;

async function setup(count = 2) {
  const luminaires = testLuminaires(count, uniqueName('T'));
  const site = await localSite(testConfig(), luminaires);
  const handler = makeHandler({
    config: () => site.stores.config.load(),
    luminaireOf: (thing) => site.stores.luminaires.byThing(thing),
    telemetry: site.stores.telemetry,
    alarms: site.stores.alarms,
  });
  return { site, handler, luminaires: luminaires as [Luminaire, Luminaire, ...Luminaire[]] };
}

const report = (luminaire: Luminaire, over: Partial<TelemetryMessage>): TelemetryMessage => ({
  thing: luminaire.thingName,
  ts: T,
  seq: 0,
  counterId: 'drv-1',
  energyWh: 5_000,
  burningHours: 300,
  level: 70,
  powerW: 25,
  planHash: null,
  faults: [],
  ...over,
});

describe('telemetry ingest against DynamoDB Local', () => {
  it('gives exact energy through duplicates, out-of-order delivery, a counter reset and concurrent deliveries', async () => {
    const { site, handler, luminaires } = await setup();
    const [a, b] = luminaires;
    const sequence = [
      report(a, { seq: 0, energyWh: 5_000 }),
      report(a, { seq: 1, ts: T + 900, energyWh: 5_010, burningHours: 300.25 }),
      report(a, { seq: 3, ts: T + 2_700, energyWh: 5_030, burningHours: 300.75 }),
      report(a, { seq: 2, ts: T + 1_800, energyWh: 5_020, burningHours: 300.5 }),
      report(a, { seq: 1, ts: T + 900, energyWh: 5_010, burningHours: 300.25 }),
      report(a, { seq: 0, ts: T + 3_600, counterId: 'drv-2', energyWh: 2, burningHours: 0 }),
      report(a, { seq: 1, ts: T + 4_500, counterId: 'drv-2', energyWh: 9, burningHours: 0.25 }),
      report(b, { seq: 7, energyWh: 100 }),
      report(b, { seq: 8, ts: T + 900, energyWh: 120 }),
    ];
    for (const message of sequence) await handler(message);
    // A duplicate burst delivered at once: only one of them may count.
    const burst = report(a, { seq: 2, ts: T + 5_400, counterId: 'drv-2', energyWh: 20, burningHours: 0.5 });
    const statuses = (await Promise.all([1, 2, 3, 4].map(() => handler(burst)))).map((r) => r.status);
    expect(statuses.filter((s) => s === 'counted')).toHaveLength(1);

    const nights = await site.stores.rollups.luminaireNights(a.id, '2026-06-21', '2026-06-21');
    expect(nights).toEqual([{ night: '2026-06-21', wh: 10 + 20 + 7 + 11, burnH: 1.25, reports: 6 }]);

    const zones = await site.stores.rollups.zoneNights('2026-06-21', '2026-06-21');
    const byZone = (zone: string) =>
      zones
        .filter((r) => r.zone === zone)
        .reduce((sum, r) => ({ wh: sum.wh + r.wh, days: sum.days + r.luminaireDays }), { wh: 0, days: 0 });
    expect(byZone(a.zone)).toEqual({ wh: 48, days: 1 });
    expect(byZone(b.zone)).toEqual({ wh: 20, days: 1 });
    const streets = await site.stores.rollups.streetMonths('2026-06-01', '2026-06-30');
    expect(streets.reduce((sum, r) => sum + r.wh, 0)).toBe(68);

    const raw = await site.stores.telemetry.reports(a.id, T, T + 6_000);
    expect(raw).toHaveLength(7);
  });

  it('counts every luminaire of a street reporting in the same second (rollup contention loses nothing)', async () => {
    const { site, handler, luminaires } = await setup(12);
    await Promise.all(luminaires.map((l) => handler(report(l, { seq: 0, energyWh: 1_000 }))));
    const results = await Promise.all(
      luminaires.map((l) => handler(report(l, { seq: 1, ts: T + 900, energyWh: 1_009 }))),
    );
    expect(results.map((r) => r.status)).toEqual(luminaires.map(() => 'counted'));
    const streets = await site.stores.rollups.streetMonths('2026-06-01', '2026-06-30');
    expect(streets.reduce((sum, r) => sum + r.wh, 0)).toBe(12 * 9);
    expect(new Set(streets.map((r) => r.street))).toEqual(new Set(['Rue Trivalle']));
  });

  it('keeps one open alarm per luminaire and fault, and clears it when the fault is gone', async () => {
    const { site, handler, luminaires } = await setup();
    const [a] = luminaires;
    await handler(report(a, { seq: 0, faults: ['lampFailure'] }));
    await handler(report(a, { seq: 1, ts: T + 900, energyWh: 5_000, faults: ['lampFailure'] }));
    expect(await site.stores.alarms.listOpen(a.zone)).toEqual([
      expect.objectContaining({ luminaireId: a.id, kind: 'lampFailure', state: 'open' }),
    ]);
    await handler(report(a, { seq: 2, ts: T + 1_800, energyWh: 5_000, faults: [] }));
    expect(await site.stores.alarms.listOpen()).toEqual([]);
    expect(await site.stores.alarms.forLuminaire(a.id)).toEqual([
      expect.objectContaining({ kind: 'lampFailure', state: 'cleared' }),
    ]);
  });
});
