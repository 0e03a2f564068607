import type { TelemetryEvent, TelemetryMessage } from '#protocol/messages/telemetry.ts';
import type { HeldReading, MeterState } from '../store/index.ts';
import type { RejectReason } from './reject-reasons.ts';

/**
 * The pure ledger decision for one report: whether it is plausible and what it adds, measured
 * against the luminaire's last accepted counter reading. No I/O, so the per-message ingest and a
 * batched ledger decide identically.
 */

/**
 * Bounds of a plausible report.
 * - Controllers keep NTP time; 5 minutes ahead of the broker's receive time covers drift and queueing.
 * - A controller keeps at most 48 h of reports while offline, so an older one is a wrong clock. Its
 *   energy is not lost: the next accepted reading's counter still contains it.
 * - Metering class 1 plus supply over-voltage stay well within 10 % over the rated power; the
 *   fixed allowance covers counter rounding and standby draw over short intervals.
 */
export const PLAUSIBILITY = {
  maxAheadSeconds: 5 * 60,
  maxBehindSeconds: 48 * 3600,
  powerMargin: 0.1,
  allowanceWh: 5,
} as const;

/** A clock outside the bounds of the broker's receive time, or nothing. */
export function timestampReject(event: Pick<TelemetryEvent, 'ts' | 'receivedAt'>): RejectReason | undefined {
  const received = event.receivedAt / 1000;
  if (event.ts > received + PLAUSIBILITY.maxAheadSeconds) return 'future-timestamp';
  if (event.ts < received - PLAUSIBILITY.maxBehindSeconds) return 'stale-timestamp';
  return undefined;
}

/** The most a luminaire rated `ratedW` can meter in `seconds`. */
export const maxIncrementWh = (ratedW: number, seconds: number): number =>
  ratedW * (1 + PLAUSIBILITY.powerMargin) * (Math.max(0, seconds) / 3600) + PLAUSIBILITY.allowanceWh;

/**
 * - `old`: not newer than the last accepted reading (by ts, then seq): a repeat or a late arrival.
 *   Its energy is already inside the newer reading's counter, so it counts nothing.
 * - `baseline`: the first reading, or a new counterId (driver or meter replaced): the reading
 *   becomes the new baseline and counts nothing.
 * - `counted`: a plausible continuation, from the last accepted reading or, when a held reading
 *   turns out to be a counter reset (this one continues from it), from the held reading.
 * - `rejected`: the counter went down or rose faster than the rated power allows, with the same
 *   counterId. Nothing counts; the meter stays where it was, except that the reading is held
 *   (`next` carries it as `pending`) so the next reading can tell a glitch from a reset.
 */
export type MeterReading =
  | { readonly kind: 'old' }
  | {
      readonly kind: 'baseline' | 'counted';
      readonly next: MeterState;
      readonly wh: number;
      readonly burnH: number;
    }
  | {
      readonly kind: 'rejected';
      readonly reason: Extract<RejectReason, 'counter-decrease' | 'implausible-energy'>;
      /** The meter state holding this reading as `pending`; absent when nothing changes. */
      readonly next?: MeterState;
    };

export interface ReadingContext {
  /** Night the report belongs to (YYYY-MM-DD). */
  readonly night: string;
  readonly faults: readonly string[];
  /** The luminaire's rated power (inventory `ledWatts`): the bound on energy over time. */
  readonly ratedW: number;
}

type Point = Pick<HeldReading, 'ts' | 'seq' | 'energyWh' | 'burningHours'>;

const isAfter = (a: Pick<Point, 'ts' | 'seq'>, b: Pick<Point, 'ts' | 'seq'>): boolean =>
  a.ts > b.ts || (a.ts === b.ts && a.seq > b.seq);

/** `to` continues `from`'s counter at no more than the rated power. */
const continues = (from: Point, to: Point, ratedW: number): boolean =>
  to.energyWh >= from.energyWh && to.energyWh - from.energyWh <= maxIncrementWh(ratedW, to.ts - from.ts);

/** Burning hours cannot rise faster than the clock: a wild counter does not inflate the night items. */
const burnHours = (from: Point, to: Point): number =>
  Math.min(Math.max(0, to.burningHours - from.burningHours), Math.max(0, to.ts - from.ts) / 3600);

/** The counter fields of a report: a luminaire's telemetry, or a cabinet's meter reading (its total). */
export type CounterReading = Pick<TelemetryMessage, 'ts' | 'seq' | 'counterId' | 'energyWh' | 'burningHours'>;

export function readMeter(
  previous: MeterState | undefined,
  message: CounterReading,
  { night, faults, ratedW }: ReadingContext,
): MeterReading {
  const reading: HeldReading = {
    ts: message.ts,
    seq: message.seq,
    energyWh: message.energyWh,
    burningHours: message.burningHours,
    night,
    faults,
  };
  const stateAt = (at: HeldReading): MeterState => ({ counterId: message.counterId, ...at });
  if (previous === undefined) {
    return { kind: 'baseline', next: stateAt(reading), wh: 0, burnH: 0 };
  }
  if (!isAfter(message, previous)) return { kind: 'old' };
  const { pending } = previous;
  const counted = (from: Point, to: HeldReading, keep: HeldReading | undefined): MeterReading => ({
    kind: 'counted',
    next: { ...stateAt(to), ...(keep === undefined ? {} : { pending: keep }) },
    wh: to.energyWh - from.energyWh,
    burnH: burnHours(from, to),
  });

  if (message.counterId !== previous.counterId) {
    return { kind: 'baseline', next: stateAt(reading), wh: 0, burnH: 0 };
  }
  if (continues(previous, reading, ratedW)) {
    // A held reading later than this one is still undecided; an earlier one was a glitch.
    return counted(
      previous,
      reading,
      pending !== undefined && isAfter(pending, reading) ? pending : undefined,
    );
  }
  // Two distinct readings off the accepted counter that continue each other (a repeat of the held
  // reading proves nothing): the counter was reset, or jumped, without a new id. The earlier is the
  // new baseline, the later counts from it.
  if (pending !== undefined) {
    for (const [earlier, later] of [
      [pending, reading],
      [reading, pending],
    ] as const) {
      if (isAfter(later, earlier) && continues(earlier, later, ratedW))
        return counted(earlier, later, undefined);
    }
  }
  const reason = message.energyWh < previous.energyWh ? 'counter-decrease' : 'implausible-energy';
  if (pending !== undefined && !isAfter(reading, pending)) return { kind: 'rejected', reason };
  return { kind: 'rejected', reason, next: { ...previous, pending: reading } };
}
