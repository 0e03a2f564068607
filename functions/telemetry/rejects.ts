import { logger } from '../shared/logger.ts';
import type { RecordMetric } from '../shared/metrics.ts';
import { MAX_REJECTED_MESSAGE_CHARS, type RejectStore } from '../store/index.ts';
import type { RejectReason } from './reject-reasons.ts';

/** Counts one reject (through the metrics port in Lambda, a list in tests). */
export type CountReject = (reason: RejectReason) => void;

export interface RejectDeps {
  readonly rejects: Pick<RejectStore, 'record'>;
  readonly countReject: CountReject;
}

export interface Rejected {
  readonly status: 'rejected';
  readonly reason: RejectReason;
  readonly thing: string;
  readonly detail: string;
  readonly id?: string;
}

export interface RejectInput {
  readonly thing: string;
  readonly receivedAt: number;
  readonly reason: RejectReason;
  readonly detail: string;
  readonly luminaireId?: string;
}

/** Records a report kept out of the ledger (rejects store, metric, log) and says so. */
export function makeRejecter({ rejects, countReject }: RejectDeps) {
  return async (event: unknown, input: RejectInput): Promise<Rejected> => {
    await rejects.record({ ...input, message: asText(event).slice(0, MAX_REJECTED_MESSAGE_CHARS) });
    countReject(input.reason);
    logger.warn('telemetry rejected', { ...input });
    return {
      status: 'rejected',
      reason: input.reason,
      thing: input.thing,
      detail: input.detail,
      ...(input.luminaireId === undefined ? {} : { id: input.luminaireId }),
    };
  };
}

const asText = (event: unknown): string => JSON.stringify(event) ?? String(event);

/** Counts rejects as the `TelemetryRejected` metric, by reason. */
export function rejectCounter(record: RecordMetric): CountReject {
  return (reason) => record('TelemetryRejected', 1, { reason });
}
