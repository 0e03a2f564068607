import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALARM_SWEEP_EVERY_SECONDS } from '#functions/alarms/sweep.ts';
import { functionNamed } from '#functions/registry.ts';
import { type FunctionContext, HandlerFunction, handlerPropsOf } from './handler-function.ts';
import { secureQueue } from './queues.ts';
import { scheduledInvoke } from './scheduled-invoke.ts';
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

    this.schedule = scheduledInvoke(this, 'Every15Minutes', {
      handler: this.sweep,
      starts: 'the alarm sweep',
      description: 'Luminaire alarm sweep and digest',
      schedule: ScheduleExpression.rate(Duration.seconds(ALARM_SWEEP_EVERY_SECONDS)),
      deadLetterQueue: this.startFailures,
      retryAttempts: 1,
      // The next sweep is due in 15 minutes: an older start is redundant.
      maxEventAge: Duration.minutes(15),
    });
  }
}
