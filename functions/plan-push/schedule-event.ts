import { z } from 'zod';
import { LocalDate } from '#schedules/index.ts';
import { parseInput } from '../shared/errors.ts';

/**
 * What the daily EventBridge Scheduler schedule sends. The schedule's target input is
 * `{"scheduledTime":"<aws.scheduler.scheduled-time>","executionId":"<aws.scheduler.execution-id>"}`;
 * an operator re-running a night adds `"night"`. An EventBridge rule's "Scheduled Event" is
 * accepted too (its `time` and `id`), so either service can trigger the push.
 */
const SchedulerInput = z.object({
  scheduledTime: z.iso.datetime({ offset: true }),
  executionId: z.string().min(1).max(128).optional(),
  night: LocalDate.optional(),
});

const EventBridgeScheduledEvent = z.object({
  'detail-type': z.literal('Scheduled Event'),
  id: z.string().min(1),
  time: z.iso.datetime({ offset: true }),
});

export interface ScheduleEvent {
  readonly time: string;
  readonly executionId: string | undefined;
  readonly night: LocalDate | undefined;
}

/** Picks the schema by the event's shape, so a bad field is named rather than "no union member matched". */
export function parseScheduleEvent(event: unknown): ScheduleEvent {
  if (typeof event === 'object' && event !== null && 'detail-type' in event) {
    const rule = parseInput(EventBridgeScheduledEvent, event, 'EventBridge scheduled event');
    return { time: rule.time, executionId: rule.id, night: undefined };
  }
  const input = parseInput(SchedulerInput, event, 'plan-push schedule input');
  return { time: input.scheduledTime, executionId: input.executionId, night: input.night };
}
