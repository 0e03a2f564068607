import type { FadeChange } from '#protocol/plan-codec.ts';
import type { Config, LocalDate } from '../config/schema.ts';
import { hasOwnController, type Luminaire } from '../inventory/schema.ts';
import { addDays } from '../time/local-date.ts';
import { nightWindow } from '../time/night.ts';
import { ZoneClock } from '../time/zone-clock.ts';
import { planCabinet } from './cabinet.ts';
import { type Circuits, type ContactorNights, planNight } from './plan-night.ts';
import { appendTransition } from './timeline.ts';
import type { LuminairePlan, Transition } from './types.ts';

/** A luminaire's plan over consecutive nights, as the `plan` shadow carries it. */
export interface LuminaireSchedule {
  readonly id: string;
  readonly thingName: string;
  /** Every night's transitions joined: sorted, no two consecutive equal levels, none at the same instant. */
  readonly steps: readonly Transition[];
  /**
   * Where the fade between lit levels changes: from a night's first transition on, the fade of that
   * night's profile (0 without one). Sorted; only changes are listed, none while it stays 0.
   */
  readonly fades: readonly FadeChange[];
  /** End of the last night's window (epoch seconds): the plan is valid up to there. */
  readonly until: number;
  readonly nights: readonly LuminairePlan[];
}

/** Shared by every luminaire without fades: most cities have none, so no array each. */
const NO_FADES: readonly FadeChange[] = [];

/**
 * Plans `count` consecutive nights from `firstNight`, bounded by `circuits` as planNight is. Where a
 * luminaire stays lit across the noon boundary between two nights (polar night, an override), the
 * first night's closing 0 and the second's opening level merge into one continuous level.
 */
export function planNights(
  config: Config,
  luminaires: readonly Luminaire[],
  firstNight: LocalDate,
  count: number,
  circuits: Circuits,
): LuminaireSchedule[] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`planNights needs at least one night, got ${count}`);
  const nights = Array.from({ length: count }, (_, i) =>
    planNight(config, luminaires, addDays(firstNight, i), circuits),
  );
  const until = nightWindow(ZoneClock.of(config.site.timezone), addDays(firstNight, count - 1)).end;
  return luminaires.map((luminaire, index) => {
    const plans = nights.map((night) => night.luminaires[index] as LuminairePlan);
    const steps: Transition[] = [];
    let fades: FadeChange[] | null = null;
    let fade = 0;
    for (const plan of plans) {
      const first = plan.transitions[0];
      const nightFade = plan.profile === null ? 0 : (config.profiles[plan.profile]?.fadeSeconds ?? 0);
      if (first !== undefined && nightFade !== fade) {
        fades ??= [];
        fades.push({ at: first.at, seconds: nightFade });
        fade = nightFade;
      }
      for (const transition of plan.transitions) appendTransition(steps, transition.at, transition.level);
    }
    return {
      id: luminaire.id,
      thingName: luminaire.thingName,
      steps,
      fades: fades ?? NO_FADES,
      until,
      nights: plans,
    };
  });
}

/**
 * A connected cabinet's contactor each of `count` nights from `firstNight`, as the planner bounds the
 * luminaires behind it: from the plans of the luminaires without their own controller it feeds
 * (`schedules[i]` planned unbounded for `fed[i]`), null every night when it feeds none.
 */
export function contactorNights(
  fed: readonly Luminaire[],
  schedules: readonly Pick<LuminaireSchedule, 'nights'>[],
  firstNight: LocalDate,
  count: number,
): ContactorNights {
  const nights = new Map<LocalDate, readonly Transition[] | null>();
  const feedsNodeLess = !fed.every(hasOwnController);
  for (let k = 0; k < count; k++) {
    const night = addDays(firstNight, k);
    if (!feedsNodeLess) nights.set(night, null);
    else {
      const fedThatNight = fed.map((luminaire, i) => ({
        luminaire,
        steps: schedules[i]?.nights[k]?.transitions ?? [],
      }));
      nights.set(night, planCabinet(fedThatNight).steps);
    }
  }
  return nights;
}
