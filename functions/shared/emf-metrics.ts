import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS, type RecordMetric } from './metrics.ts';

/**
 * The metrics port in Lambda: one EMF line per value, written at once (a handler that throws after
 * counting still has its count published). The namespace comes from POWERTOOLS_METRICS_NAMESPACE
 * (set by the stack); outside Lambda the lines go to stdout under a local namespace.
 */
export function emfMetrics(): RecordMetric {
  const byService = new Map<string, Metrics>();
  const emitterOf = (service: string): Metrics => {
    let metrics = byService.get(service);
    if (metrics === undefined) {
      metrics = new Metrics({
        serviceName: service,
        namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Lighting/local',
      });
      byService.set(service, metrics);
    }
    return metrics;
  };
  return (name, value, dimensions) => {
    const { unit, service } = METRICS[name];
    const single = emitterOf(service).singleMetric();
    for (const [dimension, dimensionValue] of Object.entries(dimensions)) {
      single.addDimension(dimension, dimensionValue as string);
    }
    single.addMetric(name, MetricUnit[unit], value);
  };
}
