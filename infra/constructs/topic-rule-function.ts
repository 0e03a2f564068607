import { Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnTopicRule } from 'aws-cdk-lib/aws-iot';
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

    const { partition, region, account } = Stack.of(this);
    const ruleArn = `arn:${partition}:iot:${region}:${account}:rule/${props.ruleName}`;
    const errorActionRole = new Role(this, 'ErrorActionRole', {
      // Only this rule of this account may use the role (confused-deputy protection).
      assumedBy: new ServicePrincipal('iot.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnEquals: { 'aws:SourceArn': ruleArn },
        },
      }),
      description: `Lets IoT rule ${props.ruleName} put messages it could not deliver on its failure queue`,
    });
    this.failures.grantSendMessages(errorActionRole);

    this.rule = new CfnTopicRule(this, 'Rule', {
      ruleName: props.ruleName,
      topicRulePayload: {
        description: props.description,
        sql: props.sql,
        awsIotSqlVersion: IOT_SQL_VERSION,
        ruleDisabled: false,
        actions: [{ lambda: { functionArn: fn.functionArn } }],
        errorAction: { sqs: { queueUrl: this.failures.queueUrl, roleArn: errorActionRole.roleArn } },
      },
    });

    fn.addPermission('InvokedByTopicRule', {
      principal: new ServicePrincipal('iot.amazonaws.com'),
      sourceArn: ruleArn,
      sourceAccount: account,
    });
  }
}
