import { PresenceMessage } from '#protocol/messages/presence.ts';
import { parseInput } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { cachedValue } from '../shared/ttl-cache.ts';
import { lazyHandler, type Platform, productionPlatform } from '../shared/wiring.ts';
import { type BoostPresenceDeps, makeBoostPresence, type PresenceResult } from './boost-presence.ts';
import { makePresenceContext } from './presence-context.ts';
import { makeSensorLookup } from './sensor-lookup.ts';

/** Configuration changes (policy, overrides) reach presence within a minute. */
const CONFIG_TTL_SECONDS = 60;
/** Sensors imported through the API take part within a minute; until then their detections are dropped. */
const SENSORS_TTL_SECONDS = 60;
/** The inventory is large (up to ~200,000 luminaires) and changes rarely: reloaded every 10 minutes. */
const INVENTORY_TTL_SECONDS = 600;

/**
 * IoT rule `PRESENCE_RULE` (protocol/messages/presence.ts): the event is the detection, with the sensor
 * id taken from the topic the sensor was allowed to publish on, and the time IoT Core received it.
 * A detection from a sensor not in the inventory, or dated too far from its receipt, boosts nothing
 * and is logged as `presence detection dropped` with its reason (a metric filter can count them).
 */
export function makeHandler(deps: BoostPresenceDeps) {
  const boostPresence = makeBoostPresence(deps);
  return async (event: unknown): Promise<PresenceResult> => {
    const message = parseInput(PresenceMessage, event, 'presence message');
    const result = await boostPresence(message);
    if (result.status === 'dropped') {
      const fields = { ...result, ts: message.ts, receivedAt: message.receivedAt };
      // A late delivery (a retry, a backlog) harms nothing; an unknown sensor or a date ahead is a
      // fault or an attack, worth a look.
      if (result.reason === 'late') logger.info('presence detection dropped', fields);
      else logger.warn('presence detection dropped', fields);
    }
    if (result.status === 'processed' && result.failed.length > 0) logger.warn('boosts not written', result);
    return result;
  };
}

export const wire = ({ stores, shadows, now, realNow }: Platform) =>
  makeHandler({
    sensorOf: makeSensorLookup(cachedValue(() => stores.sensors.listAll(), SENSORS_TTL_SECONDS, realNow)),
    now,
    context: makePresenceContext({
      config: cachedValue(() => stores.config.load(), CONFIG_TTL_SECONDS, realNow),
      inventory: cachedValue(() => stores.luminaires.listAll(), INVENTORY_TTL_SECONDS, realNow),
      cabinets: cachedValue(() => stores.cabinets.listAll(), INVENTORY_TTL_SECONDS, realNow),
    }),
    presence: stores.presence,
    shadows,
  });

export const handler = lazyHandler(() => wire(productionPlatform()));
