import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../../../functions/telemetry/handler.ts';
import type { IngestDeps } from '../../../../functions/telemetry/ingest.ts';
import type { RejectReason } from '../../../../functions/telemetry/reject-reasons.ts';
import type { TelemetryEvent } from '../../../../protocol/messages.ts';
import type { Luminaire } from '../../../../schedules/index.ts';
import { eventFixture, testConfig, testLuminaires } from '../../../support/functions/shared/fixtures.ts';
import { memoryAlarmStore, memoryRejectStore, memoryTelemetryStore } from '../shared/memory-stores.ts';

const luminaire = testLuminaires(1)[0] as Luminaire;
// 2026-06-21 23:30 Paris: night, the luminaire is planned lit.
const NIGHT_TS = Date.parse('2026-06-21T21:30:00Z') / 1000;
// 2026-06-22 14:00 Paris: broad daylight, the plan has it off.
const NOON_TS = Date.parse('2026-06-22T12:00:00Z') / 1000;

/** A report as the rule delivers it, received a second after the controller's `ts`. */
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

function setup(overrides: Partial<IngestDeps> = {}) {
  const telemetry = memoryTelemetryStore();
  const alarms = memoryAlarmStore();
  const rejects = memoryRejectStore();
  const counted: RejectReason[] = [];
  const handler = makeHandler({
    config: async () => testConfig(),
    luminaireOf: async (thing) => (thing === luminaire.thingName ? luminaire : undefined),
    telemetry,
    alarms,
    rejects,
    countReject: (reason) => counted.push(reason),
    now: () => NIGHT_TS,
    backoff: { maxAttempts: 5, baseMs: 0, capMs: 0 },
    ...overrides,
  });
  const rejected = () => [...rejects.items.values()].map((r) => r.reason);
  return { handler, telemetry, alarms, rejects, rejected, counted };
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
      report({ seq: 2, ts: NIGHT_TS + 900, energyWh: 1_010 }),
      report({ seq: 2, ts: NIGHT_TS + 900, energyWh: 1_010 }),
      report({ seq: 4, ts: NIGHT_TS + 2_700, energyWh: 1_030 }),
      report({ seq: 3, ts: NIGHT_TS + 1_800, energyWh: 1_020 }),
      report({ seq: 0, ts: NIGHT_TS + 3_600, counterId: 'drv-2', energyWh: 5 }),
      report({ seq: 1, ts: NIGHT_TS + 4_500, counterId: 'drv-2', energyWh: 15 }),
    ]) {
      statuses.push((await handler(message)).status);
    }
    expect(statuses).toEqual(['baseline', 'counted', 'duplicate', 'counted', 'old', 'baseline', 'counted']);
    expect(nightWh(telemetry)).toBe(10 + 20 + 10);
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

  it('keeps the reported plan hash in the meter state, for the drift sweep', async () => {
    const { handler, telemetry } = setup();
    await handler(report({ seq: 1, planHash: 'plan-a' }));
    expect(telemetry.meters.get(luminaire.id)?.planHash).toBe('plan-a');
  });

  it('clears not-reporting on a report after a silence, without a write on every report', async () => {
    const { handler, alarms } = setup();
    await handler(report({ seq: 1 }));
    await alarms.open({
      luminaireId: luminaire.id,
      kind: 'not-reporting',
      zone: 'z',
      street: 's',
      openedAt: 'x',
    });
    const next = await handler(report({ seq: 2, ts: NIGHT_TS + 900, energyWh: 1_001 }));
    expect(next).toMatchObject({ alarmsCleared: [] });
    const late = await handler(report({ seq: 3, ts: NIGHT_TS + 900 + 2_701, energyWh: 1_002 }));
    expect(late).toMatchObject({ alarmsCleared: ['not-reporting'] });
    expect(alarms.open_.size).toBe(0);
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

  it('rejects a report from a thing not in the inventory, recording it with its reason and a metric', async () => {
    const { handler, rejected, counted } = setup();
    expect(await handler(report({ thing: 'stranger' }))).toMatchObject({
      status: 'rejected',
      reason: 'unknown-luminaire',
      thing: 'stranger',
    });
    expect(rejected()).toEqual(['unknown-luminaire']);
    expect(counted).toEqual(['unknown-luminaire']);
  });

  it('records an event that fails its schema as invalid, naming the field, and succeeds (no poison retry)', async () => {
    const { handler, rejects, counted } = setup();
    const result = await handler({ ...report({}), energyWh: -1 });
    expect(result).toMatchObject({
      status: 'rejected',
      reason: 'invalid',
      detail: expect.stringMatching(/energyWh/),
    });
    expect([...rejects.items.values()]).toEqual([
      expect.objectContaining({
        thing: luminaire.thingName,
        reason: 'invalid',
        message: expect.stringContaining('"energyWh":-1'),
      }),
    ]);
    expect(await handler('not an object')).toMatchObject({
      status: 'rejected',
      reason: 'invalid',
      thing: '-',
    });
    expect(counted).toEqual(['invalid', 'invalid']);
  });

  it('rejects a report dated in the future without freezing the meter: a later valid report still counts', async () => {
    const { handler, telemetry, rejected } = setup();
    await handler(report({ seq: 1, energyWh: 1_000 }));
    const future = Date.parse('2100-01-01T00:00:00Z') / 1000;
    expect(
      await handler(report({ seq: 2, ts: future, receivedAt: (NIGHT_TS + 600) * 1000, energyWh: 1_005 })),
    ).toMatchObject({
      status: 'rejected',
      reason: 'future-timestamp',
    });
    expect(await handler(report({ seq: 3, ts: NIGHT_TS + 900, energyWh: 1_009 }))).toMatchObject({
      status: 'counted',
      wh: 9,
    });
    expect(rejected()).toEqual(['future-timestamp']);
    expect(nightWh(telemetry)).toBe(9);
  });

  it('rejects a report older than the offline buffer allows', async () => {
    const { handler, rejected } = setup();
    const result = await handler(report({ receivedAt: (NIGHT_TS + 3 * 86_400) * 1000 }));
    expect(result).toMatchObject({ status: 'rejected', reason: 'stale-timestamp' });
    expect(rejected()).toEqual(['stale-timestamp']);
  });

  it('rejects energy above rated power over the elapsed time, leaving the meter where it was', async () => {
    const { handler, telemetry, rejected } = setup();
    await handler(report({ seq: 1, energyWh: 1_000 }));
    expect(await handler(report({ seq: 2, ts: NIGHT_TS + 900, energyWh: 9e9 }))).toMatchObject({
      status: 'rejected',
      reason: 'implausible-energy',
      id: luminaire.id,
    });
    expect(telemetry.meters.get(luminaire.id)).toMatchObject({ energyWh: 1_000, pending: { energyWh: 9e9 } });
    expect(await handler(report({ seq: 3, ts: NIGHT_TS + 1_800, energyWh: 1_018 }))).toMatchObject({
      wh: 18,
    });
    expect(rejected()).toEqual(['implausible-energy']);
    expect(nightWh(telemetry)).toBe(18);
  });

  it('counts nothing twice for a glitch low reading followed by a normal one', async () => {
    const { handler, telemetry, rejected } = setup();
    await handler(report({ seq: 1, energyWh: 1_000 }));
    expect((await handler(report({ seq: 2, ts: NIGHT_TS + 900, energyWh: 2 }))).status).toBe('rejected');
    expect(await handler(report({ seq: 3, ts: NIGHT_TS + 1_800, energyWh: 1_015 }))).toMatchObject({
      wh: 15,
    });
    expect(nightWh(telemetry)).toBe(15);
    expect(rejected()).toEqual(['counter-decrease']);
  });

  it('accepts a lower counter as a reset once the next reading continues from it', async () => {
    const { handler, telemetry } = setup();
    await handler(report({ seq: 1, energyWh: 1_000 }));
    await handler(report({ seq: 2, ts: NIGHT_TS + 900, energyWh: 2 }));
    expect(await handler(report({ seq: 3, ts: NIGHT_TS + 1_800, energyWh: 11 }))).toMatchObject({ wh: 9 });
    expect(telemetry.meters.get(luminaire.id)).toEqual(expect.objectContaining({ energyWh: 11 }));
    expect(telemetry.meters.get(luminaire.id)?.pending).toBeUndefined();
    expect(nightWh(telemetry)).toBe(9);
  });

  it('holds a suspect reading only if the meter state is unchanged since it was read', async () => {
    const telemetry = memoryTelemetryStore();
    let raced = false;
    const racing = {
      ...telemetry,
      hold: async (...args: Parameters<typeof telemetry.hold>) => {
        if (raced) return telemetry.hold(...args);
        raced = true;
        return 'stale' as const;
      },
    };
    const { handler } = setup({ telemetry: racing });
    await handler(report({ seq: 1, energyWh: 1_000 }));
    expect((await handler(report({ seq: 2, ts: NIGHT_TS + 900, energyWh: 2 }))).status).toBe('rejected');
    expect(raced).toBe(true);
    expect(telemetry.meters.get(luminaire.id)?.pending).toMatchObject({ energyWh: 2 });
  });
});
