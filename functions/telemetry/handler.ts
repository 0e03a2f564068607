import { TelemetryEvent } from '../../protocol/messages.ts';
import { emfMetrics } from '../shared/emf-metrics.ts';
import { InvalidInput } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { cachedByKey, cachedValue } from '../shared/ttl-cache.ts';
import { lazyHandler, type Platform, productionPlatform } from '../shared/wiring.ts';
import { type IngestDeps, type IngestResult, makeIngest } from './ingest.ts';
import { makeRejecter, rejectCounter } from './rejects.ts';

/** Configuration changes reach the ingest within a minute; thing names change only on re-import. */
const CONFIG_TTL_SECONDS = 60;
const THING_TTL_SECONDS = 600;

/**
 * The telemetry rule's event (protocol/iot-rules.ts): the report's fields, the thing name from the
 * topic the device was allowed to publish on, and the broker's receive time. An event that fails
 * its schema is recorded as a reject and the invocation succeeds: a retry would fail the same way.
 */
export function makeHandler(deps: IngestDeps & { readonly now: () => number }) {
  const ingest = makeIngest(deps);
  const reject = makeRejecter(deps);
  return async (event: unknown): Promise<IngestResult> => {
    const parsed = TelemetryEvent.safeParse(event);
    if (!parsed.success) {
      return reject(event, {
        thing: fieldOf(event, 'thing', (v) => typeof v === 'string' && v.length > 0, '-').slice(0, 128),
        receivedAt: fieldOf(event, 'receivedAt', Number.isSafeInteger, Math.round(deps.now() * 1000)),
        reason: 'invalid',
        detail: InvalidInput.fromZod('telemetry event', parsed.error).message,
      });
    }
    const result = await ingest(parsed.data);
    if ('alarmsOpened' in result && result.alarmsOpened.length > 0) logger.info('alarms opened', result);
    return result;
  };
}

/** A field of an event that failed its schema, if it has the expected form. */
function fieldOf<T>(event: unknown, key: string, valid: (value: unknown) => boolean, fallback: T): T {
  const value =
    typeof event === 'object' && event !== null ? (event as Record<string, unknown>)[key] : undefined;
  return valid(value) ? (value as T) : fallback;
}

export const wire = ({ stores, now, realNow }: Platform) =>
  makeHandler({
    now,
    config: cachedValue(() => stores.config.load(), CONFIG_TTL_SECONDS, realNow),
    luminaireOf: cachedByKey((thing: string) => stores.luminaires.byThing(thing), THING_TTL_SECONDS, realNow),
    telemetry: stores.telemetry,
    alarms: stores.alarms,
    rejects: stores.rejects,
    countReject: rejectCounter(emfMetrics()),
  });

export const handler = lazyHandler(() => wire(productionPlatform()));
