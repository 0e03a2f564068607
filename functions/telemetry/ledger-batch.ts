import type { TelemetryMessage } from '#protocol/messages/telemetry.ts';
import type { MeterState, RollupContribution, RollupTarget, RollupUpdate } from '../store/index.ts';
import { shardOf, ZONE_ROLLUP_WRITE_SHARDS } from '../store/keys.ts';
import { type MeterReading, type ReadingContext, readMeter } from './meter-reading.ts';

/**
 * The pure core of the batched ledger (ADR 0008): one luminaire's readings of a batch folded through
 * its meter state, and every accepted reading's contribution grouped by the rollup item it adds to,
 * so each item gets one write per batch. No I/O.
 */

/**
 * A record's place in its stream shard as a string that sorts like the number: Kinesis sequence
 * numbers are decimal strings of varying length, so the length (3 digits) goes first.
 */
export function streamPosition(sequenceNumber: string): string {
  return `${String(sequenceNumber.length).padStart(3, '0')}${sequenceNumber}`;
}

export interface LedgerLuminaire {
  readonly id: string;
  readonly zone: string;
  readonly street: string;
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
  /** Accepted readings (baseline or counted) with the rollup targets they add to. */
  readonly contributions: readonly Placed[];
}

interface Placed {
  readonly targets: readonly RollupTarget[];
  readonly contribution: RollupContribution;
}

/**
 * Folds one luminaire's readings (in stream order) through `readMeter`, each judged against the
 * state the previous one left. The result depends only on the arguments, so a redelivered batch
 * read against the same state computes the same contributions (the rollup store's high-water marks
 * then skip what was already added). Zone contributions go to the sub-item `zoneWriteShard`
 * (zoneWriteShardOf the batch's stream shard).
 */
export function advanceMeter(
  luminaire: LedgerLuminaire,
  previous: MeterState | undefined,
  readings: readonly PlacedReading[],
  zoneWriteShard: number,
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
      targets: rollupTargets(luminaire, context.night, zoneWriteShard),
      contribution: {
        position,
        ts: state.ts,
        wh: reading.wh,
        burnH: reading.burnH,
        luminaireNights: reading.firstOfNight ? 1 : 0,
      },
    });
  }
  return { outcomes, next: changed ? state : undefined, contributions };
}

/**
 * The zone-night sub-item a stream shard adds to. One per stream shard, not per luminaire: a batch
 * then writes one sub-item per zone, and the shards of the stream, the concurrent writers, still
 * write different ones. The same for every attempt of a batch, as the shard's high-water marks need.
 */
export function zoneWriteShardOf(streamShard: string): number {
  return shardOf(streamShard, ZONE_ROLLUP_WRITE_SHARDS);
}

/** The three rollup items an accepted reading of `night` adds to. */
export function rollupTargets(
  luminaire: LedgerLuminaire,
  night: string,
  zoneWriteShard: number,
): RollupTarget[] {
  const month = night.slice(0, 7);
  return [
    { kind: 'luminaire-night', luminaireId: luminaire.id, night },
    {
      kind: 'zone-night',
      night,
      zone: luminaire.zone,
      writeShard: zoneWriteShard,
    },
    { kind: 'street-month', month, zone: luminaire.zone, street: luminaire.street },
  ];
}

const targetKey = (target: RollupTarget): string => JSON.stringify(target);

/** Groups contributions by rollup item: one update per item, its contributions in stream order. */
export function rollupUpdates(placed: readonly Placed[]): RollupUpdate[] {
  const updates = new Map<string, { target: RollupTarget; contributions: RollupContribution[] }>();
  for (const { targets, contribution } of placed) {
    for (const target of targets) {
      const key = targetKey(target);
      const update = updates.get(key) ?? { target, contributions: [] };
      update.contributions.push(contribution);
      updates.set(key, update);
    }
  }
  for (const update of updates.values()) {
    update.contributions.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  }
  return [...updates.values()];
}

/**
 * Parts the luminaire-night updates that go with each luminaire's new meter state (those to the
 * night of `homes`, by luminaire: the state's own night item takes them in the same write) from
 * the updates the rollup writer applies.
 */
export function splitHomeNights(
  updates: readonly RollupUpdate[],
  homes: ReadonlyMap<string, string>,
): { carried: Map<string, readonly RollupContribution[]>; others: RollupUpdate[] } {
  const carried = new Map<string, readonly RollupContribution[]>();
  const others: RollupUpdate[] = [];
  for (const update of updates) {
    const { target } = update;
    if (target.kind === 'luminaire-night' && homes.get(target.luminaireId) === target.night)
      carried.set(target.luminaireId, update.contributions);
    else others.push(update);
  }
  return { carried, others };
}
