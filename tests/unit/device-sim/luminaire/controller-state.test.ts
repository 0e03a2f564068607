import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ControllerState,
  type Effect,
  type NonVolatileMemory,
} from '#device-sim/luminaire/controller-state.ts';
import { encodeShadowPlan } from '#protocol/plan-codec.ts';
import type { ShadowPlan } from '#protocol/shadows.ts';
import { testControllerConfig } from '#tests/support/device-sim/luminaire/controller-config.ts';

const config = testControllerConfig;

const H = 3600;
/** 2026-06-21 12:00 UTC; at Carcassonne the sun sets at 19:34 UTC and rises at 04:11 UTC. */
const NOON = 1_782_043_200;
const SUNSET = NOON + 7 * H + 34 * 60;
const MIDNIGHT = NOON + 12 * H;
const NEXT_NOON = NOON + 24 * H;

/** One evening profile per night: 100 % at 20:00, 50 % at 22:00, off at 00:00, 60 % at 03:00, off 04:00. */
function nightlyPlan(nights: number, first = NOON): ShadowPlan {
  const steps = [];
  for (let n = 0; n < nights; n++) {
    const noon = first + n * 24 * H;
    steps.push(
      { at: noon + 8 * H, level: 100 },
      { at: noon + 10 * H, level: 50 },
      { at: noon + 12 * H, level: 0 },
      { at: noon + 15 * H, level: 60 },
      { at: noon + 16 * H, level: 0 },
    );
  }
  return encodeShadowPlan(steps, first + nights * 24 * H, 80);
}

const freshMeter = (): NonVolatileMemory => ({ counterId: 'c1', energyWh: 0, burningHours: 0, seq: 0 });

function online(now = NOON, meter = freshMeter()): ControllerState {
  const c = new ControllerState(config, meter, { failed: false }, now);
  c.connected(now);
  return c;
}

const getAccepted = (desired: Record<string, unknown>, version: number, reported = {}) => ({
  state: { desired, reported },
  version,
});

function withPlan(plan: ShadowPlan, now = NOON, version = 1): ControllerState {
  const c = online(now);
  c.shadowMessage(now, 'plan', 'get/accepted', getAccepted({ plan }, version));
  c.shadowMessage(now, 'boost', 'get/rejected', { code: 404, message: 'No shadow exists' });
  return c;
}

const ofType = <T extends Effect['type']>(effects: Effect[], type: T) =>
  effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);

