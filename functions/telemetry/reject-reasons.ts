/**
 * Why a telemetry report never enters the ledger: the rejects store's `reason` and the dimension of
 * the `TelemetryRejected` metric (functions/shared/metrics.ts; the alarm sums every reason).
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
