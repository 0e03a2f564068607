import { logger } from '../shared/logger.ts';
import { lazyHandler, type Platform, productionPlatform } from '../shared/wiring.ts';
import { makeNightClose, type NightCloseResult } from './night-close.ts';

/** Daily (EventBridge Scheduler, site time; the local runtime's stand-in in simulated time). */
export const wire = (platform: Platform) => {
  const { stores, now } = platform;
  const close = makeNightClose({
    config: stores.config,
    luminaires: stores.luminaires,
    cabinets: stores.cabinets,
    closedNights: stores.closedNights,
    now,
  });
  return async (event: unknown): Promise<NightCloseResult> => {
    const result = await close(event);
    logger.info('nights closed', { ...result });
    return result;
  };
};

export const handler = lazyHandler(() => wire(productionPlatform()));
