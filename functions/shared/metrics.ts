import { REJECT_REASONS } from '../telemetry/reject-reasons.ts';

/**
 * Every custom metric the functions emit (EMF, namespace POWERTOOLS_METRICS_NAMESPACE) and the
 * alarms read: its unit, the function that emits it (its Powertools service name, which is also the
 * `service` dimension) and its other dimensions with every value they take. The alarms
 * (infra/constructs/monitoring.ts) build their metrics from here, and
 * tests/infra/metrics-contract.test.ts checks that each metric an alarm reads is emitted.
 */
export const METRICS = {
  /** One per telemetry report kept out of the ledger, by reason. */
  TelemetryRejected: { unit: 'Count', service: 'telemetry', dimensions: { reason: REJECT_REASONS } },
  /** Shadow update requests of a plan-push chunk, retries included (throttling, version conflicts). */
  ShadowRequests: { unit: 'Count', service: 'plan-push-chunk', dimensions: {} },
  /** Plans a plan-push chunk wrote: requests beyond these are retries. */
  PlansPushed: { unit: 'Count', service: 'plan-push-chunk', dimensions: {} },
} as const;

export type MetricName = keyof typeof METRICS;

/** The dimensions of a metric, each with one of its values (`service` is added by the emitter). */
export type DimensionsOf<N extends MetricName> = {
  readonly [D in keyof (typeof METRICS)[N]['dimensions']]: (typeof METRICS)[N]['dimensions'][D] extends readonly (infer V)[]
    ? V
    : never;
};

/** The metrics port: EMF in Lambda (functions/shared/emf-metrics.ts), a list in tests. */
export type RecordMetric = <N extends MetricName>(
  name: N,
  value: number,
  dimensions: DimensionsOf<N>,
) => void;
