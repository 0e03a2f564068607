import { describe, expect, it } from 'vitest';
import { makeHandler as makeChunkHandler } from '#functions/plan-push/chunk.handler.ts';
import { METRICS, type MetricName, type RecordMetric } from '#functions/shared/metrics.ts';
import { makeRejecter, rejectCounter } from '#functions/telemetry/rejects.ts';
import { synthesize } from './synth.ts';

/**
 * Metrics as a contract: every custom metric an alarm reads is in functions/shared/metrics.ts and
 * is emitted by the code of the function that the metric names. Emission is proved by running the
 * emitting code path with the metrics port captured: remove the call and its scenario emits nothing.
 */

interface Emission {
  readonly name: MetricName;
  readonly dimensions: Readonly<Record<string, unknown>>;
}

async function capture(run: (record: RecordMetric) => Promise<unknown>): Promise<Emission[]> {
  const emitted: Emission[] = [];
  await run((name, _value, dimensions) => void emitted.push({ name, dimensions }));
  return emitted;
}

/** For each metric, the code path that emits it (a Record: a new metric needs its scenario). */
const EMITTERS: Record<MetricName, () => Promise<Emission[]>> = {
  TelemetryRejected: () =>
    capture((record) =>
      makeRejecter({ rejects: { record: async () => {} }, countReject: rejectCounter(record) })(
        {},
        { thing: 'lum-1', receivedAt: 0, reason: 'invalid', detail: 'not a report' },
      ),
    ),
  ShadowRequests: () => capture(runChunk),
  PlansPushed: () => capture(runChunk),
};

function runChunk(record: RecordMetric) {
  const handler = makeChunkHandler({
    pusher: {
      pushShard: async ({ night }) => ({
        night,
        planned: 1,
        unchanged: 0,
        pushed: 1,
        requests: 2,
        failed: [],
      }),
    },
    metrics: record,
  });
  const chunk = { night: '2026-06-21', shard: 17, runId: 'contract' };
  return handler({ Records: [{ messageId: 'm-1', body: JSON.stringify(chunk) }] });
}

interface AlarmMetric {
  readonly MetricName: string;
  readonly Namespace: string;
  readonly Dimensions?: readonly { Name: string; Value: unknown }[];
}

const { stateless } = synthesize();

/** The metrics of every alarm, whether it reads one metric or a math expression over several. */
const alarmMetrics: AlarmMetric[] = Object.values(stateless.findResources('AWS::CloudWatch::Alarm')).flatMap(
  (resource) => {
    const props = (
      resource as { Properties: AlarmMetric & { Metrics?: { MetricStat?: { Metric: AlarmMetric } }[] } }
    ).Properties;
    if (props.Metrics === undefined) return [props];
    return props.Metrics.flatMap((m) => (m.MetricStat === undefined ? [] : [m.MetricStat.Metric]));
  },
);
/** Namespaces of AWS services (Lambda errors, SQS depth, IoT rule failures) are not ours to emit. */
const custom = [
  ...new Map(
    alarmMetrics
      .filter((m) => typeof m.Namespace === 'string' && !m.Namespace.startsWith('AWS/'))
      .map((m) => [m.MetricName, m]),
  ).values(),
];
const environmentOf = (service: string) =>
  Object.values(stateless.findResources('AWS::Lambda::Function'))
    .map((f) => (f as { Properties: { Environment?: { Variables: Record<string, unknown> } } }).Properties)
    .find((p) => p.Environment?.Variables.POWERTOOLS_SERVICE_NAME === service)?.Environment?.Variables;

describe('metrics contract', () => {
  it('finds the custom metrics the alarms read', () => {
    expect(new Set(custom.map((m) => m.MetricName))).toEqual(
      new Set(['TelemetryRejected', 'ShadowRequests', 'PlansPushed']),
    );
  });

  it.each(custom.map((m) => [m.MetricName, m]))(
    'an alarm reads %s: it is in the metrics module, in the namespace its function emits to, with its dimensions',
    (name, metric) => {
      expect(Object.keys(METRICS)).toContain(name);
      const { service, dimensions } = METRICS[name as MetricName];
      expect(environmentOf(service)?.POWERTOOLS_METRICS_NAMESPACE).toBe(metric.Namespace);
      const alarmDimensions = Object.fromEntries((metric.Dimensions ?? []).map((d) => [d.Name, d.Value]));
      expect(alarmDimensions.service).toBe(service);
      expect(Object.keys(alarmDimensions).sort()).toEqual(['service', ...Object.keys(dimensions)].sort());
    },
  );

  it.each(custom.map((m) => [m.MetricName, m]))(
    'an alarm reads %s: the code of its function emits it with the same dimensions',
    async (name, metric) => {
      const emitted = await EMITTERS[name as MetricName]();
      const ofName = emitted.filter((e) => e.name === name);
      expect(ofName.length, `${name} emitted`).toBeGreaterThan(0);
      const alarmDimensions = (metric.Dimensions ?? []).map((d) => d.Name).filter((d) => d !== 'service');
      for (const emission of ofName)
        expect(Object.keys(emission.dimensions).sort()).toEqual(alarmDimensions.sort());
    },
  );
});
