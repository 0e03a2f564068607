import type { TelemetryMessage } from '#protocol/messages/telemetry.ts';
import type { MeterState, RollupContribution, RollupTarget, RollupUpdate } from '../store/index.ts';
import { type MeterReading, type ReadingContext, readMeter } from './meter-reading.ts';

/**
 * The pure core of the batched ledger (ADR 0008): one luminaire's readings of a batch folded through
 * its meter state, and every accepted reading's contribution grouped by the luminaire-night item it
 * adds to, so each item gets one write per batch. No I/O.
 */

/**
 * A record's place in its stream shard as a string that sorts like the number: Kinesis sequence
 * numbers are decimal strings of varying length, so the length (3 digits) goes first.
 */
export function streamPosition(sequenceNumber: string): string {
  return `${String(sequenceNumber.length).padStart(3, '0')}${sequenceNumber}`;
}

/** One report of a batch, with where it sits in the shard and what the ledger needs to judge it. */
export interface PlacedReading {
  readonly position: string;
  readonly message: TelemetryMessage;
  readonly context: ReadingContext;
}

export interface MeterAdvance {
  /** What each reading did, in the order given. */
  readonly outcomes: readonly MeterReading[];
  /** The meter state after the batch, or undefined when no reading changed it. */
  readonly next: MeterState | undefined;
  /** Accepted readings (baseline or counted) with the luminaire-night item each adds to. */
  readonly contributions: readonly Placed[];
}

interface Placed {
  readonly target: RollupTarget;
  readonly contribution: RollupContribution;
}

/**
 * Folds one luminaire's readings (in stream order) through `readMeter`, each judged against the
 * state the previous one left. The result depends only on the arguments, so a redelivered batch
 * read against the same state computes the same contributions (the rollup store's high-water marks
 * then skip what was already added).
 */
export function advanceMeter(
  luminaireId: string,
  previous: MeterState | undefined,
  readings: readonly PlacedReading[],
): MeterAdvance {
  let state = previous;
  let changed = false;
  const outcomes: MeterReading[] = [];
  const contributions: Placed[] = [];
  for (const { position, message, context } of readings) {
    const reading = readMeter(state, message, context);
    outcomes.push(reading);
    if (reading.kind === 'old') continue;
    if (reading.kind === 'rejected') {
      if (reading.next !== undefined) {
        state = reading.next;
        changed = true;
      }
      continue;
    }
    // The meter state keeps the reported plan hash, which the alarm sweep compares with the pushed
    // one, and level, which the live-state snapshot shows.
    state = { ...reading.next, planHash: message.planHash, level: message.level };
    changed = true;
    contributions.push({
      target: { luminaireId, night: context.night },
      contribution: { position, ts: state.ts, wh: reading.wh, burnH: reading.burnH },
    });
  }
  return { outcomes, next: changed ? state : undefined, contributions };
}

const targetKey = (target: RollupTarget): string => JSON.stringify(target);

/**
 * Groups contributions by luminaire-night item: one update per item. An item is one luminaire's,
 * whose contributions `advanceMeter` gives in stream order, so each update's are in stream order.
 */
export function rollupUpdates(placed: readonly Placed[]): RollupUpdate[] {
  const updates = new Map<string, { target: RollupTarget; contributions: RollupContribution[] }>();
  for (const { target, contribution } of placed) {
    const key = targetKey(target);
    const update = updates.get(key) ?? { target, contributions: [] };
    update.contributions.push(contribution);
    updates.set(key, update);
  }
  return [...updates.values()];
}

/**
 * Parts the luminaire-night updates that go with each luminaire's new meter state (those to the
 * night of `homes`, by luminaire: the state's own night item takes them in the same write) from
 * the updates the rollup writer applies (a batch straddling two nights: the earlier night's).
 */
export function splitHomeNights(
  updates: readonly RollupUpdate[],
  homes: ReadonlyMap<string, string>,
): { carried: Map<string, readonly RollupContribution[]>; others: RollupUpdate[] } {
  const carried = new Map<string, readonly RollupContribution[]>();
  const others: RollupUpdate[] = [];
  for (const update of updates) {
    const { target } = update;
    if (homes.get(target.luminaireId) === target.night) carried.set(target.luminaireId, update.contributions);
    else others.push(update);
  }
  return { carried, others };
}
