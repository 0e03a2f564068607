import { describe, expect, it } from 'vitest';
import { CabinetAgent } from '#device-sim/cabinet/agent.ts';
import type { Clock } from '#device-sim/clock.ts';
import { ControllerState } from '#device-sim/luminaire/controller-state.ts';
import type { CabinetMeterMessage } from '#protocol/messages/cabinet-meter.ts';
import type { TelemetryMessage } from '#protocol/messages/telemetry.ts';
import { testControllerConfig } from '#tests/support/device-sim/luminaire/controller-config.ts';

/** 2026-06-22 00:00 UTC: night at Carcassonne, where a controller without a plan lights at 100 %. */
const MIDNIGHT = 1_782_086_400;
const PERIOD = 900;

/** A cabinet that keeps its meter readings instead of sending them, reporting when told. */
class ProbedCabinet extends CabinetAgent {
  readonly readings: CabinetMeterMessage[] = [];
  protected override publish(_topic: string, body: unknown): void {
    this.readings.push(body as CabinetMeterMessage);
  }
  reportAt(ts: number, seq: number): void {
    const message: TelemetryMessage = {
      thing: 'CAB-1',
      ts,
      seq,
      counterId: 'cab',
      energyWh: 0,
      burningHours: 0,
      level: 0,
      powerW: 0,
      planHash: null,
      faults: [],
    };
    this.report(message);
  }
}

const stillClock = (now: () => number): Clock => ({
  now,
  speed: 1,
  at: () => () => {},
  every: () => () => {},
  stop: () => {},
});

describe('a connected cabinet meter', () => {
  it("carries in each reading the energy its luminaires drew in that reading's interval, whenever their own counters moved", () => {
    let now = MIDNIGHT;
    const meter = { counterId: 'drv', energyWh: 0, burningHours: 0, seq: 0 };
    const luminaire = new ControllerState(
      { ...testControllerConfig, telemetryEverySeconds: PERIOD },
      meter,
      { failed: false },
      now,
    );
    const cabinet = new ProbedCabinet({
      mqttUrl: 'mqtt://127.0.0.1:1',
      clock: stillClock(() => now),
      cabinet: { thingName: 'CAB-1', lat: 43.213, lon: 2.349, lineLossPercent: 0 },
      circuitWatts: [],
      ownControllers: [{ phase: 0, energyWh: (at) => luminaire.energyAt(at) }],
    });
    // The luminaire's counter moves at its own events only: none in the cabinet's first interval,
    // one just before the end of its second, none in its third.
    const events: [number, () => void][] = [
      [PERIOD, () => cabinet.reportAt(now, 1)],
      [2 * PERIOD - 1, () => luminaire.tick(now)],
      [2 * PERIOD, () => cabinet.reportAt(now, 2)],
      [3 * PERIOD, () => cabinet.reportAt(now, 3)],
    ];
    for (const [at, run] of events) {
      now = MIDNIGHT + at;
      run();
    }
    const totals = [0, ...cabinet.readings.map((r) => r.totalWh)];
    const perInterval = totals.slice(1).map((total, i) => total - (totals[i] as number));
    // 100 W for 900 s: 25 Wh in every reading (before, 0, ~50 and 0 Wh).
    expect(perInterval.map((wh) => Math.round(wh * 100) / 100)).toEqual([25, 25, 25]);
  });
});
