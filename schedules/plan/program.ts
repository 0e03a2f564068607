import { isDuskEvent } from '../astro/sun-times.ts';
import type { LocalDate, Profile, TimeSpec } from '../config/schema.ts';
import { SUN_EVENTS } from '../config/schema.ts';
import { minutesOfDay } from '../time/local-date.ts';
import { type NightWindow, wallClockInNight } from '../time/night.ts';
import type { ZoneClock } from '../time/zone-clock.ts';

/**
 * A time of a profile made concrete for one night: a fixed instant (wall clock), or a sun event
 * (index into SUN_EVENTS) plus an offset in seconds.
 */
interface NightTime {
  /** -1 for a wall-clock time. */
  readonly event: number;
  /** The instant of a wall-clock time, or the offset of an event. */
  readonly seconds: number;
  /** For an event: whether it is a dusk (its "never that light" value is -Infinity) or a dawn. */
  readonly dusk: boolean;
}

/** A profile compiled for one night: wall clocks resolved once, events left to each position. */
export interface NightProgram {
  readonly profileName: string;
  readonly on: NightTime;
  readonly off: NightTime;
  readonly onLevel: number;
  readonly steps: readonly { readonly at: NightTime; readonly level: number }[];
  /** Whether every step is a wall clock, so the steps' order is the same at every position. */
  readonly fixedStepOrder: boolean;
  readonly polarNightOff: boolean;
  /** Ramp between two lit levels, seconds (the controllers do it; the energy model integrates it). */
  readonly fadeSeconds: number;
}

/**
 * The program of a luminaire for one night at one position: lit from `on` (at `initialLevel`) to
 * `off`, with level changes strictly between them, sorted. Times are whole epoch seconds.
 */
export interface ResolvedProgram {
  readonly on: number;
  readonly off: number;
  readonly initialLevel: number;
  readonly steps: readonly { readonly at: number; readonly level: number }[];
}

export function compileProgram(
  profileName: string,
  profile: Profile,
  clock: ZoneClock,
  night: LocalDate,
): NightProgram {
  const compile = (spec: TimeSpec): NightTime =>
    typeof spec === 'string'
      ? { event: -1, seconds: wallClockInNight(clock, night, minutesOfDay(spec)), dusk: false }
      : {
          event: SUN_EVENTS.indexOf(spec.event),
          seconds: spec.offsetMinutes * 60,
          dusk: isDuskEvent(spec.event),
        };
  const steps = profile.steps.map((step) => ({ at: compile(step.at), level: step.level }));
  const fixedStepOrder = steps.every((step) => step.at.event < 0);
  if (fixedStepOrder) steps.sort((a, b) => a.at.seconds - b.at.seconds);
  return {
    profileName,
    on: compile(profile.on),
    off: compile(profile.off),
    onLevel: profile.onLevel,
    steps,
    fixedStepOrder,
    polarNightOff: profile.polarNight === 'off',
    fadeSeconds: profile.fadeSeconds,
  };
}

function instant(time: NightTime, sun: Float64Array): number {
  return time.event < 0 ? time.seconds : Math.round((sun[time.event] as number) + time.seconds);
}

function polarDark(time: NightTime, sun: Float64Array): boolean {
  if (time.event < 0) return false;
  const value = sun[time.event] as number;
  return time.dusk ? value === Number.NEGATIVE_INFINITY : value === Number.POSITIVE_INFINITY;
}

/** Two positions with equal keys get the same `resolveProgram` result. */
export interface ProgramKey {
  /** Seconds from the window's start to on; -1 when not lit. */
  on: number;
  /** Seconds from the window's start to off, and the step instants when they depend on the sun. */
  rest: number | string;
}

export const NOT_LIT: Readonly<ProgramKey> = { on: -1, rest: 0 };

/**
 * The key of a program at a position: the clipped on and off relative to the window (and the step
 * instants when they depend on the sun). The returned object is reused by the next call.
 */
export function programInstants(
  program: NightProgram,
  sun: Float64Array,
  window: NightWindow,
): Readonly<ProgramKey> {
  if (!litSpan(program, sun, window)) return NOT_LIT;
  reusedKey.on = span.on - window.start;
  reusedKey.rest = program.fixedStepOrder
    ? span.off - window.start
    : `${span.off - window.start} ${program.steps.map((step) => instant(step.at, sun)).join(' ')}`;
  return reusedKey;
}

const reusedKey: ProgramKey = { on: 0, rest: 0 };
/** On and off of the last `litSpan` call (reused: these run once per luminaire). */
const span = { on: 0, off: 0 };

/**
 * Sets `span` to the program's on and off clipped to the window; false when the program does not
 * light the luminaire (off not after on, e.g. no sunset in polar day; or polar night with
 * `polarNight: "off"`).
 */
function litSpan(program: NightProgram, sun: Float64Array, window: NightWindow): boolean {
  if (program.polarNightOff && (polarDark(program.on, sun) || polarDark(program.off, sun))) return false;
  span.on = Math.max(window.start, instant(program.on, sun));
  span.off = Math.min(window.end, instant(program.off, sun));
  return span.on < span.off;
}

/**
 * Resolves a night program at a position (`sun`: that night's events there, indexed like SUN_EVENTS).
 * On and off are clipped to the night window; null when the program does not light the luminaire.
 * A step before `on` sets the level the luminaire comes on at (the reduced period has already
 * begun); steps at or after `off` are dropped; of steps at the same instant the last listed wins.
 */
export function resolveProgram(
  program: NightProgram,
  sun: Float64Array,
  window: NightWindow,
): ResolvedProgram | null {
  if (!litSpan(program, sun, window)) return null;
  const { on, off } = span;
  let steps = program.steps.map((step) => ({ at: instant(step.at, sun), level: step.level }));
  // Array.prototype.sort is stable, so equal instants keep the profile's order.
  if (!program.fixedStepOrder) steps.sort((a, b) => a.at - b.at);
  let initialLevel = program.onLevel;
  for (const step of steps) if (step.at <= on) initialLevel = step.level;
  steps = steps.filter((step) => step.at > on && step.at < off);
  return { on, off, initialLevel, steps };
}
