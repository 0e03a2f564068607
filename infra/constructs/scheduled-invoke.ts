import { type Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
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
import type { Construct } from 'constructs';
import type { HandlerFunction } from './handler-function.ts';

export interface ScheduledInvokeProps {
  /** The function the schedule starts. */
  readonly handler: HandlerFunction;
  /** What it starts, for the role's description: "the night close". */
  readonly starts: string;
  readonly description: string;
  readonly schedule: ScheduleExpression;
  /** Where a start that keeps failing goes. */
  readonly deadLetterQueue: Queue;
  readonly retryAttempts: number;
  /** How late a start is still worth making. */
  readonly maxEventAge: Duration;
}

/** Every day at `at` ("HH:MM") in an IANA time zone: the same local time all year, across DST. */
export function dailyAt(at: string, timeZone: string): ScheduleExpression {
  const [hour, minute] = at.split(':');
  return ScheduleExpression.cron({ hour, minute, timeZone: TimeZone.of(timeZone) });
}

/**
 * EventBridge Scheduler starting one function: a role of its own that only this account's
 * scheduler assumes and that may invoke that function alone, and the schedule, whose input is the
 * shape functions/plan-push/schedule-event.ts parses (the execution id keys a run). One per
 * construct: the role's id is fixed, which keeps the logical ids the stacks had before it.
 */
export function scheduledInvoke(scope: Construct, id: string, props: ScheduledInvokeProps): Schedule {
  const role = new Role(scope, 'SchedulerRole', {
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
    description: `Lets EventBridge Scheduler start ${props.starts}`,
  });
  const fn = props.handler.fn;
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${Stack.of(scope).getLogicalId(fn.node.defaultChild as CfnFunction)}.Arn>:*]`,
    reason: `lambda:InvokeFunction on the function that starts ${props.starts} and its own versions and aliases (grantInvoke adds ARN:*); no other function.`,
  });
  return new Schedule(scope, id, {
    description: props.description,
    schedule: props.schedule,
    target: new LambdaInvoke(fn, {
      role,
      input: ScheduleTargetInput.fromObject({
        scheduledTime: ContextAttribute.scheduledTime,
        executionId: ContextAttribute.executionId,
      }),
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
    }),
  });
}