describe('luminaire controller: plan following', () => {
  it('applies the level the plan puts in force at each instant', () => {
    const c = withPlan(nightlyPlan(1));
    const levels = [NOON + 9 * H, NOON + 11 * H, MIDNIGHT + 60, NOON + 15.5 * H].map((t) => {
      c.tick(t);
      return [c.level, c.reason];
    });
    expect(levels).toEqual([
      [100, 'plan'],
      [50, 'plan'],
      [0, 'plan'],
      [60, 'plan'],
    ]);
  });

  it('never goes below the driver minimum when lit', () => {
    const c = new ControllerState({ ...config, minLevel: 20 }, freshMeter(), { failed: false }, NOON);
    c.connected(NOON);
    const plan = encodeShadowPlan([{ at: NOON + H, level: 5 }], NOON + 2 * H);
    c.shadowMessage(NOON, 'plan', 'get/accepted', getAccepted({ plan }, 1));
    c.tick(NOON + 1.5 * H);
    expect(c.level).toBe(20);
  });

  it('wakes up exactly at the next planned change', () => {
    const c = withPlan(nightlyPlan(1));
    c.tick(NOON + 9 * H);
    expect(c.wakeAt()).toBe(NOON + 9.25 * H);
    c.tick(NOON + 9.25 * H);
    expect(c.wakeAt()).toBe(NOON + 9.5 * H);
  });

  it('acknowledges a plan by its hash in the classic shadow report only, once, never by writing the plan shadow', () => {
    const plan = nightlyPlan(2);
    const c = online();
    c.shadowMessage(NOON, 'boost', 'get/rejected', { code: 404 });
    const effects = c.shadowMessage(NOON, 'plan', 'get/accepted', getAccepted({ plan }, 3));
    expect(ofType(effects, 'report').map((e) => e.state.planHash)).toEqual([plan.h]);
    expect(effects.map((e) => e.type).sort()).toEqual(['log', 'report', 'telemetry']);
    const again = c.shadowMessage(NOON + 1, 'plan', 'update/delta', { state: { plan }, version: 4 });
    expect(ofType(again, 'report')).toEqual([]);
  });

  it('hands over to a plan that starts later at its first step, following the previous plan until then', () => {
    const c = withPlan(nightlyPlan(3));
    const nextNoon = NOON + 24 * H;
    const later = encodeShadowPlan(
      [
        { at: nextNoon + 8 * H, level: 90 },
        { at: nextNoon + 16 * H, level: 0 },
      ],
      nextNoon + 7 * 24 * H,
      80,
    );
    c.shadowMessage(nextNoon + 2 * H, 'plan', 'get/accepted', getAccepted({ plan: later }, 2));
    expect(c.planHash).toBe(later.h);
    c.tick(SUNSET + 24 * H + 60);
    expect([c.level, c.reason]).toEqual([0, 'plan']);
    c.tick(nextNoon + 8 * H);
    expect([c.level, c.reason]).toEqual([90, 'plan']);
    c.tick(nextNoon + 11 * H);
    expect(c.level).toBe(90);
  });

  it('follows a new plan announced as a delta of only the changed keys', () => {
    const c = withPlan(nightlyPlan(2));
    const next = nightlyPlan(3);
    const { fb: _same, ...changed } = next;
    c.shadowMessage(NOON + 60, 'plan', 'update/delta', { state: { plan: changed }, version: 2 });
    expect(c.planHash).toBe(next.h);
  });

  it('asks for the whole plan document, once, when a delta does not make a valid plan', () => {
    const rebooted = online();
    rebooted.shadowMessage(NOON, 'boost', 'get/rejected', { code: 404 });
    rebooted.shadowMessage(NOON, 'plan', 'get/rejected', { code: 404 });
    // The steps did not change since the plan this controller lost with its RAM.
    const { s: _unchanged, ...partial } = nightlyPlan(3);
    const delta = (version: number) => ({ state: { plan: partial }, version });

    const first = rebooted.shadowMessage(NOON + 60, 'plan', 'update/delta', delta(2));
    expect(ofType(first, 'getShadow')).toEqual([{ type: 'getShadow', shadow: 'plan' }]);
    expect(rebooted.unsynced).toEqual(['plan']);
    const second = rebooted.shadowMessage(NOON + 61, 'plan', 'update/delta', delta(3));
    expect(ofType(second, 'getShadow')).toEqual([]);

    rebooted.shadowMessage(NOON + 62, 'plan', 'get/accepted', getAccepted({ plan: nightlyPlan(3) }, 3));
    expect([rebooted.planHash, rebooted.unsynced]).toEqual([nightlyPlan(3).h, []]);
  });
});

