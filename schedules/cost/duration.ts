import { z } from 'zod';
import type { FunctionUsage } from './usage.ts';

/**
 * What a Lambda invocation would bill, modelled from what does not depend on the bench machine's
 * load (docs/cost.md): the function's own CPU time, slowed down as Lambda slows down a function
 * with less memory than one vCPU's worth, plus a dated, sourced latency for each round trip to AWS
 * it waited for. Data beside the prices (`lambdaTiming` in schedules/cost/prices-eu-west-3.json).
 */
const Sourced = {
  source: z.url({ protocol: /^https$/ }),
  /** Whether the figure is the source's; false: an estimate the note explains. */
  confirmed: z.boolean(),
  note: z.string().max(300).optional(),
};

export const LambdaTiming = z.strictObject({
  asOf: z.iso.date(),
  /** Memory at which a function gets one vCPU-second of CPU per second; proportionally less below. */
  fullCpuMemoryMb: z.strictObject({ value: z.number().int().min(128).max(10_240), ...Sourced }),
  /** One round trip from a Lambda function to the service, in the same region. */
  latencies: z.record(
    z.string().regex(/^[a-z]+$/),
    z.strictObject({ ms: z.number().positive().max(1_000), ...Sourced }),
  ),
});
export type LambdaTiming = z.output<typeof LambdaTiming>;

/**
 * The milliseconds `fn`'s measured invocations would bill on Lambda, all together. Lambda rounds
 * each invocation up to the millisecond: left out (under 1 ms an invocation; a scheduled run's
 * rounding would not grow with the fleet the way its work does).
 */
export function modelledBilledMs(fn: FunctionUsage, timing: LambdaTiming): number {
  const slowdown = Math.max(1, timing.fullCpuMemoryMb.value / fn.memoryMb);
  const waited = Object.entries(fn.awsRounds).reduce((sum, [services, rounds]) => {
    const longest = Math.max(
      ...services.split('+').map((service) => {
        const latency = timing.latencies[service];
        if (latency === undefined) throw new RangeError(`no latency for ${service} in the timing table`);
        return latency.ms;
      }),
    );
    return sum + rounds * longest;
  }, 0);
  return fn.cpuMs * slowdown + waited;
}

/** GB-seconds of `fn`'s measured invocations: modelled, or as the wall clock measured them (an upper bound). */
export function gbSecondsOf(fn: FunctionUsage, timing: LambdaTiming, basis: LambdaBasis): number {
  if (basis === 'wallClock') return fn.gbSeconds;
  return (modelledBilledMs(fn, timing) / 1000) * (fn.memoryMb / 1024);
}

export type LambdaBasis = 'modelled' | 'wallClock';
