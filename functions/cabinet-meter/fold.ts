import type { CabinetMeterEvent } from '#protocol/messages/cabinet-meter.ts';
import type { CabinetMeterState } from '../store/index.ts';
import { type MeterReading, readMeter } from '../telemetry/meter-reading.ts';

/** A cabinet's reading with the night it belongs to. */
export interface NightReading {
  readonly event: CabinetMeterEvent;
  readonly night: string;
}

export interface CabinetAdvance {
  /** What each reading did, in the order given. */
  readonly outcomes: readonly MeterReading[];
  /** The meter state after the readings, or undefined when none changed it. */
  readonly next: CabinetMeterState | undefined;
  /** Wh counted by night. */
  readonly nights: Map<string, number>;
}

/**
 * Folds one cabinet's readings (in stream order) through the luminaire ledger's `readMeter` on the
 * meter's total: duplicates and late arrivals count nothing, a new counter id is a new baseline, a
 * counter reset is told from a glitch by the next reading. The bound on energy over time is the
 * delivery point's subscribed power (`ratedW`): the utility's breaker trips above it. Pure.
 */
export function foldCabinetReadings(
  previous: CabinetMeterState | undefined,
  readings: readonly NightReading[],
  ratedW: number,
): CabinetAdvance {
  let state = previous;
  let changed = false;
  const outcomes: MeterReading[] = [];
  const nights = new Map<string, number>();
  for (const { event, night } of readings) {
    const counter = { ...event, energyWh: event.totalWh, burningHours: 0 };
    const reading = readMeter(state, counter, { night, faults: [], ratedW });
    outcomes.push(reading);
    if (reading.kind === 'old' || (reading.kind === 'rejected' && reading.next === undefined)) continue;
    const next = reading.next as CabinetMeterState;
    // The phases are those of the reading the state now holds (a reset may settle on the held one).
    const own = next.ts === event.ts && next.seq === event.seq && reading.kind !== 'rejected';
    const phasesWh = own ? event.phasesWh : state?.phasesWh;
    state = { ...next, ...(phasesWh === undefined ? {} : { phasesWh }) };
    changed = true;
    if (reading.kind === 'counted' && reading.wh > 0)
      nights.set(next.night, (nights.get(next.night) ?? 0) + reading.wh);
  }
  return { outcomes, next: changed ? state : undefined, nights };
}
