import { litTime } from '../energy/model.ts';
import type { OverrideSpan } from '../overrides/select.ts';
import { getOrInsertComputed } from '../place-cache.ts';
import type { NightWindow } from '../time/night.ts';
import { type NightProgram, NOT_LIT, programInstants, resolveProgram } from './program.ts';
import { composeTransitions } from './timeline.ts';
import type { Transition } from './types.ts';

/** What a luminaire of a group does on the night, shared by every luminaire with the same sun times. */
export interface NightOutcome {
  readonly transitions: readonly Transition[];
  /** First and last transition instants; null when not lit. */
  readonly on: number | null;
  readonly off: number | null;
  /** Σ level/100 × seconds lit, and seconds lit: energy is these times the luminaire's watts. */
  readonly fullPowerSeconds: number;
  readonly litSeconds: number;
}

/**
 * Luminaires that share a program, the overrides acting on them and their minimum level. Their
 * plans differ only by the sun times at their positions, and after rounding to whole seconds
 * neighbours mostly agree: outcomes are cached by the resolved instants, so a city is planned with
 * a few thousand timeline compositions and its luminaires share the transition arrays.
 */
export class NightGroup {
  /** By the on offset, then by the rest of the key: small integer keys hash fastest. */
  private readonly outcomes = new Map<number, Map<number | string, NightOutcome>>();
  /** The last outcome and its key: neighbours in an inventory (a street) mostly share one. */
  private lastOn = Number.NaN;
  private lastRest: number | string = Number.NaN;
  private last: NightOutcome | undefined;

  constructor(
    readonly program: NightProgram | null,
    private readonly overrides: readonly OverrideSpan[],
    private readonly minLevel: number,
    private readonly window: NightWindow,
  ) {}

  /** The profile name, when the group has a program. */
  get profile(): string | null {
    return this.program?.profileName ?? null;
  }

  outcome(sun: Float64Array): NightOutcome {
    const key = this.program === null ? NOT_LIT : programInstants(this.program, sun, this.window);
    if (key.on === this.lastOn && key.rest === this.lastRest) return this.last as NightOutcome;
    const byRest = getOrInsertComputed(this.outcomes, key.on, newOutcomeMap);
    let outcome = byRest.get(key.rest);
    if (outcome === undefined) {
      const resolved = this.program === null ? null : resolveProgram(this.program, sun, this.window);
      const transitions = composeTransitions(resolved, this.overrides, this.minLevel, this.window);
      const lit = transitions.length > 0;
      const { fullPowerSeconds, litSeconds } = litTime(transitions, this.program?.fadeSeconds ?? 0);
      // Fields listed explicitly (no spread), so every outcome has one hidden class and reading
      // them on the hot path stays monomorphic.
      outcome = {
        transitions,
        on: lit ? (transitions[0] as Transition).at : null,
        off: lit ? (transitions[transitions.length - 1] as Transition).at : null,
        fullPowerSeconds,
        litSeconds,
      };
      byRest.set(key.rest, outcome);
    }
    this.lastOn = key.on;
    this.lastRest = key.rest;
    this.last = outcome;
    return outcome;
  }
}

function newOutcomeMap(): Map<number | string, NightOutcome> {
  return new Map();
}
