import { TelemetryMessage } from '../../protocol/messages.ts';
import { parseInput } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { cachedByKey, cachedValue } from '../shared/ttl-cache.ts';
import { lazyHandler, type Platform, productionPlatform } from '../shared/wiring.ts';
import { type IngestDeps, type IngestResult, makeIngest } from './ingest.ts';

/** Configuration changes reach the ingest within a minute; thing names change only on re-import. */
const CONFIG_TTL_SECONDS = 60;
const THING_TTL_SECONDS = 600;

/**
 * IoT rule `SELECT *, topic(2) AS thing FROM 'lighting/+/telemetry'`: the event is the report,
 * with the thing name taken from the topic the device was allowed to publish on.
 */
export function makeHandler(deps: IngestDeps) {
  const ingest = makeIngest(deps);
  return async (event: unknown): Promise<IngestResult> => {
    const message = parseInput(TelemetryMessage, event, 'telemetry message');
    const result = await ingest(message);
    if (result.status === 'unknown-thing') logger.warn('telemetry from a thing not in the inventory', result);
    else if ('alarmsOpened' in result && result.alarmsOpened.length > 0) logger.info('alarms opened', result);
    return result;
  };
}

export const wire = ({ stores, realNow }: Platform) =>
  makeHandler({
    config: cachedValue(() => stores.config.load(), CONFIG_TTL_SECONDS, realNow),
    luminaireOf: cachedByKey((thing: string) => stores.luminaires.byThing(thing), THING_TTL_SECONDS, realNow),
    telemetry: stores.telemetry,
    alarms: stores.alarms,
  });

export const handler = lazyHandler(() => wire(productionPlatform()));
