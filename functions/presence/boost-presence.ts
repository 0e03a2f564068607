import type { PresenceMessage } from '../../protocol/messages.ts';
import { BOOST_SHADOW } from '../../protocol/topics.ts';
import {
  affectedLuminaires,
  type Boost,
  boostFor,
  extendBoost,
  extendThreshold,
  type Luminaire,
  nightOf,
} from '../../schedules/index.ts';
import { type BackoffOptions, DEFAULT_BACKOFF, mapBounded, withBackoff } from '../shared/backoff.ts';
import type { ShadowFailure, ShadowStore } from '../shared/shadow-store.ts';
import type { PresenceStateStore } from '../store/index.ts';
import type { PresenceContext } from './presence-context.ts';

export interface BoostPresenceDeps {
  readonly context: () => Promise<PresenceContext>;
  readonly presence: PresenceStateStore;
  readonly shadows: ShadowStore;
  readonly backoff?: BackoffOptions;
}

export type PresenceResult =
  | { readonly status: 'duplicate'; readonly detection: string }
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
  ): Promise<'boosted' | 'held' | ShadowFailure> {
    const { id } = luminaire;
    const threshold = extendThreshold(context.config.presence);
    const { update, boost: grant } = extendBoost(written.get(id) ?? null, boost, message.ts, threshold);
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
    if (!(await deps.presence.firstSighting(message.sensor, message.id, message.ts))) {
      return { status: 'duplicate', detection };
    }
    try {
      const context = await deps.context();
      const { presence, site } = context.config;
      const night = nightOf(site.timezone, message.ts);
      const affected = affectedLuminaires(presence, message, context.index);
      const boosts = affected.flatMap(({ luminaire }) => {
        const plan = context.planOf(luminaire.id, night);
        const boost = plan === undefined ? null : boostFor(presence, message.ts, plan, luminaire.minLevel);
        return boost === null ? [] : [{ luminaire, boost }];
      });
      const outcomes = await mapBounded(boosts, UPDATE_CONCURRENCY, ({ luminaire, boost }) =>
        boostOne(context, message, luminaire, boost),
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
