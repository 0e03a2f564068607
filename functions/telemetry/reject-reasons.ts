/**
 * Why a telemetry report never enters the ledger: the rejects store's `reason` and the dimension of
 * the `TelemetryRejected` metric (the alarm in infra/constructs/monitoring.ts sums every reason).
 */
export const REJECT_REASONS = [
  'invalid',
  'unknown-luminaire',
  'future-timestamp',
  'stale-timestamp',
  'counter-decrease',
  'implausible-energy',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** The EMF metric: one count per reject, dimensions `service` (Powertools adds it) and `reason`. */
export const TELEMETRY_REJECTED_METRIC = {
  name: 'TelemetryRejected',
  service: 'telemetry',
  dimension: 'reason',
} as const;
