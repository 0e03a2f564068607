import type { Fault } from '#protocol/fields.ts';
import { fnv1a } from '#protocol/hash.ts';
import type { TelemetryMessage } from '#protocol/messages/telemetry.ts';
import { type RampedStep, rampedSteps } from '#protocol/plan-codec.ts';
import { type ReportedState, ShadowBoost, ShadowPlan } from '#protocol/shadows.ts';
import { BOOST_SHADOW, PLAN_SHADOW } from '#protocol/topics.ts';
import { AstroClock } from './astro-clock.ts';
import { describe, parseShadowReply, type ShadowReply, type ShadowState } from './shadow-messages.ts';

/**
 * The luminaire controller as a state machine without I/O: every input carries the time it
 * happens at (epoch seconds) and returns the effects the MQTT shell must carry out. Energy is
 * integrated exactly between the instants where the level can change, so the result does not
 * depend on how often the controller is woken up. A plan's change between two lit levels ramps
 * linearly over the plan's fade (`f`); the meter integrates the ramp exactly (power is linear in the
 * level), and a ramp's end is one of those instants.
 */

export type NamedShadow = typeof PLAN_SHADOW | typeof BOOST_SHADOW;
export const NAMED_SHADOWS: readonly NamedShadow[] = [PLAN_SHADOW, BOOST_SHADOW];

export interface ControllerConfig {
  readonly thingName: string;
  readonly lat: number;
  readonly lon: number;
  /** Rated LED power at 100 %. */
  readonly ledWatts: number;
  /** Lowest level the driver holds when lit. */
  readonly minLevel: number;
  /** Power drawn by the node and the driver when the lamp is off (or has failed). */
  readonly standbyW: number;
  readonly fw: string;
  /** Level between dusk and dawn when the controller has never had a plan. */
  readonly fallbackLevel: number;
  readonly telemetryEverySeconds: number;
  /**
   * The window of each telemetry period the fleet's reports are spread over (TALQ's randomised
   * reporting): a device reports at its own instant of the window (a share fixed by its thing
   * name), every period, and a level change or reconnect is carried by its next such report. A
   * street that switches at the same second then reports over the window, not in one burst, and
   * over the whole period (the default, at most the period) the ledger's writes are as steady as
   * the period allows. 0: no spread, a report at once on every level change and reconnect, the
   * periodic one a period after the last.
   */
  readonly reportSpreadSeconds: number;
}

/** What survives a reboot: the energy meter's non-volatile memory. */
export interface NonVolatileMemory {
  counterId: string;
  energyWh: number;
  burningHours: number;
  seq: number;
}

/** The physical lamp, which a reboot does not repair. */
export interface Lamp {
  failed: boolean;
}

export type Effect =
  | { readonly type: 'getShadow'; readonly shadow: NamedShadow }
  | { readonly type: 'report'; readonly state: ReportedState }
  | { readonly type: 'telemetry'; readonly message: TelemetryMessage }
  | { readonly type: 'log'; readonly level: 'info' | 'warn'; readonly msg: string };

export type Reason = ReportedState['reason'];

/**
 * The level in force (the one reported) and how the lamp gets there: from `rampFrom` at `rampStart`
 * linearly to `level` at `rampEnd`; no ramp when `rampEnd` is not after the instant asked about.
 */
interface Output {
  readonly level: number;
  readonly reason: Reason;
  readonly rampFrom: number;
  readonly rampStart: number;
  readonly rampEnd: number;
}

/** A plan held in memory, with its steps and their ramps decoded once. */
interface HeldPlan {
  readonly plan: ShadowPlan;
  readonly steps: readonly RampedStep[];
}

const hold = (plan: ShadowPlan): HeldPlan => ({ plan, steps: rampedSteps(plan) });

const steady = (level: number, reason: Reason): Output => ({
  level,
  reason,
  rampFrom: level,
  rampStart: 0,
  rampEnd: 0,
});

