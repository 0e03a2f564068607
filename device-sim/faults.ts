import type { TelemetryMessage } from '#protocol/messages/telemetry.ts';
import type { Cancel, Clock } from './clock.ts';
import type { LuminaireAgent, TelemetryTap } from './luminaire/agent.ts';
import type { Random } from './random.ts';

/**
 * Faults a real installation sees, injected into running agents: lamp failure, network loss,
 * power cycles, driver replacement, and a misbehaving uplink that duplicates or reorders telemetry.
 */

/** The lamp dies: the controller still commands a level but the luminaire draws standby power only. */
export const failLamp = (agent: LuminaireAgent): void => agent.setLampFailed(true);
export const repairLamp = (agent: LuminaireAgent): void => agent.setLampFailed(false);

/** The connection drops for `simSeconds` of simulated time, then comes back. */
export async function disconnectFor(agent: LuminaireAgent, clock: Clock, simSeconds: number): Promise<void> {
  await agent.goOffline();
  clock.at(clock.now() + simSeconds, () => agent.goOnline());
}

/** Power cycle: the plan in RAM is gone until the shadow is fetched again; the meter survives. */
export const reboot = (agent: LuminaireAgent): Promise<void> => agent.reboot();

/** Driver replaced: new counter id, counter from zero. */
export const replaceDriver = (agent: LuminaireAgent): void => agent.replaceDriver();

/** Publishes each of the next `count` telemetry messages twice (a QoS 1 redelivery). */
export function duplicateTelemetry(agent: LuminaireAgent, count = 1): void {
  let left = count;
  withTap(
    agent,
    (message) => (left-- > 0 ? [message, message] : [message]),
    () => left <= 0,
  );
}

/** Holds the next telemetry message back and publishes it after the one that follows. */
export function reorderTelemetry(agent: LuminaireAgent): void {
  let held: TelemetryMessage | null = null;
  let done = false;
  withTap(
    agent,
    (message) => {
      if (done) return [message];
      if (held === null) {
        held = message;
        return [];
      }
      done = true;
      return [message, held];
    },
    () => done,
  );
}

/** Installs a tap in front of the agent's current one; it removes itself once `finished`. */
function withTap(agent: LuminaireAgent, tap: TelemetryTap, finished: () => boolean): void {
  const previous = agent.telemetryTap;
  const installed: TelemetryTap = (message) => {
    const out = tap(message);
    if (finished() && agent.telemetryTap === installed) agent.telemetryTap = previous;
    return previous === null ? out : out.flatMap(previous);
  };
  agent.telemetryTap = installed;
}

/** Expected number of each fault per luminaire per simulated day. */
export interface FaultRates {
  readonly lampFailure?: number;
  readonly disconnect?: number;
  readonly reboot?: number;
  readonly driverReplacement?: number;
  readonly duplicateTelemetry?: number;
  readonly reorderTelemetry?: number;
}

export interface RandomFaultsOptions {
  readonly agents: readonly LuminaireAgent[];
  readonly clock: Clock;
  readonly random: Random;
  readonly rates: FaultRates;
  /** How long a random disconnection lasts, simulated seconds. */
  readonly outageSeconds?: number;
  /** Called for each injected fault (for the fleet's counters and logs). */
  readonly onFault?: (fault: keyof FaultRates, agent: LuminaireAgent) => void;
}

/** Injects faults at random over the fleet, checking every simulated 15 minutes. Returns a stop function. */
export function injectRandomFaults(options: RandomFaultsOptions): Cancel {
  const period = 900;
  const { agents, clock, random, rates } = options;
  const actions: Record<keyof FaultRates, (agent: LuminaireAgent) => unknown> = {
    lampFailure: failLamp,
    disconnect: (agent) => disconnectFor(agent, clock, options.outageSeconds ?? 3600),
    reboot,
    driverReplacement: replaceDriver,
    duplicateTelemetry: (agent) => duplicateTelemetry(agent),
    reorderTelemetry,
  };
  return clock.every(period, () => {
    for (const [fault, perDay] of Object.entries(rates) as [keyof FaultRates, number][]) {
      const expected = (perDay * agents.length * period) / 86_400;
      for (let n = poissonCount(random, expected); n > 0; n--) {
        const agent = agents[Math.floor(random() * agents.length)];
        if (agent === undefined) continue;
        options.onFault?.(fault, agent);
        void actions[fault](agent);
      }
    }
  });
}

/** A Poisson-distributed count with mean `mean` (Knuth; means here are small). */
function poissonCount(random: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  for (let p = random(); p > limit; p *= random()) count++;
  return count;
}
