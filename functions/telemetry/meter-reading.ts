import type { TelemetryMessage } from '../../protocol/messages.ts';
import type { MeterState } from '../store/index.ts';

/**
 * What one report adds, measured against the luminaire's last accepted counter reading.
 * - `old`: not newer than the last accepted reading (by ts, then seq): a repeat or a late arrival.
 *   Its energy is already inside the newer reading's counter, so it counts nothing.
 * - `baseline`: the first reading, or a counter reset (new counterId, or a lower counter with the
 *   same id): the reading becomes the new baseline and counts nothing, never a negative amount.
 * - `counted`: the counter difference since the last accepted reading.
 */
export type MeterReading =
  | { readonly kind: 'old' }
  | {
      readonly kind: 'baseline' | 'counted';
      readonly next: MeterState;
      readonly wh: number;
      readonly burnH: number;
      readonly firstOfNight: boolean;
    };

export function readMeter(
  previous: MeterState | undefined,
  message: TelemetryMessage,
  night: string,
  faults: readonly string[],
): MeterReading {
  const next: MeterState = {
    counterId: message.counterId,
    ts: message.ts,
    seq: message.seq,
    energyWh: message.energyWh,
    burningHours: message.burningHours,
    night,
    faults,
  };
  if (previous === undefined) return { kind: 'baseline', next, wh: 0, burnH: 0, firstOfNight: true };
  const newer = message.ts > previous.ts || (message.ts === previous.ts && message.seq > previous.seq);
  if (!newer) return { kind: 'old' };
  const firstOfNight = previous.night !== night;
  const reset = message.counterId !== previous.counterId || message.energyWh < previous.energyWh;
  if (reset) return { kind: 'baseline', next, wh: 0, burnH: 0, firstOfNight };
  return {
    kind: 'counted',
    next,
    wh: message.energyWh - previous.energyWh,
    burnH: Math.max(0, message.burningHours - previous.burningHours),
    firstOfNight,
  };
}
