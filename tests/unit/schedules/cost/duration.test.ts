import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gbSecondsOf, modelledBilledMs } from '#schedules/cost/duration.ts';
import { type FunctionUsage, unusedFunction } from '#schedules/cost/usage.ts';
import { prices } from './fixtures.ts';

const timing = prices.lambdaTiming;
const fullCpu = timing.fullCpuMemoryMb.value;
const latency = (service: string) => timing.latencies[service]?.ms ?? Number.NaN;

const fn = (overrides: Partial<FunctionUsage>): FunctionUsage => ({
  ...unusedFunction('perEvent', 512),
  requests: 1,
  ...overrides,
});

describe('the modelled Lambda duration', () => {
  it('slows CPU time down below one vCPU’s memory, so CPU-bound GB-seconds do not depend on the memory there', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 128, max: fullCpu }),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        (memoryMb, cpuMs) => {
          const usage = fn({ memoryMb, cpuMs, requests: 0 });
          expect(modelledBilledMs(usage, timing)).toBeCloseTo((cpuMs * fullCpu) / memoryMb, 6);
          expect(gbSecondsOf(usage, timing, 'modelled')).toBeCloseTo(((cpuMs / 1000) * fullCpu) / 1024, 6);
        },
      ),
    );
    expect(modelledBilledMs(fn({ memoryMb: 4096, cpuMs: 100, requests: 0 }), timing)).toBe(100);
  });

  it('waits each round trip once, a round of services in flight together as long as its slowest', () => {
    const usage = fn({ requests: 2, awsRounds: { dynamodb: 3, 'dynamodb+iotdata': 2, sqs: 1 } });
    expect(modelledBilledMs(usage, timing)).toBeCloseTo(
      3 * latency('dynamodb') + 2 * Math.max(latency('dynamodb'), latency('iotdata')) + latency('sqs'),
      9,
    );
  });

  it('does not depend on the wall clock; the wall-clock basis is the measured GB-seconds', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (gbSeconds) => {
        const usage = fn({ gbSeconds, cpuMs: 40, awsRounds: { dynamodb: 2 } });
        expect(gbSecondsOf(usage, timing, 'modelled')).toBe(
          gbSecondsOf(fn({ cpuMs: 40, awsRounds: { dynamodb: 2 } }), timing, 'modelled'),
        );
        expect(gbSecondsOf(usage, timing, 'wallClock')).toBe(gbSeconds);
      }),
    );
  });

  it('refuses a round trip to a service the timing table has no latency for, naming it', () => {
    expect(() => modelledBilledMs(fn({ awsRounds: { kinesis: 1 } }), timing)).toThrow(/kinesis/);
  });

  it('takes every figure from a dated source, and says why when it is an estimate', () => {
    expect(timing.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const [service, entry] of Object.entries(timing.latencies)) {
      expect(entry.source, service).toMatch(/^https:\/\//);
      if (!entry.confirmed) expect(entry.note, service).toBeTruthy();
    }
  });
});
