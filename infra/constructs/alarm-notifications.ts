import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALARM_SWEEP_EVERY_SECONDS } from '#functions/alarms/sweep.ts';
import { functionNamed } from '#functions/registry.ts';
import { type FunctionContext, HandlerFunction, handlerPropsOf } from './handler-function.ts';
import { secureQueue } from './queues.ts';
import { secureTopic } from './topics.ts';

export interface AlarmNotificationsProps {
  readonly stage: string;
  /** Of the sweep (tables, site, IoT endpoint); ALARM_TOPIC_ARN is added here. */
  readonly context: FunctionContext;
  /** Who receives the digests (the `alarmEmail` context); without it, subscribe to the topic later. */
  readonly alarmEmail?: string;
}

/**
 * Per-luminaire alarms that reach a person: every 15 minutes EventBridge Scheduler starts the
 * sweep (functions/alarms/sweep.handler.ts), which opens and clears `not-reporting` and
 * `plan-drift`, re-pushes drifting plans, and publishes at most one digest an hour of the new
 * alarms to an encrypted SNS topic with an e-mail subscription. The sweep is the registry's
 * `alarm-sweep` (functions/registry.ts).
 */
export class AlarmNotifications extends Construct {
  readonly topic: Topic;
  readonly sweep: HandlerFunction;
  readonly startFailures: Queue;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: AlarmNotificationsProps) {
    super(scope, id);
    const { topic, key } = secureTopic(this, 'Topic', {
      description: `Encrypts the ${props.stage} luminaire alarm digests`,
      email: props.alarmEmail,
    });
    this.topic = topic;
    this.startFailures = secureQueue(this, 'StartFailures');

    const { context } = props;
    this.sweep = new HandlerFunction(this, 'Sweep', {
      ...handlerPropsOf(functionNamed('alarm-sweep', 'schedule'), {
        ...context,
        environment: { ...context.environment, ALARM_TOPIC_ARN: this.topic.topicArn },
      }),
      deadLetterQueue: this.startFailures,
    });
    // Not grantPublish: it adds kms:GenerateDataKey*, a wildcard; publishing needs exactly these two.
    this.sweep.role.addToPolicy(
      new PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }),
    );
    key.grant(this.sweep.role, 'kms:Decrypt', 'kms:GenerateDataKey');

    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets EventBridge Scheduler start the alarm sweep',
    });
    Validations.of(schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.sweep.fn.node.defaultChild as CfnFunction)}.Arn>:*]`,
      reason:
        'lambda:InvokeFunction on the sweep function and its own versions and aliases (grantInvoke adds ARN:*); no other function.',
    });
    this.schedule = new Schedule(this, 'Every15Minutes', {
      description: 'Luminaire alarm sweep and digest',
      schedule: ScheduleExpression.rate(Duration.seconds(ALARM_SWEEP_EVERY_SECONDS)),
      target: new LambdaInvoke(this.sweep.fn, {
        role: schedulerRole,
        // The shape functions/plan-push/schedule-event.ts parses (the sweep validates it the same way).
        input: ScheduleTargetInput.fromObject({
          scheduledTime: ContextAttribute.scheduledTime,
          executionId: ContextAttribute.executionId,
        }),
        deadLetterQueue: this.startFailures,
        retryAttempts: 1,
        // The next sweep is due in 15 minutes: an older start is redundant.
        maxEventAge: Duration.minutes(15),
      }),
    });
  }
}
