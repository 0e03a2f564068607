import type { KinesisStreamBatchResponse } from 'aws-lambda';
import { z } from 'zod';
import { emfMetrics } from '../shared/emf-metrics.ts';
import { parseInput } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { cachedByKeys, cachedValue } from '../shared/ttl-cache.ts';
import { lazyHandler, type Platform, productionPlatform } from '../shared/wiring.ts';
import { LUMINAIRE_SHARDS, type LuminaireStore } from '../store/index.ts';
import { type LedgerDeps, makeLedger, type StreamRecord } from './ledger.ts';
import { rejectCounter } from './rejects.ts';

/** Configuration changes reach the ledger within a minute. */
const CONFIG_TTL_SECONDS = 60;
/**
 * A thing name's luminaire changes only on re-import, and past 256 names a lookup reads the whole
 * inventory, so a found name is held 10 minutes; a name not found is asked again after a minute, so
 * a luminaire imported after its controller first reported is counted a minute later (ADR 0008).
 */
const THING_TTL_SECONDS = { found: 600, absent: 60 } as const;

/**
 * The Lambda event source mapping's event: records of ONE shard of the telemetry stream, in order
 * (`eventID` = `{shardId}:{sequenceNumber}`), each the telemetry rule's event as base64 JSON.
 */
export const KinesisEvent = z.object({
  Records: z
    .array(
      z.object({
        eventID: z.string().regex(/^[^:]+:\d+$/),
        kinesis: z.object({ data: z.string(), sequenceNumber: z.string().regex(/^\d{1,128}$/) }),
      }),
    )
    .min(1),
});

/** A record's data as the rule wrote it; text that is not JSON is kept as text (and rejected). */
export function decode(data: string): unknown {
  const text = Buffer.from(data, 'base64').toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Runs the ledger over a batch of one shard and reports, as `batchItemFailures`, the first record
 * to deliver again (Kinesis resumes the shard there). A batch that throws is delivered again whole.
 */
export function makeHandler(deps: LedgerDeps) {
  const ingestBatch = makeLedger(deps);
  return async (event: unknown): Promise<KinesisStreamBatchResponse> => {
    const { Records } = parseInput(KinesisEvent, event, 'telemetry stream event');
    const shard = (Records[0]?.eventID ?? '').split(':')[0] as string;
    const records: StreamRecord[] = Records.map(({ kinesis }) => ({
      sequenceNumber: kinesis.sequenceNumber,
      data: decode(kinesis.data),
    }));
    const result = await ingestBatch(shard, records);
    logger.info('telemetry batch', { shard, records: records.length, ...result });
    return {
      batchItemFailures: result.retryFrom === undefined ? [] : [{ itemIdentifier: result.retryFrom }],
    };
  };
}

/**
 * The ledger's thing -> luminaire lookup, cached. Past one Query per inventory shard a lookup reads
 * the whole inventory anyway, and then keeps all of it: the next batches, and those of the other
 * stream shards waiting for that read, find their names without another one.
 */
export function thingLookup(luminaires: Pick<LuminaireStore, 'byThings' | 'listAll'>, now: () => number) {
  return cachedByKeys(
    (things: readonly string[]) =>
      things.length > LUMINAIRE_SHARDS ? luminaires.listAll() : luminaires.byThings(things),
    (luminaire) => luminaire.thingName,
    THING_TTL_SECONDS,
    now,
  );
}

export const wire = ({ stores, now, realNow }: Platform) =>
  makeHandler({
    now,
    config: cachedValue(() => stores.config.load(), CONFIG_TTL_SECONDS, realNow),
    luminairesOf: thingLookup(stores.luminaires, realNow),
    meters: stores.telemetry,
    rollups: stores.rollups,
    alarms: stores.alarms,
    rejects: stores.rejects,
    countReject: rejectCounter(emfMetrics()),
  });

export const handler = lazyHandler(() => wire(productionPlatform()));
