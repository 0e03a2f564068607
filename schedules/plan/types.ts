import type { LocalDate } from '../config/schema.ts';

/** A level change at an instant (epoch seconds). Level 0 = off. */
export interface Transition {
  readonly at: number;
  readonly level: number;
}

/** Why a luminaire does what it does on a night: the calendar rule's profile, or an override. */
export interface LuminairePlan {
  readonly id: string;
  readonly thingName: string;
  /** The profile the calendar chose; null when the luminaire is not lit that night. */
  readonly profile: string | null;
  /** First instant lit, last instant lit (epoch seconds); null when not lit that night. */
  readonly on: number | null;
  readonly off: number | null;
  /** Sorted, starts at `on`, ends with level 0 at `off`, no two consecutive equal levels. */
  readonly transitions: readonly Transition[];
  readonly energyWh: number;
  readonly baselineWh: number;
}

export interface NightPlan {
  readonly night: LocalDate;
  readonly timezone: string;
  readonly luminaires: readonly LuminairePlan[];
}
