import type { PresencePolicy } from '../config/schema.ts';
import type { Transition } from '../plan/types.ts';
import { type IndexedLuminaire, luminairesWithin, type PresenceIndex } from './index-grid.ts';

/** A detection by a presence sensor: where, on which street if the sensor knows, when (epoch seconds). */
export interface Detection {
  readonly lat: number;
  readonly lon: number;
  readonly street?: string | undefined;
  readonly ts: number;
}

/**
 * The luminaires a detection boosts, nearest first (ties by id): those within `radiusMeters`, and,
 * with `sameStreet`, those of the detection's street within `streetRadiusMeters` (a corridor of
 * light ahead of the person).
 */
export function affectedLuminaires<L extends IndexedLuminaire>(
  policy: PresencePolicy,
  detection: Detection,
  index: PresenceIndex<L>,
): { luminaire: L; distanceMeters: number }[] {
  const corridor = policy.sameStreet && detection.street !== undefined;
  const reach = corridor ? Math.max(policy.radiusMeters, policy.streetRadiusMeters) : policy.radiusMeters;
  return luminairesWithin(index, detection.lat, detection.lon, reach)
    .filter(
      ({ luminaire, distanceMeters }) =>
        distanceMeters <= policy.radiusMeters ||
        (corridor && luminaire.street === detection.street && distanceMeters <= policy.streetRadiusMeters),
    )
    .sort((a, b) => a.distanceMeters - b.distanceMeters || (a.luminaire.id < b.luminaire.id ? -1 : 1));
}

/** A boost as the `boost` shadow carries it: level until an instant, with a fade. */
export interface Boost {
  readonly level: number;
  readonly until: number;
  readonly fadeSeconds: number;
}

/** The night a luminaire is in, as planned: its lit span and its transitions. */
export interface PlannedNight {
  readonly on: number | null;
  readonly off: number | null;
  readonly transitions: readonly Transition[];
}

/**
 * What a detection at `ts` does to one luminaire: a boost to `policy.level` (never below the
 * planned level, never below `minLevel`) until `ts + holdSeconds` (not past the night's `off`), or
 * null when it changes nothing:
 * - outside the night's lit span (daylight, a night the luminaire is not lit);
 * - during an extinction period (planned 0) when the policy says `ignore`;
 * - when the plan is already at or above the boost level for the whole hold.
 */
export function boostFor(
  policy: PresencePolicy,
  ts: number,
  night: PlannedNight,
  minLevel = 0,
): Boost | null {
  if (night.on === null || night.off === null || ts < night.on || ts >= night.off) return null;
  const until = Math.min(ts + policy.holdSeconds, night.off);
  const planned = plannedLevelAt(night.transitions, ts);
  if (planned === 0 && policy.duringExtinction === 'ignore') return null;
  const highestPlanned = Math.max(
    planned,
    ...night.transitions.filter((t) => t.at > ts && t.at < until).map((t) => t.level),
  );
  const level = Math.max(policy.level, minLevel);
  if (level <= highestPlanned) return null;
  return { level, until, fadeSeconds: policy.fadeSeconds };
}

function plannedLevelAt(transitions: readonly Transition[], ts: number): number {
  let level = 0;
  for (const transition of transitions) {
    if (transition.at > ts) break;
    level = transition.level;
  }
  return level;
}

/**
 * Merges a new boost into the one a luminaire already has (null when none or expired at `ts`) and
 * says whether the shadow needs an update: only for a higher level, or when the new `until` goes
 * beyond the stored one by more than `thresholdSeconds` (default a quarter of the hold), so a person
 * lingering under a sensor does not send an update per detection.
 */
export function extendBoost(
  stored: Boost | null,
  next: Boost,
  ts: number,
  thresholdSeconds: number,
): { update: boolean; boost: Boost } {
  if (stored === null || stored.until <= ts) return { update: true, boost: next };
  const boost = {
    level: Math.max(stored.level, next.level),
    until: Math.max(stored.until, next.until),
    fadeSeconds: next.fadeSeconds,
  };
  const update = next.level > stored.level || next.until - stored.until > thresholdSeconds;
  return { update, boost: update ? boost : stored };
}

/** The default update threshold of `extendBoost` for a policy: a quarter of its hold time. */
export function extendThreshold(policy: PresencePolicy): number {
  return policy.holdSeconds / 4;
}
