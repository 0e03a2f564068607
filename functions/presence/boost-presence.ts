import type { PresenceMessage } from '#protocol/messages/presence.ts';
import { BOOST_SHADOW } from '#protocol/topics.ts';
import {
  affectedLuminaires,
  type Boost,
  boostFor,
  type DetectionTiming,
  detectionTiming,
  extendBoost,
  extendThreshold,
  type Luminaire,
  nightOf,
} from '#schedules/index.ts';
import { type BackoffOptions, DEFAULT_BACKOFF, mapBounded, withBackoff } from '../shared/backoff.ts';
import type { ShadowFailure, ShadowStore } from '../shared/shadow-store.ts';
import type { PresenceStateStore } from '../store/index.ts';
import type { PresenceContext } from './presence-context.ts';
import type { SensorLookup } from './sensor-lookup.ts';

export interface BoostPresenceDeps {
  readonly context: () => Promise<PresenceContext>;
  /** Where each sensor stands: a detection is placed there, whatever its message says. */
  readonly sensorOf: SensorLookup;
  /** Domain time, epoch seconds: boosts are bounded from it. */
  readonly now: () => number;
  readonly presence: PresenceStateStore;
  readonly shadows: ShadowStore;
  readonly backoff?: BackoffOptions;
}

/** Why a detection boosts nothing without being looked at further. */
export type DropReason = 'unknown-sensor' | Exclude<DetectionTiming, 'in-time'>;

export type PresenceResult =
  | { readonly status: 'duplicate'; readonly detection: string }
  | { readonly status: 'dropped'; readonly detection: string; readonly reason: DropReason }
  | {
      readonly status: 'processed';
      readonly detection: string;
      /** Luminaires the policy reaches from this sensor. */
      readonly affected: number;
      /** Boost shadows written. */
      readonly boosted: readonly string[];
      /** Already boosted long enough (by this container or another): no update sent. */
      readonly held: number;
      readonly failed: readonly { readonly id: string; readonly reason: ShadowFailure }[];
    };

/** Shadow updates in flight for one detection (a corridor rarely reaches more than a dozen luminaires). */
const UPDATE_CONCURRENCY = 16;
const RETRYABLE: ReadonlySet<ShadowFailure> = new Set(['throttled', 'unavailable', 'conflict']);

export function makeBoostPresence(deps: BoostPresenceDeps) {
  /** Last boost this container wrote per luminaire: most repeated detections stop here, without I/O. */
  const written = new Map<string, Boost>();

  async function boostOne(
    context: PresenceContext,
    message: PresenceMessage,
    luminaire: Luminaire,
    boost: Boost,
    now: number,
  ): Promise<'boosted' | 'held' | ShadowFailure> {
    const { id } = luminaire;
    const threshold = extendThreshold(context.config.presence);
    const { update, boost: grant } = extendBoost(written.get(id) ?? null, boost, now, threshold);
    if (!update) return 'held';
    const claim = { level: grant.level, until: grant.until };
    if (!(await deps.presence.claimBoost(id, claim, boost.until - threshold))) {
      written.set(id, grant);
      return 'held';
    }
    const document = {
      state: {
        desired: { boost: { l: grant.level, u: grant.until, f: grant.fadeSeconds, src: message.sensor } },
      },
    };
    const { result } = await withBackoff(
      () => deps.shadows.update(luminaire.thingName, BOOST_SHADOW, document),
      (r) => !r.ok && RETRYABLE.has(r.reason),
      deps.backoff ?? DEFAULT_BACKOFF,
    );
    if (!result.ok) {
      await deps.presence.releaseBoost(id, claim);
      return result.reason;
    }
    written.set(id, grant);
    return 'boosted';
  }

  return async function boostPresence(message: PresenceMessage): Promise<PresenceResult> {
    const detection = `${message.sensor}/${message.id}`;
    const sensor = await deps.sensorOf(message.sensor);
    if (sensor === undefined) return { status: 'dropped', detection, reason: 'unknown-sensor' };
    const context = await deps.context();
    const { presence, site } = context.config;
    const now = deps.now();
    const timing = detectionTiming(message.ts, {
      receivedAt: message.receivedAt === undefined ? undefined : message.receivedAt / 1000,
      now,
      holdSeconds: presence.holdSeconds,
    });
    if (timing !== 'in-time') return { status: 'dropped', detection, reason: timing };
    // The timing check keeps this night the current one or, within a hold, the one just ended.
    const night = nightOf(site.timezone, Math.min(message.ts, now));
    const affected = affectedLuminaires(presence, { ...sensor, ts: message.ts }, context.index);
    const boosts = affected.flatMap(({ luminaire }) => {
      const plan = context.planOf(luminaire.id, night);
      const boost = plan === undefined ? null : boostFor(presence, message.ts, plan, luminaire.minLevel, now);
      return boost === null ? [] : [{ luminaire, boost }];
    });
    // A detection that boosts nothing (daylight, an extinction presence ignores) writes nothing: a
    // duplicate of it would boost nothing either, so it is not recorded (ADR 0017, 19.).
    if (boosts.length === 0) {
      return { status: 'processed', detection, affected: affected.length, boosted: [], held: 0, failed: [] };
    }
    if (!(await deps.presence.firstSighting(message.sensor, message.id, message.ts))) {
      return { status: 'duplicate', detection };
    }
    try {
      const outcomes = await mapBounded(boosts, UPDATE_CONCURRENCY, ({ luminaire, boost }) =>
        boostOne(context, message, luminaire, boost, now),
      );
      const boosted = boosts.filter((_, i) => outcomes[i] === 'boosted').map(({ luminaire }) => luminaire.id);
      const failed = boosts.flatMap(({ luminaire }, i) => {
        const outcome = outcomes[i];
        return outcome === 'boosted' || outcome === 'held' || outcome === undefined
          ? []
          : [{ id: luminaire.id, reason: outcome }];
      });
      return {
        status: 'processed',
        detection,
        affected: affected.length,
        boosted,
        held: outcomes.filter((o) => o === 'held').length,
        failed,
      };
    } catch (error) {
      // Let a redelivery of this detection try again.
      await deps.presence.forgetSighting(message.sensor, message.id);
      throw error;
    }
  };
}
