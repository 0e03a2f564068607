import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../../../functions/telemetry/handler.ts';
import type { IngestDeps } from '../../../../functions/telemetry/ingest.ts';
import type { TelemetryMessage } from '../../../../protocol/messages.ts';
import type { Luminaire } from '../../../../schedules/index.ts';
import { eventFixture, testConfig, testLuminaires } from '../shared/fixtures.ts';
import { memoryAlarmStore, memoryTelemetryStore } from '../shared/memory-stores.ts';

const luminaire = testLuminaires(1)[0] as Luminaire;
// 2026-06-21 23:30 Paris: night, the luminaire is planned lit.
const NIGHT_TS = Date.parse('2026-06-21T21:30:00Z') / 1000;
// 2026-06-22 14:00 Paris: broad daylight, the plan has it off.
const NOON_TS = Date.parse('2026-06-22T12:00:00Z') / 1000;

const report = (over: Partial<TelemetryMessage>): TelemetryMessage => ({
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
  ...over,
});

function setup(overrides: Partial<IngestDeps> = {}) {
  const telemetry = memoryTelemetryStore();
  const alarms = memoryAlarmStore();
  const handler = makeHandler({
    config: async () => testConfig(),
    luminaireOf: async (thing) => (thing === luminaire.thingName ? luminaire : undefined),
    telemetry,
    alarms,
    backoff: { maxAttempts: 5, baseMs: 0, capMs: 0 },
    ...overrides,
  });
  return { handler, telemetry, alarms };
}

const nightWh = (telemetry: ReturnType<typeof memoryTelemetryStore>, night = '2026-06-21') =>
  telemetry.nights.get(`${luminaire.id}/${night}`)?.wh ?? 0;

describe('telemetry handler', () => {
  it('accepts the IoT rule event (the report plus the thing from the topic)', async () => {
    const { handler } = setup({ luminaireOf: async () => luminaire });
    const result = await handler(eventFixture('iot-telemetry.json'));
    expect(result).toMatchObject({ status: 'baseline', id: luminaire.id });
  });

  it('counts exact energy through duplicates, late arrivals and a counter reset', async () => {
    const { handler, telemetry } = setup();
    const statuses = [];
    for (const message of [
      report({ seq: 1, energyWh: 1_000 }),
      report({ seq: 2, ts: NIGHT_TS + 900, energyWh: 1_020 }),
      report({ seq: 2, ts: NIGHT_TS + 900, energyWh: 1_020 }),
      report({ seq: 4, ts: NIGHT_TS + 2_700, energyWh: 1_060 }),
      report({ seq: 3, ts: NIGHT_TS + 1_800, energyWh: 1_040 }),
      report({ seq: 0, ts: NIGHT_TS + 3_600, counterId: 'drv-2', energyWh: 5 }),
      report({ seq: 1, ts: NIGHT_TS + 4_500, counterId: 'drv-2', energyWh: 25 }),
    ]) {
      statuses.push((await handler(message)).status);
    }
    expect(statuses).toEqual(['baseline', 'counted', 'duplicate', 'counted', 'old', 'baseline', 'counted']);
    expect(nightWh(telemetry)).toBe(20 + 40 + 20);
    expect(telemetry.nights.get(`${luminaire.id}/2026-06-21`)?.luminaireDays).toBe(1);
  });

  it('re-reads the meter state when another delivery changed it first', async () => {
    const telemetry = memoryTelemetryStore();
    let raced = false;
    const racing = {
      ...telemetry,
      commit: async (accepted: Parameters<typeof telemetry.commit>[0]) => {
        if (!raced) {
          raced = true;
          return 'stale' as const;
        }
        return telemetry.commit(accepted);
      },
    };
    const { handler } = setup({ telemetry: racing });
    expect((await handler(report({}))).status).toBe('baseline');
    expect(raced).toBe(true);
  });

  it('opens one alarm per fault and kind, and clears it when the fault is gone', async () => {
    const { handler, alarms } = setup();
    await handler(report({ seq: 1, faults: ['lampFailure'] }));
    await handler(report({ seq: 2, ts: NIGHT_TS + 900, energyWh: 1_001, faults: ['lampFailure'] }));
    await handler(report({ seq: 3, ts: NIGHT_TS + 1_800, energyWh: 1_002, faults: [] }));
    expect(alarms.log).toEqual([`open ${luminaire.id}/lampFailure`, `clear ${luminaire.id}/lampFailure`]);
  });

  it('raises day-burning for a luminaire lit in daylight that its plan has off, not for one lit at night', async () => {
    const { handler, alarms } = setup();
    await handler(report({ seq: 1, level: 70 }));
    expect(alarms.open_.size).toBe(0);
    const result = await handler(report({ seq: 2, ts: NOON_TS, level: 100, energyWh: 1_500 }));
    expect(result).toMatchObject({ alarmsOpened: ['dayBurning'] });
    await handler(report({ seq: 3, ts: NOON_TS + 900, level: 0, energyWh: 1_510 }));
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
    const { handler, alarms } = setup({ config: async () => config });
    await handler(report({ seq: 2, ts: NOON_TS, level: 100 }));
    expect(alarms.open_.size).toBe(0);
  });

  it('ignores reports from things not in the inventory', async () => {
    const { handler } = setup();
    expect(await handler(report({ thing: 'stranger' }))).toEqual({
      status: 'unknown-thing',
      thing: 'stranger',
    });
  });

  it('refuses a report with a bad field, naming it', async () => {
    const { handler } = setup();
    await expect(handler({ ...report({}), energyWh: -1 })).rejects.toThrow(/energyWh/);
  });
});
