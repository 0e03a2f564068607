import { afterEach, describe, expect, it, vi } from 'vitest';
import { emfMetrics } from '#functions/shared/emf-metrics.ts';
import { METRICS } from '#functions/shared/metrics.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

function emittedLines(emit: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  emit();
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('EMF metrics port', () => {
  it('writes one EMF line per value with the emitting service and the metric dimensions the alarms read', () => {
    const emitted = emittedLines(() => {
      const record = emfMetrics();
      record('TelemetryRejected', 1, { reason: 'future-timestamp' });
      record('TelemetryRejected', 1, { reason: 'invalid' });
    });
    expect(emitted).toHaveLength(2);
    expect(emitted[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Dimensions: [['service', 'reason']],
            Metrics: [{ Name: 'TelemetryRejected', Unit: 'Count' }],
          },
        ],
      },
      service: METRICS.TelemetryRejected.service,
      reason: 'future-timestamp',
      TelemetryRejected: 1,
    });
    expect(emitted[1]).toMatchObject({ reason: 'invalid', TelemetryRejected: 1 });
  });

  it('gives a metric without dimensions of its own only the service dimension', () => {
    const [line] = emittedLines(() => emfMetrics()('ShadowRequests', 12, {}));
    expect(line).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Dimensions: [['service']], Metrics: [{ Name: 'ShadowRequests' }] }] },
      service: 'plan-push-chunk',
      ShadowRequests: 12,
    });
  });
});
