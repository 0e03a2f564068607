import { describe, expect, it } from 'vitest';
import { ManualClock } from '#device-sim/clock.ts';
import {
  duplicateTelemetry,
  failLamp,
  injectRandomFaults,
  reorderTelemetry,
  repairLamp,
} from '#device-sim/faults.ts';
import { LuminaireAgent } from '#device-sim/luminaire/agent.ts';
import { seededRandom } from '#device-sim/random.ts';
import type { TelemetryMessage } from '#protocol/messages/telemetry.ts';
import { Luminaire } from '#schedules/inventory/schema.ts';

/** 2026-06-21 22:00 UTC: night at Carcassonne. */
const NIGHT = 1_782_079_200;

/** An agent that is never started: faults act on its controller and telemetry tap only. */
const agent = (clock = new ManualClock(NIGHT), id = 'L-1') =>
  new LuminaireAgent({
    luminaire: Luminaire.parse({
      id,
      lat: 43.21,
      lon: 2.35,
      street: 'Rue Longue',
      zone: 'bastide',
      ledWatts: 40,
      baselineWatts: 150,
    }),
    mqttUrl: 'mqtt://127.0.0.1:1',
    clock,
    log: () => {},
  });

const message = (seq: number): TelemetryMessage => ({
  thing: 'L-1',
  ts: NIGHT + seq,
  seq,
  counterId: 'c',
  energyWh: seq,
  burningHours: 0,
  level: 100,
  powerW: 40,
  planHash: null,
  faults: [],
});

/** What the agent would publish for each message in turn. */
const through = (a: LuminaireAgent, seqs: number[]) =>
  seqs
    .flatMap((seq) => (a.telemetryTap === null ? [message(seq)] : a.telemetryTap(message(seq))))
    .map((m) => m.seq);

describe('fault injection', () => {
  it('duplicates the next telemetry messages, then publishes normally again', () => {
    const a = agent();
    duplicateTelemetry(a, 2);
    expect(through(a, [1, 2, 3])).toEqual([1, 1, 2, 2, 3]);
    expect(a.telemetryTap).toBeNull();
  });

  it('swaps the next two telemetry messages, then publishes normally again', () => {
    const a = agent();
    reorderTelemetry(a);
    expect(through(a, [1, 2, 3])).toEqual([2, 1, 3]);
    expect(a.telemetryTap).toBeNull();
  });

  it('combines faults: a reordered pair of which each is duplicated', () => {
    const a = agent();
    duplicateTelemetry(a, 2);
    reorderTelemetry(a);
    expect(through(a, [1, 2, 3])).toEqual([2, 2, 1, 1, 3]);
  });

  it('a failed lamp draws standby power only while commanded on, until repaired', () => {
    const a = agent();
    expect(a.snapshot()).toMatchObject({ level: 100, powerW: 40 });
    failLamp(a);
    expect(a.snapshot()).toMatchObject({ level: 100, powerW: 0.5, faults: ['lampFailure'] });
    repairLamp(a);
    expect(a.snapshot()).toMatchObject({ powerW: 40, faults: [] });
  });

  it('injects random faults at the requested rate per luminaire and day', () => {
    const clock = new ManualClock(NIGHT);
    const agents = Array.from({ length: 200 }, (_, i) => agent(clock, `L-${i}`));
    const injected: string[] = [];
    const stop = injectRandomFaults({
      agents,
      clock,
      random: seededRandom(3),
      rates: { lampFailure: 0.05, duplicateTelemetry: 0.5 },
      onFault: (fault) => injected.push(fault),
    });
    clock.advance(10 * 86_400);
    stop();
    const count = (fault: string) => injected.filter((f) => f === fault).length;
    // Expected 100 and 1000; Poisson spread is about the square root.
    expect(count('lampFailure')).toBeGreaterThan(60);
    expect(count('lampFailure')).toBeLessThan(140);
    expect(count('duplicateTelemetry')).toBeGreaterThan(880);
    expect(count('duplicateTelemetry')).toBeLessThan(1120);
    expect(agents.filter((a) => a.lamp.failed).length).toBeGreaterThan(50);
  });
});
