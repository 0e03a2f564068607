import type { OverrideSpan } from '../overrides/select.ts';
import type { NightWindow } from '../time/night.ts';
import type { ResolvedProgram } from './program.ts';
import type { Transition } from './types.ts';

/** The level a luminaire is driven at for a requested level: 0 stays off, a lit level is at least minLevel. */
export function drivenLevel(level: number, minLevel: number): number {
  return level === 0 ? 0 : Math.max(level, minLevel);
}

/**
 * The level changes of a night: the program, overridden wherever an override is active (the last
 * listed wins where they overlap; an override may light a luminaire outside its program or switch it
 * off), lit levels raised to `minLevel`. The result is sorted, starts with the first lit level,
 * ends with 0, and has no two consecutive equal levels; a luminaire lit at the end of the window is
 * switched off at the window's end (the next night's plan takes over there).
 */
export function composeTransitions(
  program: ResolvedProgram | null,
  overrides: readonly OverrideSpan[],
  minLevel: number,
  window: NightWindow,
): Transition[] {
  const transitions: Transition[] = [];
  if (overrides.length === 0) {
    if (program !== null) {
      appendTransition(transitions, program.on, drivenLevel(program.initialLevel, minLevel));
      for (const step of program.steps)
        appendTransition(transitions, step.at, drivenLevel(step.level, minLevel));
      appendTransition(transitions, program.off, 0);
    }
    return transitions;
  }
  const spans = overrides.map((o) => ({
    from: Math.max(o.from, window.start),
    until: Math.min(o.until, window.end),
    level: o.level,
  }));
  const instants = new Set<number>();
  if (program !== null) {
    instants.add(program.on).add(program.off);
    for (const step of program.steps) instants.add(step.at);
  }
  for (const span of spans) instants.add(span.from).add(span.until);
  const sorted = [...instants].sort((a, b) => a - b);
  for (const at of sorted) {
    let level = programLevelAt(program, at);
    for (const span of spans) if (span.from <= at && at < span.until) level = span.level;
    appendTransition(transitions, at, drivenLevel(level, minLevel));
  }
  appendTransition(transitions, window.end, 0);
  return transitions;
}

/**
 * Appends a level change to sorted transitions: one at the same instant as the last replaces it
 * (the later wins), and a change to the level already in force (0 before the first) is dropped.
 */
export function appendTransition(transitions: Transition[], at: number, level: number): void {
  while (transitions.length > 0 && (transitions[transitions.length - 1] as Transition).at === at)
    transitions.pop();
  const current = transitions.length === 0 ? 0 : (transitions[transitions.length - 1] as Transition).level;
  if (level !== current) transitions.push({ at, level });
}

function programLevelAt(program: ResolvedProgram | null, at: number): number {
  if (program === null || at < program.on || at >= program.off) return 0;
  let level = program.initialLevel;
  for (const step of program.steps) {
    if (step.at > at) break;
    level = step.level;
  }
  return level;
}
