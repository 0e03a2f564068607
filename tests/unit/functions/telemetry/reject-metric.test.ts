import { afterEach, describe, expect, it, vi } from 'vitest';
import { REJECT_REASONS, TELEMETRY_REJECTED_METRIC } from '../../../../functions/telemetry/reject-reasons.ts';
import { emfRejectCounter } from '../../../../functions/telemetry/rejects.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('TelemetryRejected metric', () => {
  it('writes one EMF count per reject with the service and reason dimensions the alarm sums', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const count = emfRejectCounter();
    count('future-timestamp');
    count('invalid');

    const emitted = lines.map((line) => JSON.parse(line));
    expect(emitted).toHaveLength(2);
    expect(emitted[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Dimensions: [['service', TELEMETRY_REJECTED_METRIC.dimension]],
            Metrics: [{ Name: TELEMETRY_REJECTED_METRIC.name, Unit: 'Count' }],
          },
        ],
      },
      service: TELEMETRY_REJECTED_METRIC.service,
      reason: 'future-timestamp',
      TelemetryRejected: 1,
    });
    expect(emitted[1]).toMatchObject({ reason: 'invalid', TelemetryRejected: 1 });
    expect(REJECT_REASONS).toContain(emitted[1].reason);
  });
});
