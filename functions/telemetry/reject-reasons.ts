/**
 * Why a telemetry report or a cabinet's meter reading never enters its ledger: the rejects store's
 * `reason` and the dimension of the `TelemetryRejected` metric (functions/shared/metrics.ts; the
 * alarm sums every reason).
 */
export const REJECT_REASONS = [
  'invalid',
  'unknown-luminaire',
  'unknown-cabinet',
  'future-timestamp',
  'stale-timestamp',
  'counter-decrease',
  'implausible-energy',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];
