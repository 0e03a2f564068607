import type { KinesisStreamBatchResponse } from 'aws-lambda';
import type { Cabinet } from '#schedules/index.ts';
import { emfMetrics } from '../shared/emf-metrics.ts';
import { parseInput } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { cachedValue } from '../shared/ttl-cache.ts';
import { lazyHandler, type Platform, productionPlatform } from '../shared/wiring.ts';
import { decode, KinesisEvent } from '../telemetry/ledger.handler.ts';
import { rejectCounter } from '../telemetry/rejects.ts';
import { type CabinetLedgerDeps, makeCabinetLedger } from './cabinet-ledger.ts';

/** Cabinets change on re-import only; the site's time zone with the configuration. */
const CABINETS_TTL_SECONDS = 600;
const CONFIG_TTL_SECONDS = 60;

/** Runs the cabinet ledger over a batch of one shard; the first record to deliver again, if any. */
export function makeHandler(deps: CabinetLedgerDeps) {
  const ingestBatch = makeCabinetLedger(deps);
  return async (event: unknown): Promise<KinesisStreamBatchResponse> => {
    const { Records } = parseInput(KinesisEvent, event, 'cabinet meter stream event');
    const result = await ingestBatch(
      Records.map(({ kinesis }) => ({ sequenceNumber: kinesis.sequenceNumber, data: decode(kinesis.data) })),
    );
    logger.info('cabinet meter batch', { records: Records.length, ...result });
    return {
      batchItemFailures: result.retryFrom === undefined ? [] : [{ itemIdentifier: result.retryFrom }],
    };
  };
}

export const wire = ({ stores, now, realNow }: Platform) => {
  const config = cachedValue(() => stores.config.load(), CONFIG_TTL_SECONDS, realNow);
  const byThing = cachedValue(
    async () => new Map((await stores.cabinets.listAll()).map((c): [string, Cabinet] => [c.thingName, c])),
    CABINETS_TTL_SECONDS,
    realNow,
  );
  return makeHandler({
    now,
    timezone: async () => (await config()).site.timezone,
    cabinetOf: async (thing) => (await byThing()).get(thing),
    meters: stores.cabinetMeters,
    rejects: stores.rejects,
    countReject: rejectCounter(emfMetrics()),
  });
};

export const handler = lazyHandler(() => wire(productionPlatform()));