/**
 * The index of the first step after `t` (the steps' length when none is). A loop, not a callback:
 * this runs at every wake-up of every simulated controller.
 */
function firstAfter(steps: readonly RampedStep[], t: number): number {
  let i = 0;
  while (i < steps.length && (steps[i] as RampedStep).at <= t) i++;
  return i;
}

/** A lit level is never below the driver's minimum. */
const drive = (level: number, minLevel: number): number => (level > 0 && level < minLevel ? minLevel : level);

/** The lamp's level at `t` (fractional within a ramp). */
function drivenAt(output: Output, t: number): number {
  if (t >= output.rampEnd) return output.level;
  const share = (t - output.rampStart) / (output.rampEnd - output.rampStart);
  return output.rampFrom + (output.level - output.rampFrom) * share;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export class ControllerState {
  private readonly astro: AstroClock;
  private t: number;
  private online = false;
  private readonly pendingSync = new Set<NamedShadow>();
  private readonly versions = new Map<NamedShadow, number>();

  private held: HeldPlan | null = null;
  /**
   * The plan replaced by one that starts later (a plan pushed in the afternoon starts at tonight's
   * switch-on): it still governs until the new plan's first step.
   */
  private handover: HeldPlan | null = null;
  /** The desired plan as received, onto which a delta's changed keys are merged. */
  private planDesired: Record<string, unknown> = {};
  private boost: ShadowBoost | null = null;

  private output: Output;
  private lampFaultSeen = false;
  private lastReport: string | null = null;
  private nextTelemetryAt = Number.POSITIVE_INFINITY;
  /** This device's fixed place in [0, 1) of the report spread. */
  private readonly spreadShare: number;

  constructor(
    readonly config: ControllerConfig,
    private readonly nvm: NonVolatileMemory,
    private readonly lamp: Lamp,
    now: number,
  ) {
    this.astro = new AstroClock(config.lat, config.lon);
    this.spreadShare = shareOf(config.thingName);
    this.t = now;
    this.output = this.outputAt(now);
  }

  // ---- inputs ------------------------------------------------------------------------------

  connected(now: number): Effect[] {
    const effects = this.advance(now);
    this.online = true;
    this.lastReport = null;
    this.nextTelemetryAt = this.spread ? this.slotAfter(now) : now + this.config.telemetryEverySeconds;
    for (const shadow of NAMED_SHADOWS) {
      this.pendingSync.add(shadow);
      effects.push({ type: 'getShadow', shadow });
    }
    return effects;
  }

  disconnected(now: number): Effect[] {
    const effects = this.advance(now);
    this.online = false;
    this.pendingSync.clear();
    return effects;
  }

  tick(now: number): Effect[] {
    const effects = this.advance(now);
    if (this.online && now >= this.nextTelemetryAt) effects.push(this.telemetry(now));
    return effects;
  }

  shadowMessage(now: number, shadow: NamedShadow, reply: ShadowReply, payload: unknown): Effect[] {
    const effects = this.advance(now);
    const parsed = parseShadowReply(reply, payload);
    if (!parsed.ok) {
      effects.push(warn(`ignored malformed ${shadow} ${reply}: ${parsed.problem}`));
    } else if (parsed.kind === 'state') {
      const understood = this.applyState(now, shadow, parsed.state, effects);
      // A delta holds only the changed keys, and no whole document follows it (the controller does
      // not subscribe to `/documents`): one that does not make a valid state asks for the document.
      if (!understood && parsed.state.partial && !this.pendingSync.has(shadow)) {
        this.pendingSync.add(shadow);
        effects.push({ type: 'getShadow', shadow });
      }
    } else if (parsed.code !== 404) {
      effects.push(
        warn(`${shadow} shadow get rejected with ${parsed.code}; keeping current state, will ask again`),
      );
    }
    // A 404 answers the GET (there is no such shadow); a throttled or failed GET does not.
    const answered =
      reply === 'get/accepted' || (parsed.ok && parsed.kind === 'rejected' && parsed.code === 404);
    if (answered) this.pendingSync.delete(shadow);
    this.settle(now, effects);
    return effects;
  }

  setLampFailed(now: number, failed: boolean): Effect[] {
    const effects = this.advance(now);
    this.lamp.failed = failed;
    if (!failed) this.lampFaultSeen = false;
    this.settle(now, effects);
    return effects;
  }

  /** Driver (and its meter) replaced: a new counter starting from zero. */
  replaceDriver(now: number, counterId: string): Effect[] {
    const effects = this.advance(now);
    Object.assign(this.nvm, { counterId, energyWh: 0, burningHours: 0 });
    this.lastReport = null;
    this.settle(now, effects);
    return effects;
  }

  // ---- queries -----------------------------------------------------------------------------

  /** The next instant the controller must be woken (a level change or telemetry due). */
  wakeAt(): number {
    return Math.min(this.nextChange(this.t), this.online ? this.nextTelemetryAt : Number.POSITIVE_INFINITY);
  }

  get level(): number {
    return this.output.level;
  }

  get reason(): Reason {
    return this.output.reason;
  }

  get planHash(): string | null {
    return this.held?.plan.h ?? null;
  }

  /** The power drawn now: within a fade, at the level the ramp has reached. */
  get powerW(): number {
    return this.powerAt(drivenAt(this.output, this.t));
  }

  get isOnline(): boolean {
    return this.online;
  }

  /** Shadows still to be fetched after the last (re)connect. */
  get unsynced(): readonly NamedShadow[] {
    return [...this.pendingSync];
  }

  get faults(): Fault[] {
    return this.lampFaultSeen ? ['lampFailure'] : [];
  }

  get meter(): Readonly<NonVolatileMemory> {
    return this.nvm;
  }

  // ---- shadow state ------------------------------------------------------------------------

  /** Whether the state was understood (an older version is: it is skipped). */
  private applyState(now: number, shadow: NamedShadow, state: ShadowState, effects: Effect[]): boolean {
    const seen = this.versions.get(shadow) ?? -1;
    if (state.version <= seen) return true;
    const adopted =
      shadow === PLAN_SHADOW ? this.adoptPlan(now, state, effects) : this.adoptBoost(now, state, effects);
    if (adopted) this.versions.set(shadow, state.version);
    return adopted;
  }

  /** Whether the message was understood (its version is then recorded). */
  private adoptPlan(now: number, state: ShadowState, effects: Effect[]): boolean {
    const raw = state.desired.plan;
    // No plan in the document: keep the one in force rather than go dark.
    if (raw === undefined || raw === null) return true;
    const merged = state.partial && isObject(raw) ? { ...this.planDesired, ...raw } : raw;
    const parsed = ShadowPlan.safeParse(merged);
    if (!parsed.success) {
      effects.push(warn(`ignored invalid plan: ${describe(parsed.error)}`));
      return false;
    }
    const plan = parsed.data;
    if (plan.until <= now) {
      effects.push(warn(`ignored stale plan ${plan.h}: valid until ${plan.until}, now ${Math.floor(now)}`));
      return true;
    }
    this.planDesired = merged as Record<string, unknown>;
    if (plan.h !== this.held?.plan.h) {
      const current = this.held;
      this.handover = plan.t0 > now && current !== null && current.plan.until > now ? current : null;
      this.held = hold(plan);
      effects.push({ type: 'log', level: 'info', msg: `plan ${plan.h} applied, valid until ${plan.until}` });
    }
    return true;
  }

  private adoptBoost(now: number, state: ShadowState, effects: Effect[]): boolean {
    const raw = state.desired.boost;
    if (raw === undefined || raw === null) return true;
    const parsed = ShadowBoost.safeParse(raw);
    if (!parsed.success) {
      effects.push(warn(`ignored invalid boost: ${describe(parsed.error)}`));
      return false;
    }
    if (parsed.data.u > now) this.boost = parsed.data;
    return true;
  }

  // ---- output ------------------------------------------------------------------------------

  /** Integrates energy up to `now` segment by segment, then reports what changed. */
  private advance(now: number): Effect[] {
    const effects: Effect[] = [];
    for (const { watts, hours, lit } of this.segmentsUntil(now)) {
      this.nvm.energyWh += watts * hours;
      if (lit) this.nvm.burningHours += hours;
    }
    this.t = Math.max(this.t, now);
    this.settle(this.t, effects);
    return effects;
  }

  /**
   * The energy counter at `now`, Wh, without moving it: what a meter in front of this controller (its
   * cabinet's) counts at that instant, though the controller last integrated at its own last event.
   */
  energyAt(now: number): number {
    let wh = this.nvm.energyWh;
    for (const { watts, hours } of this.segmentsUntil(now)) wh += watts * hours;
    return wh;
  }

  /** The spans from the last integration to `now` over which power is constant or on one ramp. */
  private *segmentsUntil(now: number): Generator<{ watts: number; hours: number; lit: boolean }> {
    let t = this.t;
    while (t < now) {
      const end = Math.min(now, this.nextChange(t));
      const output = this.outputAt(t);
      // Within [t, end) the level is constant or on one ramp, and power is linear in a lit level.
      const watts =
        output.rampEnd > t
          ? (this.powerAt(drivenAt(output, t)) + this.powerAt(drivenAt(output, end))) / 2
          : this.powerAt(output.level);
      yield { watts, hours: (end - t) / 3600, lit: output.level > 0 && !this.lamp.failed };
      t = end;
    }
  }

  /**
   * Brings the output to what is in force at `now` and emits reports for changes: a level change
   * goes by telemetry; the classic shadow's `reported` is written only when what the cloud reads
   * from it changes (the plan applied, the faults, the firmware) and once after each (re)connect
   * (ADR 0020), not at every plan step or boost, which cost a message and a shadow operation each.
   */
  private settle(now: number, effects: Effect[]): void {
    const previous = this.output;
    this.output = this.outputAt(now);
    if (this.boost !== null && this.boost.u <= now) this.boost = null;
    if (this.handover !== null && this.held !== null && now >= this.held.plan.t0) this.handover = null;
    if (this.lamp.failed && this.output.level > 0) this.lampFaultSeen = true;
    const levelChanged = previous.level !== this.output.level;
    if (!this.online) return;
    if (levelChanged) this.reportSoon(now, effects);
    if (this.pendingSync.size > 0) return;
    const state = this.reportedState();
    const key = JSON.stringify([state.planHash, state.faults, state.fw]);
    if (key !== this.lastReport) {
      const firstAfterConnect = this.lastReport === null;
      this.lastReport = key;
      effects.push({ type: 'report', state });
      if (firstAfterConnect && !levelChanged) this.reportSoon(now, effects);
    }
  }

  /** A boost is compared with the level the plan commands (not a ramp's), so it starts at once. */
  private outputAt(t: number): Output {
    const base =
      this.plannedAt(t) ??
      steady(this.astro.isNight(t) ? (this.held?.plan.fb ?? this.config.fallbackLevel) : 0, 'fallback');
    const boosted =
      this.boost !== null && t < this.boost.u && this.boost.l > base.level
        ? steady(this.boost.l, 'boost')
        : base;
    const min = this.config.minLevel;
    return boosted.level > 0 && (boosted.level < min || boosted.rampFrom < min)
      ? { ...boosted, level: drive(boosted.level, min), rampFrom: drive(boosted.rampFrom, min) }
      : boosted;
  }

  /** The level (and ramp) the plan, or the plan it is taking over from, puts in force at `t`, if any. */
  private plannedAt(t: number): Output | null {
    if (this.held === null) return null;
    // Before the held plan's first step, the plan it takes over from still governs.
    const governing = this.handover !== null && t < this.held.plan.t0 ? this.handover : this.held;
    if (t >= governing.plan.until) return null;
    const step = governing.steps[firstAfter(governing.steps, t) - 1];
    if (step === undefined) return null;
    return t < step.rampEnd
      ? { level: step.level, reason: 'plan', rampFrom: step.from, rampStart: step.at, rampEnd: step.rampEnd }
      : steady(step.level, 'plan');
  }

  /** The first instant after `t` where the output may change. */
  private nextChange(t: number): number {
    let nextAt = this.astro.nextChange(t);
    for (const held of [this.held, this.handover]) {
      if (held === null) continue;
      if (held.plan.until > t) nextAt = Math.min(nextAt, held.plan.until);
      const upcoming = firstAfter(held.steps, t);
      const step = held.steps[upcoming];
      if (step !== undefined) nextAt = Math.min(nextAt, step.at);
      const current = held.steps[upcoming - 1];
      if (current !== undefined && current.rampEnd > t) nextAt = Math.min(nextAt, current.rampEnd);
    }
    if (this.boost !== null && this.boost.u > t) nextAt = Math.min(nextAt, this.boost.u);
    return nextAt;
  }

  /** Rated LED watts × level when lit (driver included), the standby draw otherwise (schedules/energy). */
  private powerAt(level: number): number {
    return level > 0 && !this.lamp.failed ? (this.config.ledWatts * level) / 100 : this.config.standbyW;
  }

  private reportedState(): ReportedState {
    return {
      level: this.output.level,
      reason: this.output.reason,
      planHash: this.planHash,
      powerW: round3(this.powerW),
      energyWh: round3(this.nvm.energyWh),
      burningHours: round3(this.nvm.burningHours),
      faults: this.faults,
      fw: this.config.fw,
    };
  }

  private get spread(): boolean {
    return this.config.reportSpreadSeconds > 0;
  }

  /**
   * This device's first report instant after `t`: its share of the spread window into each period
   * counted from the epoch, so the instant survives reconnects, reboots and level changes.
   */
  private slotAfter(t: number): number {
    const period = this.config.telemetryEverySeconds;
    const phase = Math.floor(this.spreadShare * Math.min(this.config.reportSpreadSeconds, period));
    return phase + (Math.floor((t - phase) / period) + 1) * period;
  }

  /** An event report: now without a spread; with one, the next slot's report (already due) carries it. */
  private reportSoon(now: number, effects: Effect[]): void {
    if (!this.spread) effects.push(this.telemetry(now));
  }

  /** A telemetry message; the next periodic one is due at the next slot, or a full period later. */
  private telemetry(now: number): Effect {
    this.nvm.seq += 1;
    this.nextTelemetryAt = this.spread ? this.slotAfter(now) : now + this.config.telemetryEverySeconds;
    const message: TelemetryMessage = {
      thing: this.config.thingName,
      ts: Math.floor(now),
      seq: this.nvm.seq,
      counterId: this.nvm.counterId,
      energyWh: round3(this.nvm.energyWh),
      burningHours: round3(this.nvm.burningHours),
      level: this.output.level,
      powerW: round3(this.powerW),
      planHash: this.planHash,
      faults: this.faults,
      daylight: !this.astro.isNight(now),
    };
    return { type: 'telemetry', message };
  }
}

const warn = (msg: string): Effect => ({ type: 'log', level: 'warn', msg });

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A stable share in [0, 1) from the thing name, so a device keeps its place across reboots: FNV-1a
 * then MurmurHash3's finalizer, as FNV-1a alone leaves its top bits (the share's minute of the
 * period) alike for names that differ in their last characters (136 luminaires of one street had
 * a third of them in one minute).
 */
function shareOf(thingName: string): number {
  let h = fnv1a(thingName);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}
