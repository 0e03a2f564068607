import { describe, expect, it } from 'vitest';
import { makeHandler, thingLookup } from '#functions/telemetry/ledger.handler.ts';
import type { LedgerDeps } from '#functions/telemetry/ledger.ts';
import type { RejectReason } from '#functions/telemetry/reject-reasons.ts';
import type { TelemetryEvent } from '#protocol/messages/telemetry.ts';
import type { Luminaire } from '#schedules/index.ts';
import { kinesisBatches } from '#tests/support/functions/kinesis-batches.ts';
import { eventFixture, testConfig, testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import {
  memoryAlarmStore,
  memoryRejectStore,
  memoryRollupStore,
  memoryTelemetryStore,
} from '../shared/memory-stores.ts';

const luminaire = testLuminaires(1)[0] as Luminaire;
// 2026-06-21 23:30 Paris: night, the luminaire is planned lit.
const NIGHT_TS = Date.parse('2026-06-21T21:30:00Z') / 1000;
// 2026-06-22 14:00 Paris: broad daylight, the plan has it off.
const NOON_TS = Date.parse('2026-06-22T12:00:00Z') / 1000;

/** A report as the rule puts it on the stream, received a second after the controller's `ts`. */
const report = (over: Partial<TelemetryEvent>): TelemetryEvent => ({
  thing: luminaire.thingName,
  ts: NIGHT_TS,
  seq: 1,
  counterId: 'drv-1',
  energyWh: 1_000,
  burningHours: 100,
  level: 70,
  powerW: 25,
  planHash: null,
  faults: [],
  receivedAt: ((over.ts ?? NIGHT_TS) + 1) * 1000,
  ...over,
});

function setup(overrides: Partial<LedgerDeps> = {}) {
  const rollups = memoryRollupStore();
  const telemetry = memoryTelemetryStore(rollups);
  const alarms = memoryAlarmStore();
  const rejects = memoryRejectStore();
  const counted: RejectReason[] = [];
  const handler = makeHandler({
    config: async () => testConfig(),
    luminairesOf: async (things) => (things.includes(luminaire.thingName) ? [luminaire] : []),
    meters: telemetry,
    rollups,
    alarms,
    rejects,
    countReject: (reason) => counted.push(reason),
    now: () => NIGHT_TS,
    ...overrides,
  });
  const batch = kinesisBatches();
  /** Each call one batch of the shard, the records in the order given. */
  const deliver = (...data: unknown[]) => handler(batch(data));
  const nightWh = (night = '2026-06-21') =>
    [...rollups.items.values()]
      .filter(({ target }) => target.night === night)
      .reduce((sum, r) => sum + r.wh, 0);
  return { deliver, telemetry, rollups, alarms, rejects, counted, nightWh };
}

describe('batched telemetry handler', () => {
  it('reads the records of a Kinesis event, each the telemetry rule event as base64 JSON', async () => {
    const { deliver, telemetry } = setup({
      luminairesOf: async (things) => things.map((thingName) => ({ ...luminaire, thingName })),
    });
    expect(await deliver(eventFixture('iot-telemetry.json'))).toEqual({ batchItemFailures: [] });
    expect(telemetry.meters.get(luminaire.id)).toBeDefined();
  });

  it("writes only each luminaire's own night item, no zone or street item", async () => {
    const fleet = testLuminaires(12);
    const { deliver, rollups } = setup({
      luminairesOf: async (things) => fleet.filter((l) => things.includes(l.thingName)),
    });
    await deliver(...fleet.map((l) => report({ thing: l.thingName })));
    await deliver(
      ...fleet.map((l) => report({ thing: l.thingName, seq: 2, ts: NIGHT_TS + 900, energyWh: 1_009 })),
    );
    expect([...rollups.items.values()].map(({ target, wh, reports }) => ({ target, wh, reports }))).toEqual(
      fleet.map((l) => ({ target: { luminaireId: l.id, night: '2026-06-21' }, wh: 9, reports: 2 })),
    );
  });

  it('shares one inventory read between concurrent lookups of many names, and asks for a name it did not hold', async () => {
    const fleet = testLuminaires(1_100);
    const reads: string[] = [];
    const lookup = thingLookup(
      {
        listAll: async () => {
          reads.push('all');
          return fleet.slice(0, 1_000);
        },
        byThings: async (things) => {
          reads.push(`${things.length} names`);
          return fleet.filter((l) => things.includes(l.thingName));
        },
      },
      () => 0,
    );
    const names = (from: number, to: number) => fleet.slice(from, to).map((l) => l.thingName);
    const found = await Promise.all([
      lookup(names(0, 300)),
      lookup(names(300, 600)),
      lookup(names(600, 900)),
    ]);
    expect(found.map((f) => f.length)).toEqual([300, 300, 300]);
    expect(await lookup(names(990, 1_010))).toHaveLength(20);
    expect(reads).toEqual(['all', '10 names']);
  });

  it('refuses an event that is not a Kinesis batch, naming what is wrong', async () => {
    const handler = makeHandler({} as LedgerDeps);
    await expect(handler({ Records: [{ eventID: 'x' }] })).rejects.toThrow(/telemetry stream event/);
  });

  it('reports the first record of a luminaire whose meter state changed under it, so the shard resumes there', async () => {
    const { deliver, telemetry } = setup();
    await deliver(report({ seq: 1 }));
    const advance = telemetry.advance;
    telemetry.advance = async () => 'stale';
    const response = await deliver(report({ seq: 2, ts: NIGHT_TS + 900, energyWh: 1_009 }));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '102' }]);
    telemetry.advance = advance;
  });

  it('opens one alarm per fault and kind, and clears it when the fault is gone', async () => {
    const { deliver, alarms } = setup();
    await deliver(report({ seq: 1, faults: ['lampFailure'] }));
    await deliver(report({ seq: 2, ts: NIGHT_TS + 900, energyWh: 1_001, faults: ['lampFailure'] }));
    await deliver(report({ seq: 3, ts: NIGHT_TS + 1_800, energyWh: 1_002, faults: [] }));
    expect(alarms.log).toEqual([`open ${luminaire.id}/lampFailure`, `clear ${luminaire.id}/lampFailure`]);
  });

  it('keeps the reported plan hash in the meter state, for the drift sweep', async () => {
    const { deliver, telemetry } = setup();
    await deliver(report({ seq: 1, planHash: 'plan-a' }));
    expect(telemetry.meters.get(luminaire.id)?.planHash).toBe('plan-a');
  });

  it('clears not-reporting on a report after a silence, without a write on every report', async () => {
    const { deliver, alarms } = setup();
    await deliver(report({ seq: 1 }));
    await alarms.open({
      luminaireId: luminaire.id,
      kind: 'not-reporting',
      zone: 'z',
      street: 's',
      openedAt: 'x',
    });
    await deliver(report({ seq: 2, ts: NIGHT_TS + 900, energyWh: 1_001 }));
    expect(alarms.open_.size).toBe(1);
    await deliver(report({ seq: 3, ts: NIGHT_TS + 900 + 2_701, energyWh: 1_002 }));
    expect(alarms.open_.size).toBe(0);
  });

  it('raises day-burning for a luminaire lit in daylight that its plan has off, not for one lit at night', async () => {
    const { deliver, alarms } = setup();
    await deliver(report({ seq: 1, level: 70 }));
    expect(alarms.open_.size).toBe(0);
    await deliver(report({ seq: 2, ts: NOON_TS, level: 100, energyWh: 1_500 }));
    await deliver(report({ seq: 3, ts: NOON_TS + 900, level: 0, energyWh: 1_510 }));
    expect(alarms.log).toEqual([`open ${luminaire.id}/dayBurning`, `clear ${luminaire.id}/dayBurning`]);
  });

  it('does not call day-burning a daytime override that lights the street on purpose', async () => {
    const config = testConfig({
      overrides: [
        {
          id: 'maintenance',
          target: { all: true },
          level: 100,
          from: '2026-06-22T11:00:00Z',
          until: '2026-06-22T13:00:00Z',
          reason: 'lamp check',
        },
      ],
    });
    const { deliver, alarms } = setup({ config: async () => config });
    await deliver(report({ seq: 2, ts: NOON_TS, level: 100 }));
    expect(alarms.open_.size).toBe(0);
  });

  it('records a record that fails its schema as invalid, naming the field, and goes on with the batch', async () => {
    const { deliver, rejects, counted, nightWh } = setup();
    const response = await deliver(
      report({ seq: 1 }),
      { ...report({}), energyWh: -1 },
      report({ seq: 2, ts: NIGHT_TS + 900, energyWh: 1_009 }),
    );
    expect(response.batchItemFailures).toEqual([]);
    expect([...rejects.items.values()]).toEqual([
      expect.objectContaining({ reason: 'invalid', detail: expect.stringMatching(/energyWh/) }),
    ]);
    expect(counted).toEqual(['invalid']);
    expect(nightWh()).toBe(9);
  });

  it('rejects energy above rated power over the elapsed time, leaving the meter where it was', async () => {
    const { deliver, telemetry, counted, nightWh } = setup();
    await deliver(report({ seq: 1 }), report({ seq: 2, ts: NIGHT_TS + 900, energyWh: 9_000 }));
    expect(counted).toEqual(['implausible-energy']);
    expect(telemetry.meters.get(luminaire.id)).toMatchObject({
      energyWh: 1_000,
      pending: { energyWh: 9_000 },
    });
    expect(nightWh()).toBe(0);
  });
});
