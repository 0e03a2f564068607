import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { functionNamed } from '#functions/registry.ts';
import { type FunctionContext, HandlerFunction, handlerPropsOf } from './handler-function.ts';
import { secureQueue } from './queues.ts';
import { dailyAt, scheduledInvoke } from './scheduled-invoke.ts';

export interface PlanPushProps {
  /** Of both functions (tables, site, IoT endpoint); PUSH_QUEUE_URL is added here. */
  readonly context: FunctionContext;
  /** IANA time zone of the site: the push runs at the same local time all year, across DST. */
  readonly timeZone: string;
  /** Local wall-clock time of the daily push, "HH:MM". */
  readonly pushAt: string;
}

/**
 * The nightly plan push: EventBridge Scheduler starts the schedule function once a day in the
 * site's time zone; it splits the fleet into chunks on the work queue; chunk workers, capped in
 * number so the account's shadow-update rate is never exceeded, plan and push each chunk.
 * A chunk that keeps failing ends in the work queue's dead-letter queue; a start that keeps
 * failing ends in `startFailures`. The functions are the registry's `plan-push-schedule` and
 * `plan-push-chunk` (functions/registry.ts).
 */
export class PlanPush extends Construct {
  readonly scheduler: HandlerFunction;
  readonly chunkWorker: HandlerFunction;
  readonly workQueue: Queue;
  readonly workDeadLetters: Queue;
  readonly startFailures: Queue;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: PlanPushProps) {
    super(scope, id);
    const schedule = functionNamed('plan-push-schedule', 'schedule');
    const chunk = functionNamed('plan-push-chunk', 'queue');
    const { concurrency } = props.context;
    this.workDeadLetters = secureQueue(this, 'WorkDeadLetters');
    this.workQueue = secureQueue(this, 'WorkQueue', {
      // Six times the worker's timeout (Lambda guidance for SQS sources), so a slow chunk is not redelivered.
      visibilityTimeout: Duration.seconds(chunk.lambda.timeoutSeconds * 6),
      deadLetterQueue: { queue: this.workDeadLetters, maxReceiveCount: 5 },
    });
    this.startFailures = secureQueue(this, 'StartFailures');
    const context = {
      ...props.context,
      environment: { ...props.context.environment, PUSH_QUEUE_URL: this.workQueue.queueUrl },
    };

    this.scheduler = new HandlerFunction(this, 'Schedule', {
      ...handlerPropsOf(schedule, context),
      deadLetterQueue: this.startFailures,
    });
    this.workQueue.grantSendMessages(this.scheduler.role);

    this.chunkWorker = new HandlerFunction(this, 'Chunk', handlerPropsOf(chunk, context));
    this.chunkWorker.fn.addEventSource(
      new SqsEventSource(this.workQueue, {
        batchSize: chunk.trigger.batchSize,
        reportBatchItemFailures: true,
        // Chunk workers running at once; each one keeps a bounded number of shadow updates in flight.
        maxConcurrency: concurrency.pushConcurrency,
      }),
    );

    this.schedule = scheduledInvoke(this, 'Daily', {
      handler: this.scheduler,
      starts: 'the plan push',
      description: `Plan push, daily at ${props.pushAt} ${props.timeZone}`,
      schedule: dailyAt(props.pushAt, props.timeZone),
      deadLetterQueue: this.startFailures,
      retryAttempts: 3,
      maxEventAge: Duration.hours(2),
    });
  }
}
