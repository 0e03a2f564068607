import { randomUUID } from 'node:crypto';
import {
  type CabinetMeterMessage,
  cabinetMeterIngestTopic,
  LOCAL_CABINET_METER_RULE,
} from '#protocol/messages/cabinet-meter.ts';
import type { TelemetryMessage } from '#protocol/messages/telemetry.ts';
import type { Cabinet } from '#schedules/inventory/schema.ts';
import { type AgentOptions, LuminaireAgent } from '../luminaire/agent.ts';
import { type Phase, phaseOf, ThreePhaseMeter } from './three-phase-meter.ts';

/** A load metered by the cabinet: a luminaire with its own controller behind it, on one phase. */
export interface MeteredLoad {
  readonly phase: Phase;
  /**
   * The load's own cumulative energy counter at `at` (epoch seconds), Wh, as drawn up to that
   * instant, not as last reported (it may restart from 0 when its driver is replaced).
   */
  energyWh(at: number): number;
}

export interface CabinetAgentOptions
  extends Omit<AgentOptions, 'luminaire' | 'standbyW' | 'telemetryRule' | 'fallbackLevel'> {
  readonly cabinet: Pick<Cabinet, 'thingName' | 'lat' | 'lon' | 'lineLossPercent'>;
  /** Rated watts of the luminaires without their own controller it feeds, wired over the phases in turn. */
  readonly circuitWatts: readonly number[];
  /** Luminaires with their own controller behind its contactor. */
  readonly ownControllers?: readonly MeteredLoad[];
  /** The cabinet meter rule its readings go to by Basic Ingest (the local one by default). */
  readonly meterRule?: string;
  /** The utility meter's id (a new one is a new meter). */
  readonly meterCounterId?: string;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * A connected cabinet controller (device-sim/README.md). It runs the luminaire controller on its
 * circuit: the same `plan` shadow handling, astronomical fallback and offline autonomy, its level
 * the contactor (0 open) and the circuit's dimming step, its power the fed luminaires' rated watts
 * at that level. Where a luminaire sends telemetry, the cabinet sends its three-phase meter: the
 * circuit's energy spread over the phases by the watts wired on each, what the luminaires with
 * their own controller behind it metered, and the line loss on top.
 */
export class CabinetAgent extends LuminaireAgent {
  readonly meter: ThreePhaseMeter;
  private readonly meterCounterId: string;
  private readonly meterRule: string;
  /** Share of the circuit's energy drawn on each phase. */
  private readonly phaseShares: [number, number, number] = [0, 0, 0];
  private readonly loads: readonly MeteredLoad[];
  private readonly lastLoadWh: number[];
  private lastCircuitWh: number;

  constructor(options: CabinetAgentOptions) {
    const { cabinet, circuitWatts, ownControllers = [], meterRule, meterCounterId, ...agent } = options;
    const ledWatts = circuitWatts.reduce((a, b) => a + b, 0);
    // A contactor has no driver minimum and draws nothing open; without a plan the cabinet's clock
    // closes it from sunset to sunrise, undimmed.
    super({
      ...agent,
      luminaire: { thingName: cabinet.thingName, lat: cabinet.lat, lon: cabinet.lon, ledWatts, minLevel: 0 },
      standbyW: 0,
      fallbackLevel: 100,
    });
    this.meter = new ThreePhaseMeter(cabinet.lineLossPercent);
    this.meterCounterId = meterCounterId ?? randomUUID();
    this.meterRule = meterRule ?? LOCAL_CABINET_METER_RULE;
    circuitWatts.forEach((watts, i) => {
      this.phaseShares[phaseOf(i)] += ledWatts === 0 ? 0 : watts / ledWatts;
    });
    this.loads = ownControllers;
    this.lastLoadWh = ownControllers.map((load) => load.energyWh(agent.clock.now()));
    this.lastCircuitWh = this.nvm.energyWh;
  }

  /** The meter reading at the instant of the controller's report, counting what was drawn since the last. */
  protected override report(message: TelemetryMessage): void {
    this.publish(cabinetMeterIngestTopic(this.meterRule, this.thingName), this.read(message));
  }

  private read(message: TelemetryMessage): CabinetMeterMessage {
    const circuitWh = sinceLast(message.energyWh, this.lastCircuitWh);
    this.lastCircuitWh = message.energyWh;
    ([0, 1, 2] as const).forEach((phase) => {
      this.meter.add(phase, circuitWh * this.phaseShares[phase]);
    });
    this.loads.forEach((load, i) => {
      const now = load.energyWh(message.ts);
      this.meter.add(load.phase, sinceLast(now, this.lastLoadWh[i] as number));
      this.lastLoadWh[i] = now;
    });
    const [a, b, c] = this.meter.reading().phasesWh.map(round3) as [number, number, number];
    return {
      thing: this.thingName,
      ts: message.ts,
      seq: message.seq,
      counterId: this.meterCounterId,
      phasesWh: [a, b, c],
      totalWh: round3(a + b + c),
    };
  }
}

/** Energy drawn since `last` by a counter now at `now`; a counter that restarted from 0 drew `now`. */
const sinceLast = (now: number, last: number): number => (now >= last ? now - last : now);
