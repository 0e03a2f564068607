import { describe, expect, it } from 'vitest';
import { runPhases } from '#cli/run-phases.ts';

describe('run phases', () => {
  it('times each phase in real and CPU seconds, then the whole run', () => {
    let real = 0;
    let cpu = 0;
    const phases = runPhases(
      'startup',
      () => real,
      () => cpu,
    );
    real += 20_000;
    cpu += 15_000;
    phases.enter('plan push');
    expect(phases.current).toBe('plan push');
    real += 35_000;
    cpu += 30_500;
    expect(phases.summary()).toBe(
      'startup 20.0 s (CPU 15.0 s), plan push 35.0 s (CPU 30.5 s), total 55.0 s (CPU 45.5 s)',
    );
  });
});
