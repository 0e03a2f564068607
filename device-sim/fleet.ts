import {
  type Cabinet,
  hasOwnController,
  type Luminaire,
  type PresenceSensor,
} from '#schedules/inventory/schema.ts';
import { CabinetAgent, type MeteredLoad } from './cabinet/agent.ts';
import { phaseOf } from './cabinet/three-phase-meter.ts';
import type { Cancel, Clock } from './clock.ts';
import { type FaultRates, injectRandomFaults } from './faults.ts';
import { type AgentOptions, LuminaireAgent } from './luminaire/agent.ts';
import type { DeviceTls } from './mqtt-connection.ts';
import { seededRandom } from './random.ts';
import { SensorAgent } from './sensors/sensor-agent.ts';
import { startTraffic, type Traffic, type TravellerKind } from './sensors/traffic.ts';

/**
 * A whole installation in one process: one MQTT connection per luminaire with its own controller,
 * per connected cabinet and per sensor (as in reality), opened a few at a time so the broker is not hit by thousands of connects at once,
 * all on one shared simulated clock.
 */

type AgentSettings = Pick<
  AgentOptions,
  | 'standbyW'
  | 'fw'
  | 'fallbackLevel'
  | 'telemetryEverySeconds'
  | 'reportSpreadSeconds'
  | 'log'
  | 'reconnectPeriodMs'
  | 'getRetryMs'
>;

export interface FleetOptions {
  readonly mqttUrl: string;
  readonly luminaires: readonly Luminaire[];
  /** The cabinets the luminaires name: the connected ones run as cabinet controllers. */
  readonly cabinets?: readonly Cabinet[];
  readonly sensors?: readonly PresenceSensor[];
  readonly clock: Clock;
  /** Device certificate per thing or sensor id, to run the fleet against AWS IoT Core. */
  readonly tlsFor?: (clientId: string) => DeviceTls;
  /** Connections being opened at once. */
  readonly concurrency?: number;
  /** IANA time zone of the site, for the traffic's hour-of-day profile. */
  readonly timezone?: string;
  /** Arrivals per street per hour at the evening peak; `false` for no simulated traffic. */
  readonly traffic?: Readonly<Record<TravellerKind, number>> | false;
  readonly faults?: FaultRates;
  /** Seed of the traffic and fault randomness (same seed, same run). */
  readonly seed?: number;
  readonly agent?: AgentSettings;
  /** Called as connections come up. */
  readonly onProgress?: (connected: number, total: number) => void;
}

export interface FleetStats {
  readonly luminaires: number;
  readonly connected: number;
  readonly lit: number;
  /** Mean commanded level over all luminaires, percent. */
  readonly averageLevel: number;
  readonly totalPowerW: number;
  /** Sum of the luminaires' energy counters. */
  readonly energyWh: number;
  readonly withFaults: number;
  readonly sensors: number;
  readonly detections: number;
  readonly travelling: number;
  readonly faultsInjected: number;
  readonly failedConnects: number;
}

export interface Fleet {
  readonly agents: readonly LuminaireAgent[];
  readonly cabinetAgents: readonly CabinetAgent[];
  readonly sensorAgents: readonly SensorAgent[];
  stats(): FleetStats;
  stop(): Promise<void>;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const { clock } = options;
  const connection = (clientId: string) => ({
    mqttUrl: options.mqttUrl,
    ...(options.tlsFor === undefined ? {} : { tls: options.tlsFor(clientId) }),
    ...(options.agent?.reconnectPeriodMs === undefined
      ? {}
      : { reconnectPeriodMs: options.agent.reconnectPeriodMs }),
  });
  // A luminaire without its own controller has no device: its cabinet switches and meters it.
  const controlled = options.luminaires.filter(hasOwnController);
  const agents = controlled.map(
    (luminaire) =>
      new LuminaireAgent({ ...options.agent, ...connection(luminaire.thingName), luminaire, clock }),
  );
  const byId = new Map(controlled.map((luminaire, i) => [luminaire.id, agents[i] as LuminaireAgent]));
  const cabinetAgents = connectedCabinets(options.cabinets ?? [], options.luminaires).map(
    ({ cabinet, fed }) => {
      const circuitWatts: number[] = [];
      const ownControllers: MeteredLoad[] = [];
      fed.forEach((luminaire, i) => {
        const agent = byId.get(luminaire.id);
        if (agent === undefined) circuitWatts.push(luminaire.ledWatts);
        else ownControllers.push({ phase: phaseOf(i), energyWh: (at) => agent.energyWhAt(at) });
      });
      return new CabinetAgent({
        ...options.agent,
        ...connection(cabinet.thingName),
        cabinet,
        circuitWatts,
        ownControllers,
        clock,
      });
    },
  );
  const sensorAgents = (options.sensors ?? []).map(
    (sensor) => new SensorAgent(sensor, connection(sensor.id)),
  );
  const devices = [...agents, ...cabinetAgents, ...sensorAgents];
  const total = devices.length;
  let connected = 0;
  let failedConnects = 0;
  await inPool(
    devices.map((device) => async () => {
      try {
        await device.start();
        connected++;
      } catch {
        // The client keeps retrying by itself; count it so the caller sees the broker refused some.
        failedConnects++;
      }
      options.onProgress?.(connected, total);
    }),
    options.concurrency ?? 32,
  );

