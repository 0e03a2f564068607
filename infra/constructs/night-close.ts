import { Duration } from 'aws-cdk-lib';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { functionNamed } from '#functions/registry.ts';
import { NIGHT_CLOSE_AT } from '#functions/reports/night-close.ts';
import { type FunctionContext, HandlerFunction, handlerPropsOf } from './handler-function.ts';
import { secureQueue } from './queues.ts';
import { dailyAt, scheduledInvoke } from './scheduled-invoke.ts';

export interface NightCloseProps {
  readonly context: FunctionContext;
  /** IANA time zone of the site: the close runs at the same local time all year, across DST. */
  readonly timeZone: string;
}

/**
 * The daily night close (functions/reports/night-close.handler.ts, the registry's `night-close`):
 * EventBridge Scheduler starts it at NIGHT_CLOSE_AT site time; a start that fails goes to a queue.
 */
export class NightClose extends Construct {
  readonly handler: HandlerFunction;
  readonly startFailures: Queue;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: NightCloseProps) {
    super(scope, id);
    this.startFailures = secureQueue(this, 'StartFailures');
    this.handler = new HandlerFunction(this, 'Close', {
      ...handlerPropsOf(functionNamed('night-close', 'schedule'), props.context),
      deadLetterQueue: this.startFailures,
    });
    this.schedule = scheduledInvoke(this, 'Daily', {
      handler: this.handler,
      starts: 'the night close',
      description: `Night close, daily at ${NIGHT_CLOSE_AT} ${props.timeZone}`,
      schedule: dailyAt(NIGHT_CLOSE_AT, props.timeZone),
      deadLetterQueue: this.startFailures,
      retryAttempts: 3,
      // A missed close is caught up by the next day's run (and the report closes a night itself).
      maxEventAge: Duration.hours(6),
    });
  }
}
