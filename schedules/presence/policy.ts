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

/**
 * How far a detection's own time may lie from when IoT Core received it: a sensor's clock drifts by
 * seconds, and a sensor that lost its connection may deliver a queued detection a little late, but
 * no real detection is dated minutes ahead.
 */
export const DETECTION_SKEW = { aheadSeconds: 30, behindSeconds: 300 } as const;

export type DetectionTiming = 'in-time' | 'ahead' | 'late';

/**
 * Whether a detection at `ts` is believable and still worth a boost at `now`: dated at most
 * `aheadSeconds` after and `behindSeconds` before `receivedAt` (when IoT Core received it; `now`
 * when the event does not say), and its hold not already over at `now` (a delivery retried long
 * after the fact boosts nothing).
 */
export function detectionTiming(
  ts: number,
  at: { readonly receivedAt?: number | undefined; readonly now: number; readonly holdSeconds: number },
  skew: { readonly aheadSeconds: number; readonly behindSeconds: number } = DETECTION_SKEW,
): DetectionTiming {
  const reference = at.receivedAt ?? at.now;
  if (ts > reference + skew.aheadSeconds) return 'ahead';
  if (ts < reference - skew.behindSeconds || Math.min(ts, at.now) + at.holdSeconds <= at.now) return 'late';
  return 'in-time';
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
 * What a detection at `ts`, handled at `now`, does to one luminaire: a boost to `policy.level`
 * (never below the planned level, never below `minLevel`) for `holdSeconds` from the detection,
 * counted from `now` at the latest (a detection dated ahead never holds longer), not past the
 * night's `off`, or null when it changes nothing:
 * - outside the night's lit span (daylight, a night the luminaire is not lit);
 * - during an extinction period (planned 0) when the policy says `ignore`; with `ignore` a boost
 *   also ends where an extinction begins;
 * - when the hold is over at `now` or the plan is already at or above the boost level for all of it.
 */
export function boostFor(
  policy: PresencePolicy,
  ts: number,
  night: PlannedNight,
  minLevel = 0,
  now = ts,
): Boost | null {
  const start = Math.min(ts, now);
  if (night.on === null || night.off === null || start < night.on || start >= night.off) return null;
  const planned = plannedLevelAt(night.transitions, start);
  if (planned === 0 && policy.duringExtinction === 'ignore') return null;
  const held = Math.min(start + policy.holdSeconds, night.off);
  const darkFrom =
    policy.duringExtinction === 'ignore'
      ? night.transitions.find((t) => t.at > start && t.at < held && t.level === 0)?.at
      : undefined;
  const until = darkFrom ?? held;
  if (until <= now) return null;
  const highestPlanned = Math.max(
    planned,
    ...night.transitions.filter((t) => t.at > start && t.at < until).map((t) => t.level),
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
