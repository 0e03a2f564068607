import { Duration, Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnTopicRule } from 'aws-cdk-lib/aws-iot';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IOT_SQL_VERSION } from '../../protocol/iot-rules.ts';
import { HandlerFunction, type HandlerFunctionProps } from './handler-function.ts';
import { secureQueue } from './queues.ts';

export interface TopicRuleFunctionProps {
  readonly ruleName: string;
  readonly description: string;
  /** IoT SQL, version 2016-03-23. */
  readonly sql: string;
  /** The handler's settings; its dead-letter queue is the rule's failure queue. */
  readonly handler: Omit<HandlerFunctionProps, 'deadLetterQueue'>;
}

/**
 * An IoT topic rule that invokes a handler. IoT invokes Lambda asynchronously, so messages can be
 * lost twice: when the rule cannot invoke (throttled, no permission) and when the function fails
 * after its retries. Both land in one `failures` queue (the rule's error action and the function's
 * dead-letter queue), which the alarms watch and from which an operator can replay.
 */
export class TopicRuleFunction extends Construct {
  readonly rule: CfnTopicRule;
  readonly failures: Queue;
  readonly handler: HandlerFunction;

  constructor(scope: Construct, id: string, props: TopicRuleFunctionProps) {
    super(scope, id);
    this.failures = secureQueue(this, 'Failures');
    this.handler = new HandlerFunction(this, 'Handler', { ...props.handler, deadLetterQueue: this.failures });
    const { fn } = this.handler;

    const errorActionRole = ruleRole(
      this,
      'ErrorActionRole',
      props.ruleName,
      [this.failures],
      'put messages it could not deliver on its failure queue',
    );
    const { account } = Stack.of(this);
    this.rule = topicRule(
      this,
      props,
      { lambda: { functionArn: fn.functionArn } },
      this.failures,
      errorActionRole,
    );

    fn.addPermission('InvokedByTopicRule', {
      principal: new ServicePrincipal('iot.amazonaws.com'),
      sourceArn: ruleArnOf(this, props.ruleName),
      sourceAccount: account,
    });
  }
}

export interface TopicRuleQueueFunctionProps extends TopicRuleFunctionProps {
  readonly batchSize: number;
  readonly maxBatchingWindow: Duration;
}

/**
 * An IoT topic rule that queues what it selects, and a handler that takes the queue in batches,
 * reporting the items it failed so only those are received again. An item failing five receives,
 * or one the rule cannot queue, lands in the `failures` queue, which the alarms watch.
 */
export class TopicRuleQueueFunction extends Construct {
  readonly rule: CfnTopicRule;
  readonly queue: Queue;
  readonly failures: Queue;
  readonly handler: HandlerFunction;

  constructor(scope: Construct, id: string, props: TopicRuleQueueFunctionProps) {
    super(scope, id);
    this.failures = secureQueue(this, 'Failures');
    this.queue = secureQueue(this, 'Queue', {
      // Six times the handler's timeout (Lambda guidance for SQS sources), so a slow batch is not redelivered.
      visibilityTimeout: Duration.seconds(props.handler.timeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.failures, maxReceiveCount: 5 },
    });
    this.handler = new HandlerFunction(this, 'Handler', props.handler);
    this.handler.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize,
        maxBatchingWindow: props.maxBatchingWindow,
        reportBatchItemFailures: true,
      }),
    );

    const role = ruleRole(
      this,
      'ActionRole',
      props.ruleName,
      [this.queue, this.failures],
      'queue its messages, and put those it could not queue on its failure queue',
    );
    this.rule = topicRule(
      this,
      props,
      { sqs: { queueUrl: this.queue.queueUrl, roleArn: role.roleArn, useBase64: false } },
      this.failures,
      role,
    );
  }
}

/** The rule: its SQL, its one action, and an error action that puts what it could not deliver on `failures`. */
function topicRule(
  scope: Construct,
  props: Pick<TopicRuleFunctionProps, 'ruleName' | 'description' | 'sql'>,
  action: CfnTopicRule.ActionProperty,
  failures: Queue,
  role: Role,
): CfnTopicRule {
  return new CfnTopicRule(scope, 'Rule', {
    ruleName: props.ruleName,
    topicRulePayload: {
      description: props.description,
      sql: props.sql,
      awsIotSqlVersion: IOT_SQL_VERSION,
      ruleDisabled: false,
      actions: [action],
      errorAction: { sqs: { queueUrl: failures.queueUrl, roleArn: role.roleArn } },
    },
  });
}

function ruleArnOf(scope: Construct, ruleName: string): string {
  const { partition, region, account } = Stack.of(scope);
  return `arn:${partition}:iot:${region}:${account}:rule/${ruleName}`;
}

/** The role a rule's SQS actions use: only this rule of this account may assume it (confused-deputy protection). */
function ruleRole(
  scope: Construct,
  id: string,
  ruleName: string,
  queues: readonly Queue[],
  purpose: string,
): Role {
  const role = new Role(scope, id, {
    assumedBy: new ServicePrincipal('iot.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
        ArnEquals: { 'aws:SourceArn': ruleArnOf(scope, ruleName) },
      },
    }),
    description: `Lets IoT rule ${ruleName} ${purpose}`,
  });
  for (const queue of queues) queue.grantSendMessages(role);
  return role;
}