describe('luminaire controller: what it reports in its classic shadow', () => {
  const reportsOf = (effects: Effect[]) => ofType(effects, 'report').map((e) => e.state);

  it('reports once after connecting, then not at plan steps: those go by telemetry', () => {
    const plan = nightlyPlan(2);
    const c = online();
    c.shadowMessage(NOON, 'boost', 'get/rejected', { code: 404 });
    expect(reportsOf(c.shadowMessage(NOON, 'plan', 'get/accepted', getAccepted({ plan }, 1)))).toHaveLength(
      1,
    );
    const night = [9, 10, 12, 15, 16, 20].flatMap((h) => c.tick(NOON + h * H));
    expect(reportsOf(night)).toEqual([]);
    expect(ofType(night, 'telemetry').map((e) => e.message.level)).toEqual(
      expect.arrayContaining([100, 50, 0, 60]),
    );
  });

  it('reports again on a new plan, a fault and after a reconnect, each once', () => {
    const c = withPlan(nightlyPlan(2));
    const next = nightlyPlan(3);
    expect(
      reportsOf(c.shadowMessage(NOON + H, 'plan', 'update/delta', { state: { plan: next }, version: 2 })),
    ).toMatchObject([{ planHash: next.h }]);
    c.tick(NOON + 9 * H);
    expect(reportsOf(c.setLampFailed(NOON + 9 * H, true))).toMatchObject([{ faults: ['lampFailure'] }]);
    expect(reportsOf(c.tick(NOON + 10 * H))).toEqual([]);
    c.disconnected(NOON + 11 * H);
    c.connected(NOON + 12 * H);
    c.shadowMessage(NOON + 12 * H, 'plan', 'get/accepted', getAccepted({ plan: next }, 2));
    expect(reportsOf(c.shadowMessage(NOON + 12 * H, 'boost', 'get/rejected', { code: 404 }))).toHaveLength(1);
  });

  it('never reports for boosts and plan steps alone, whatever their times', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ at: fc.integer({ min: 0, max: 24 * H }), hold: fc.integer({ min: 1, max: 600 }) }),
          {
            maxLength: 30,
          },
        ),
        (boosts) => {
          const c = withPlan(nightlyPlan(2));
          const effects = [...boosts]
            .sort((a, b) => a.at - b.at)
            .flatMap(({ at, hold }, version) => [
              ...c.tick(NOON + at),
              ...c.shadowMessage(NOON + at, 'boost', 'update/delta', {
                state: { boost: { l: 90, u: NOON + at + hold } },
                version: version + 1,
              }),
            ]);
          effects.push(...c.tick(NEXT_NOON));
          expect(reportsOf(effects)).toEqual([]);
        },
      ),
    );
  });
});

describe('luminaire controller: presence boost', () => {
  it('raises to the boost level and reverts by itself at its end, telling both by telemetry only', () => {
    const c = withPlan(nightlyPlan(1));
    const t = MIDNIGHT + 30 * 60;
    c.tick(t);
    expect(c.level).toBe(0);
    const start = c.shadowMessage(t, 'boost', 'update/delta', {
      state: { boost: { l: 70, u: t + 120 } },
      version: 1,
    });
    expect([c.level, c.reason]).toEqual([70, 'boost']);
    expect(c.wakeAt()).toBe(t + 120);
    const end = c.tick(t + 120);
    expect([c.level, c.reason]).toEqual([0, 'plan']);
    expect([...start, ...end].filter((e) => e.type !== 'telemetry')).toEqual([]);
    expect(ofType([...start, ...end], 'telemetry').map((e) => e.message.level)).toEqual([70, 0]);
  });

  it('never lowers the planned level', () => {
    const c = withPlan(nightlyPlan(1));
    const t = NOON + 9 * H;
    c.shadowMessage(t, 'boost', 'update/delta', { state: { boost: { l: 30, u: t + 120 } }, version: 1 });
    expect([c.level, c.reason]).toEqual([100, 'plan']);
  });

  it('ignores a boost that has already expired', () => {
    const c = withPlan(nightlyPlan(1));
    const t = MIDNIGHT + 60;
    c.shadowMessage(t, 'boost', 'update/delta', { state: { boost: { l: 90, u: t - 1 } }, version: 1 });
    expect(c.level).toBe(0);
  });
});