  const random = seededRandom(options.seed ?? 1);
  const sensorsById = new Map(sensorAgents.map((s) => [s.sensor.id, s]));
  const traffic: Traffic | null =
    options.traffic === false || sensorAgents.length === 0
      ? null
      : startTraffic({
          luminaires: options.luminaires,
          sensors: sensorAgents.map((s) => s.sensor),
          clock,
          random,
          timezone: options.timezone ?? 'Europe/Paris',
          ...(options.traffic === undefined ? {} : { peakPerHour: options.traffic }),
          onDetection: (detection) => sensorsById.get(detection.sensor.id)?.detect(detection),
        });
  let faultsInjected = 0;
  const stopFaults: Cancel =
    options.faults === undefined
      ? () => {}
      : injectRandomFaults({
          agents,
          clock,
          random,
          rates: options.faults,
          onFault: () => {
            faultsInjected++;
          },
        });

  return {
    agents,
    cabinetAgents,
    sensorAgents,
    stats: () => {
      const { detections, travelling } = traffic?.stats() ?? { detections: 0, travelling: 0 };
      return {
        ...luminaireStats(agents),
        sensors: sensorAgents.length,
        detections,
        travelling,
        faultsInjected,
        failedConnects,
      };
    },
    async stop() {
      stopFaults();
      traffic?.stop();
      await inPool(
        devices.map((device) => () => device.stop()),
        options.concurrency ?? 32,
      );
    },
  };
}

function luminaireStats(agents: readonly LuminaireAgent[]) {
  let connected = 0;
  let lit = 0;
  let levels = 0;
  let totalPowerW = 0;
  let energyWh = 0;
  let withFaults = 0;
  for (const agent of agents) {
    const s = agent.snapshot();
    if (s.online) connected++;
    if (s.level > 0 && !agent.lamp.failed) lit++;
    if (s.faults.length > 0) withFaults++;
    levels += s.level;
    totalPowerW += s.powerW;
    energyWh += s.energyWh;
  }
  const averageLevel = agents.length === 0 ? 0 : levels / agents.length;
  return { luminaires: agents.length, connected, lit, averageLevel, totalPowerW, energyWh, withFaults };
}

/** The connected cabinets with the luminaires each feeds, in inventory order. */
function connectedCabinets(
  cabinets: readonly Cabinet[],
  luminaires: readonly Luminaire[],
): { cabinet: Cabinet; fed: Luminaire[] }[] {
  const fedBy = new Map(
    cabinets
      .filter((c) => c.controller === 'connected')
      .map((c) => [c.id, { cabinet: c, fed: [] as Luminaire[] }]),
  );
  for (const luminaire of luminaires) {
    if (luminaire.cabinet !== undefined) fedBy.get(luminaire.cabinet)?.fed.push(luminaire);
  }
  return [...fedBy.values()];
}

/** Runs tasks with at most `concurrency` in flight. */
async function inPool(tasks: readonly (() => Promise<unknown>)[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++] as () => Promise<unknown>;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
}
