import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { functionNamed } from '#functions/registry.ts';
import { NIGHT_CLOSE_AT } from '#functions/reports/night-close.ts';
import { type FunctionContext, HandlerFunction, handlerPropsOf } from './handler-function.ts';
import { secureQueue } from './queues.ts';

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
    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets EventBridge Scheduler start the night close',
    });
    Validations.of(schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.handler.fn.node.defaultChild as CfnFunction)}.Arn>:*]`,
      reason:
        'lambda:InvokeFunction on the night-close function and its own versions and aliases (grantInvoke adds ARN:*); no other function.',
    });
    const [hour, minute] = NIGHT_CLOSE_AT.split(':');
    this.schedule = new Schedule(this, 'Daily', {
      description: `Night close, daily at ${NIGHT_CLOSE_AT} ${props.timeZone}`,
      schedule: ScheduleExpression.cron({ hour, minute, timeZone: TimeZone.of(props.timeZone) }),
      target: new LambdaInvoke(this.handler.fn, {
        role: schedulerRole,
        // The shape functions/reports/night-close.ts parses.
        input: ScheduleTargetInput.fromObject({
          scheduledTime: ContextAttribute.scheduledTime,
          executionId: ContextAttribute.executionId,
        }),
        deadLetterQueue: this.startFailures,
        retryAttempts: 3,
        // A missed close is caught up by the next day's run (and the report closes a night itself).
        maxEventAge: Duration.hours(6),
      }),
    });
  }
}