describe('luminaire controller: offline autonomy', () => {
  it('keeps executing its plan for every night it covers while disconnected', () => {
    const c = withPlan(nightlyPlan(7));
    c.disconnected(NOON + H);
    const sixthNight = NOON + 5 * 24 * H;
    c.tick(sixthNight + 11 * H);
    expect([c.level, c.reason]).toEqual([50, 'plan']);
    c.tick(sixthNight + 15.5 * H);
    expect([c.level, c.reason]).toEqual([60, 'plan']);
  });

  it('falls back to the plan fallback level between dusk and dawn once the plan has run out', () => {
    const c = withPlan(nightlyPlan(1));
    c.disconnected(NOON + H);
    c.tick(NEXT_NOON + 12 * H);
    expect([c.level, c.reason]).toEqual([80, 'fallback']);
    c.tick(NEXT_NOON + 23 * H);
    expect([c.level, c.reason]).toEqual([0, 'fallback']);
  });

  it('with no plan at all is lit at night by its own astro clock and dark by day', () => {
    const c = new ControllerState(config, freshMeter(), { failed: false }, NOON);
    expect(c.level).toBe(0);
    c.tick(SUNSET - 60);
    expect(c.level).toBe(0);
    c.tick(SUNSET + 60);
    expect([c.level, c.reason]).toEqual([100, 'fallback']);
    c.tick(MIDNIGHT);
    expect(c.level).toBe(100);
  });

  it('is lit at every instant of the night whatever plan messages it got, unless a valid plan says otherwise', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 * 3600 }),
        fc.constantFrom<'stale' | 'missing' | 'empty' | 'malformed'>(
          'stale',
          'missing',
          'empty',
          'malformed',
        ),
        (offset, kind) => {
          const c = online(MIDNIGHT - 3 * H);
          const payloads = {
            stale: getAccepted({ plan: nightlyPlan(1, NOON - 3 * 24 * H) }, 9),
            missing: null,
            empty: getAccepted({}, 9),
            malformed: getAccepted({ plan: { h: 'x', s: 'not an array' } }, 9),
          };
          const payload = payloads[kind];
          if (payload === null) c.shadowMessage(MIDNIGHT - 3 * H, 'plan', 'get/rejected', { code: 404 });
          else c.shadowMessage(MIDNIGHT - 3 * H, 'plan', 'get/accepted', payload);
          c.tick(MIDNIGHT - 3 * H + offset);
          expect(c.level).toBe(100);
        },
      ),
    );
  });
});

describe('luminaire controller: reconnect and reboot', () => {
  it('on reconnect asks for both shadows and keeps its plan when the plan shadow is missing', () => {
    const plan = nightlyPlan(2);
    const c = withPlan(plan);
    c.disconnected(NOON + H);
    const effects = c.connected(NOON + 11 * H);
    expect(ofType(effects, 'getShadow').map((e) => e.shadow)).toEqual(['plan', 'boost']);
    c.shadowMessage(NOON + 11 * H, 'plan', 'get/rejected', { code: 404, message: 'No shadow exists' });
    expect([c.level, c.planHash]).toEqual([50, plan.h]);
  });

  it('keeps waiting for a shadow whose GET was throttled, so that it asks again', () => {
    const c = withPlan(nightlyPlan(2));
    c.disconnected(NOON + H);
    c.connected(NOON + 2 * H);
    const effects = c.shadowMessage(NOON + 2 * H, 'plan', 'get/rejected', {
      code: 429,
      message: 'Rate exceeded',
    });
    expect(c.unsynced).toEqual(['plan', 'boost']);
    expect(ofType(effects, 'log')[0]?.msg).toMatch(/429/);
  });

  it('ignores a stale plan (until in the past) and keeps the current one', () => {
    const plan = nightlyPlan(2);
    const c = withPlan(plan);
    const stale = nightlyPlan(1, NOON - 5 * 24 * H);
    const effects = c.shadowMessage(NOON + 11 * H, 'plan', 'get/accepted', getAccepted({ plan: stale }, 5));
    expect(c.planHash).toBe(plan.h);
    expect(c.level).toBe(50);
    expect(ofType(effects, 'log').some((e) => e.level === 'warn' && /stale/.test(e.msg))).toBe(true);
  });

  it('does not report before it has fetched its shadows after a reconnect', () => {
    const c = withPlan(nightlyPlan(2));
    c.disconnected(NOON + H);
    const before = c.connected(NOON + 11 * H);
    expect(ofType(before, 'report')).toEqual([]);
    c.shadowMessage(NOON + 11 * H, 'plan', 'get/rejected', { code: 404 });
    expect(c.unsynced).toEqual(['boost']);
    const after = c.shadowMessage(NOON + 11 * H, 'boost', 'get/rejected', { code: 404 });
    expect(ofType(after, 'report')).toHaveLength(1);
  });

  it('after a reboot has no plan until the shadow is fetched, then follows it; the meter continues', () => {
    const meter = freshMeter();
    const plan = nightlyPlan(2);
    const first = online(NOON, meter);
    first.shadowMessage(NOON, 'plan', 'get/accepted', getAccepted({ plan }, 1));
    first.tick(NOON + 11 * H);
    const energyBefore = meter.energyWh;
    expect(energyBefore).toBeGreaterThan(0);

    const rebooted = new ControllerState(config, meter, { failed: false }, NOON + 11 * H);
    expect([rebooted.level, rebooted.reason, rebooted.planHash]).toEqual([100, 'fallback', null]);
    const effects = rebooted.connected(NOON + 11 * H);
    expect(ofType(effects, 'getShadow')).toHaveLength(2);
    rebooted.shadowMessage(NOON + 11 * H, 'plan', 'get/accepted', getAccepted({ plan }, 1));
    expect([rebooted.level, rebooted.reason]).toEqual([50, 'plan']);
    expect(rebooted.meter.energyWh).toBe(energyBefore);
    expect(rebooted.meter.counterId).toBe('c1');
  });
});

