import { planPusherOf } from '../plan-push/plan-pusher.ts';
import { parseScheduleEvent } from '../plan-push/schedule-event.ts';
import { snsClient } from '../shared/clients.ts';
import { AlarmTopicEnv, readEnv } from '../shared/env.ts';
import { logger } from '../shared/logger.ts';
import { lazyHandler, type Platform, productionPlatform } from '../shared/wiring.ts';
import { type AlarmBackfillRun, makeAlarmBackfill } from './alarm-backfill.ts';
import { type DigestResult, makeDigestRun } from './digest-run.ts';
import { makeSnsNotifier, type Notifier } from './notifier.ts';
import { makeSweep, type SweepSummary } from './sweep.ts';

export interface AlarmRunResult {
  readonly sweep: Omit<SweepSummary, 'opened' | 'cleared'> & { opened: number; cleared: number };
  readonly digest: DigestResult;
  readonly backfill: AlarmBackfillRun;
}

/**
 * Every 15 minutes (EventBridge Scheduler; the local runtime's stand-in in simulated time): the
 * per-luminaire sweep (not-reporting, plan drift), then the digest of the alarms opened since the
 * last one, then a page of the backfill of alarms raised before AP31 until it is done. The
 * schedule's input is only validated: the run is about now, whenever it fires.
 */
export function makeHandler(
  sweep: () => Promise<SweepSummary>,
  digest: () => Promise<DigestResult>,
  backfill: () => Promise<AlarmBackfillRun>,
) {
  return async (event: unknown): Promise<AlarmRunResult> => {
    parseScheduleEvent(event);
    const { opened, cleared, ...counts } = await sweep();
    const summary = { ...counts, opened: opened.length, cleared: cleared.length };
    logger.info('alarm sweep done', { ...summary, firstOpened: opened.slice(0, 10) });
    const sent = await digest();
    if (sent.status === 'sent') logger.info('alarm digest sent', sent);
    const backfilled = await backfill();
    if (backfilled.status === 'ran') logger.info('alarm backfill ran', backfilled);
    return { sweep: summary, digest: sent, backfill: backfilled };
  };
}

export const wire = (platform: Platform, notifier: Notifier) => {
  const { stores, now, table } = platform;
  return makeHandler(
    makeSweep({
      config: stores.config,
      luminaires: stores.luminaires,
      cabinets: stores.cabinets,
      pushState: stores.pushState,
      telemetry: stores.telemetry,
      alarms: stores.alarms,
      pusher: planPusherOf(platform),
      liveState: stores.liveState,
      now,
    }),
    makeDigestRun({ site: table.site, alarms: stores.alarms, marks: stores.alarmDigests, notifier, now }),
    makeAlarmBackfill({ luminaires: stores.luminaires, backfill: stores.alarmBackfill, now }),
  );
};

export const handler = lazyHandler(() => {
  const { ALARM_TOPIC_ARN } = readEnv(AlarmTopicEnv);
  return wire(productionPlatform(), makeSnsNotifier({ sns: snsClient(), topicArn: ALARM_TOPIC_ARN }));
});
