import { hasOwnController, type Luminaire } from '../inventory/schema.ts';
import { appendTransition, drivenLevel } from './timeline.ts';
import type { Transition } from './types.ts';

/** A luminaire a cabinet feeds, with the level changes its own profile asks for (one night or several). */
export interface FedLuminaire {
  readonly luminaire: Pick<Luminaire, 'id' | 'controller' | 'minLevel'>;
  /** Sorted, no two consecutive equal levels (a LuminairePlan's transitions, a schedule's steps). */
  readonly steps: readonly Transition[];
}

/** What a cabinet does, and what that makes each luminaire it feeds do. */
export interface CabinetPlan {
  /**
   * The cabinet's level changes: above 0 the contactor is closed and the circuit is dimmed to that
   * level (100 = not dimmed), 0 the contactor is open. Sorted, no two consecutive equal levels.
   */
  readonly steps: readonly Transition[];
  /**
   * Each fed luminaire's level changes as they happen behind the contactor, in the order given: a
   * luminaire without its own controller follows the circuit (raised to its minimum level); one with
   * its own controller keeps its plan, cut wherever the contactor is open.
   */
  readonly luminaires: readonly { readonly id: string; readonly steps: readonly Transition[] }[];
}

/** The level of each of `timelines` stepping through their instants in order. */
function* sweep(timelines: readonly (readonly Transition[])[]): Generator<{ at: number; levels: number[] }> {
  const levels = timelines.map(() => 0);
  const next = timelines.map(() => 0);
  for (;;) {
    let at = Number.POSITIVE_INFINITY;
    timelines.forEach((steps, i) => {
      const step = steps[next[i] as number];
      if (step !== undefined && step.at < at) at = step.at;
    });
    if (at === Number.POSITIVE_INFINITY) return;
    timelines.forEach((steps, i) => {
      const step = steps[next[i] as number];
      if (step?.at === at) {
        levels[i] = step.level;
        next[i] = (next[i] as number) + 1;
      }
    });
    yield { at, levels };
  }
}

/**
 * Plans a connected cabinet from the luminaires it feeds. The contactor is closed whenever a
 * luminaire without its own controller asks for light, at the highest level any of them asks for
 * (none is darker than its profile asks; the circuit has one dimmer). A cabinet that feeds only
 * luminaires with their own controllers closes whenever one of them asks for light, undimmed
 * (their drivers dim). In a mixed cabinet the node-less luminaires decide: closing the contactor
 * for a node luminaire would light every node-less luminaire on the circuit with it, so the node
 * luminaires are cut while it is open.
 */
export function planCabinet(fed: readonly FedLuminaire[]): CabinetPlan {
  const nodeLess = fed.filter((f) => !hasOwnController(f.luminaire)).map((f) => f.steps);
  const steps: Transition[] = [];
  if (nodeLess.length > 0) {
    for (const { at, levels } of sweep(nodeLess)) appendTransition(steps, at, Math.max(...levels));
  } else {
    for (const { at, levels } of sweep(fed.map((f) => f.steps))) {
      appendTransition(steps, at, levels.some((level) => level > 0) ? 100 : 0);
    }
  }
  const luminaires = fed.map(({ luminaire, steps: own }) => {
    if (hasOwnController(luminaire)) return { id: luminaire.id, steps: boundByContactor(own, steps) };
    const behind: Transition[] = [];
    for (const step of steps) appendTransition(behind, step.at, drivenLevel(step.level, luminaire.minLevel));
    return { id: luminaire.id, steps: behind };
  });
  return { steps, luminaires };
}

/**
 * A luminaire's own level changes as they happen behind its cabinet's contactor (`contactor`: the
 * cabinet's steps, closed above 0): its own level while the contactor is closed, 0 while it is open.
 */
export function boundByContactor(own: readonly Transition[], contactor: readonly Transition[]): Transition[] {
  const behind: Transition[] = [];
  for (const { at, levels } of sweep([own, contactor])) {
    appendTransition(behind, at, (levels[1] as number) > 0 ? (levels[0] as number) : 0);
  }
  return behind;
}