describe('luminaire controller: robustness', () => {
  it('ignores duplicated and older shadow versions', () => {
    const newer = nightlyPlan(3);
    const older = nightlyPlan(2);
    const c = withPlan(newer, NOON, 7);
    c.shadowMessage(NOON + 1, 'plan', 'get/accepted', getAccepted({ plan: older }, 6));
    c.shadowMessage(NOON + 2, 'plan', 'get/accepted', getAccepted({ plan: older }, 7));
    expect(c.planHash).toBe(newer.h);
    c.shadowMessage(NOON + 3, 'plan', 'get/accepted', getAccepted({ plan: older }, 8));
    expect(c.planHash).toBe(older.h);
  });

  it('logs and ignores malformed payloads without changing state', () => {
    const plan = nightlyPlan(2);
    const c = withPlan(plan);
    for (const payload of [null, 'garbage', { state: 1 }, { state: {}, version: -1 }]) {
      const effects = c.shadowMessage(NOON + 60, 'plan', 'get/accepted', payload);
      expect(ofType(effects, 'log').map((e) => e.level)).toContain('warn');
    }
    const badBoost = { state: { boost: { l: 400, u: NOON + 999 } }, version: 2 };
    const effects = c.shadowMessage(NOON + 60, 'boost', 'update/delta', badBoost);
    expect(ofType(effects, 'log')[0]?.msg).toMatch(/boost.*l/);
    expect(c.planHash).toBe(plan.h);
    expect(c.reason).toBe('fallback');
  });
});

describe('luminaire controller: energy and telemetry', () => {
  it('integrates LED watts times level while lit and standby watts while off', () => {
    const plan = encodeShadowPlan(
      [
        { at: NOON + H, level: 100 },
        { at: NOON + 2 * H, level: 50 },
        { at: NOON + 4 * H, level: 0 },
      ],
      NOON + 6 * H,
    );
    const c = withPlan(plan);
    c.tick(NOON + 6 * H);
    expect(c.meter.energyWh).toBeCloseTo(100 + 100 + 0.5 * 3, 9);
    expect(c.meter.burningHours).toBeCloseTo(3, 9);
  });

  it('gives the same energy however often it is woken up', () => {
    const plan = nightlyPlan(2);
    const end = NOON + 48 * H;
    const reference = withPlan(plan);
    reference.tick(end);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: NOON, max: end }), { maxLength: 30 }), (wakeups) => {
        const c = withPlan(plan);
        for (const t of [...wakeups].sort((a, b) => a - b)) c.tick(t);
        c.tick(end);
        expect(c.meter.energyWh).toBeCloseTo(reference.meter.energyWh, 6);
      }),
    );
  });

  it('publishes telemetry every 15 minutes and on level changes, with increasing seq', () => {
    const c = withPlan(nightlyPlan(1));
    const messages = [];
    for (let t = NOON + 8 * H; t <= NOON + 10 * H; t += 300) {
      messages.push(...ofType(c.tick(t), 'telemetry').map((e) => e.message));
    }
    const levelChange = messages.filter((m) => m.ts === NOON + 10 * H);
    expect(levelChange.map((m) => m.level)).toEqual([50]);
    expect(messages.length).toBe(8 + 1);
    const seqs = messages.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  /** A day of telemetry from a device of the whole-period spread, woken as its agent wakes it. */
  function spreadDay(thingName: string) {
    const c = new ControllerState(
      { ...config, thingName, reportSpreadSeconds: 900 },
      freshMeter(),
      { failed: false },
      NOON,
    );
    c.connected(NOON);
    c.shadowMessage(NOON, 'plan', 'get/accepted', getAccepted({ plan: nightlyPlan(1) }, 1));
    c.shadowMessage(NOON, 'boost', 'get/rejected', { code: 404, message: 'No shadow exists' });
    const messages = [];
    for (let t = c.wakeAt(); t < NEXT_NOON; t = c.wakeAt()) {
      messages.push(...ofType(c.tick(t), 'telemetry').map((e) => e.message));
    }
    return { c, messages };
  }

  it('with the spread over the period reports once a period at its own instant, which level changes do not move', () => {
    const phases = ['L-0001', 'L-0002', 'L-0003', 'L-0004'].map((thingName) => {
      const { messages } = spreadDay(thingName);
      const gaps = messages.slice(1).map((m, i) => m.ts - (messages[i]?.ts ?? 0));
      expect(new Set(gaps)).toEqual(new Set([900]));
      expect(messages.length).toBe(96);
      return (messages[0]?.ts ?? Number.NaN) % 900;
    });
    expect(new Set(phases).size).toBe(phases.length);
  });

  it('with the spread carries a level change in its next report, the energy exact', () => {
    const { c, messages } = spreadDay('L-0002');
    const dimmed = messages.find((m) => m.ts >= NOON + 10 * H);
    expect(dimmed?.ts).toBeLessThan(NOON + 10 * H + 900);
    expect(dimmed?.level).toBe(50);
    const last = messages[messages.length - 1];
    c.tick(last?.ts ?? 0);
    expect(last?.energyWh).toBeCloseTo(c.meter.energyWh, 3);
  });

  it('with the spread reports within one period of a reconnect, at its own instant', () => {
    const { c, messages } = spreadDay('L-0003');
    const phase = (messages[0]?.ts ?? 0) % 900;
    c.disconnected(NEXT_NOON);
    c.connected(NEXT_NOON + 4000);
    const next = c.wakeAt();
    expect(next - (NEXT_NOON + 4000)).toBeLessThanOrEqual(900);
    expect(ofType(c.tick(next), 'telemetry')[0]?.message.ts).toBe(next);
    expect(next % 900).toBe(phase);
  });

  it("spreads a fleet's reports evenly over the period: no minute holds far more than its share", () => {
    const perMinute = new Array<number>(15).fill(0);
    const devices = 3000;
    for (let i = 0; i < devices; i++) {
      const c = new ControllerState(
        { ...config, thingName: `L-${String(i + 1).padStart(4, '0')}`, reportSpreadSeconds: 900 },
        freshMeter(),
        { failed: false },
        NOON,
      );
      c.connected(NOON);
      const minute = Math.floor((c.wakeAt() % 900) / 60);
      perMinute[minute] = (perMinute[minute] ?? 0) + 1;
    }
    // 200 a minute on average, a standard deviation of about 14: 1.3 × is four of them. Names alike
    // but for their last digits, as an inventory numbers them (FNV-1a alone put 280 in a minute).
    expect(Math.max(...perMinute) / (devices / 15)).toBeLessThan(1.3);
  });

  it('with a failed lamp draws only standby power, reports lampFailure and stops burning hours', () => {
    const c = withPlan(nightlyPlan(1));
    c.tick(NOON + 9 * H);
    const hours = c.meter.burningHours;
    const effects = c.setLampFailed(NOON + 9 * H, true);
    expect(ofType(effects, 'report')[0]?.state).toMatchObject({
      level: 100,
      powerW: 0.5,
      faults: ['lampFailure'],
    });
    c.tick(NOON + 10 * H);
    expect(c.meter.burningHours).toBe(hours);
    c.setLampFailed(NOON + 10 * H, false);
    expect(c.faults).toEqual([]);
  });

  it('starts a new counter from zero when the driver is replaced', () => {
    const c = withPlan(nightlyPlan(1));
    c.tick(NOON + 9 * H);
    c.replaceDriver(NOON + 9 * H, 'c2');
    const [telemetry] = ofType(c.tick(NOON + 9.5 * H), 'telemetry');
    expect(telemetry?.message).toMatchObject({ counterId: 'c2', energyWh: 50 });
  });
});

describe('luminaire controller: fades', () => {
  const FADE = 600;
  /** 100 % at 13:00 UTC, 50 % at 14:00, 80 % at 15:00 (each ramping over 10 min), off at 16:00. */
  const fading = () =>
    encodeShadowPlan(
      [
        { at: NOON + H, level: 100 },
        { at: NOON + 2 * H, level: 50 },
        { at: NOON + 3 * H, level: 80 },
        { at: NOON + 4 * H, level: 0 },
      ],
      NOON + 6 * H,
      100,
      [{ at: NOON + H, seconds: FADE }],
    );

  it('ramps linearly between two lit levels over the fade, reporting the level it ramps to', () => {
    const c = withPlan(fading());
    const at = (t: number) => {
      c.tick(t);
      return [c.level, c.powerW];
    };
    expect(at(NOON + 2 * H - 1)).toEqual([100, 100]);
    expect(at(NOON + 2 * H)).toEqual([50, 100]);
    expect(at(NOON + 2 * H + 150)).toEqual([50, 87.5]);
    expect(at(NOON + 2 * H + 300)).toEqual([50, 75]);
    expect(at(NOON + 2 * H + FADE)).toEqual([50, 50]);
    expect(at(NOON + 3 * H + 150)).toEqual([80, 57.5]);
    expect(at(NOON + 3 * H + 450)).toEqual([80, 72.5]);
  });

  it('switches on and off at once: a fade only joins two lit levels', () => {
    const c = withPlan(fading());
    c.tick(NOON + H);
    expect(c.powerW).toBe(100);
    c.tick(NOON + 4 * H);
    expect([c.level, c.powerW]).toEqual([0, 0.5]);
  });

  it('wakes up at the end of a ramp', () => {
    const c = withPlan(fading());
    c.tick(NOON + 2 * H);
    expect(c.wakeAt()).toBe(NOON + 2 * H + FADE);
  });

  it('meters the exact integral of the ramped power, however often it is woken up', () => {
    // Day before 13:00 (standby), 1 h at 100 W, the ramps' trapezoids, 2 h of standby after 16:00.
    const rampDown = (FADE * (100 + 50)) / 2 + (H - FADE) * 50;
    const rampUp = (FADE * (50 + 80)) / 2 + (H - FADE) * 80;
    const expected = 0.5 + 100 + (rampDown + rampUp) / H + 0.5 * 2;
    const end = NOON + 6 * H;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: NOON, max: end }), { maxLength: 30 }), (wakeups) => {
        const c = withPlan(fading());
        for (const t of [...wakeups].sort((a, b) => a - b)) c.tick(t);
        c.tick(end);
        expect(c.meter.energyWh).toBeCloseTo(expected, 9);
        expect(c.meter.burningHours).toBeCloseTo(3, 9);
      }),
    );
  });

  it('ends a ramp at the next change when that comes before the fade is over', () => {
    const plan = encodeShadowPlan(
      [
        { at: NOON + H, level: 100 },
        { at: NOON + H + 60, level: 40 },
        { at: NOON + H + 120, level: 70 },
        { at: NOON + 2 * H, level: 0 },
      ],
      NOON + 3 * H,
      100,
      [{ at: NOON, seconds: FADE }],
    );
    const c = withPlan(plan);
    c.tick(NOON + H + 90);
    expect(c.powerW).toBe(70);
    c.tick(NOON + H + 120);
    expect(c.powerW).toBe(40);
  });
});
