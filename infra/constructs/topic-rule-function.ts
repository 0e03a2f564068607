import { Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnTopicRule } from 'aws-cdk-lib/aws-iot';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IOT_SQL_VERSION } from '#protocol/iot-rules.ts';
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

    const { rule, ruleArn, account } = topicRuleWithFailures(this, {
      ...props,
      action: { lambda: { functionArn: fn.functionArn } },
      failures: this.failures,
    });
    this.rule = rule;

    fn.addPermission('InvokedByTopicRule', {
      principal: new ServicePrincipal('iot.amazonaws.com'),
      sourceArn: ruleArn,
      sourceAccount: account,
    });
  }
}

/** The principal of an IoT rule's roles: only that rule of this account may use them (confused-deputy protection). */
export function iotRulePrincipal(account: string, ruleArn: string): ServicePrincipal {
  return new ServicePrincipal('iot.amazonaws.com', {
    conditions: { StringEquals: { 'aws:SourceAccount': account }, ArnEquals: { 'aws:SourceArn': ruleArn } },
  });
}

/**
 * A topic rule with one action, whose error action puts what it could not deliver on `failures`
 * (with a role for that rule only).
 */
export function topicRuleWithFailures(
  scope: Construct,
  props: {
    readonly ruleName: string;
    readonly description: string;
    readonly sql: string;
    readonly action: CfnTopicRule.ActionProperty;
    readonly failures: Queue;
  },
): { rule: CfnTopicRule; ruleArn: string; account: string } {
  const { partition, region, account } = Stack.of(scope);
  const ruleArn = `arn:${partition}:iot:${region}:${account}:rule/${props.ruleName}`;
  const errorActionRole = new Role(scope, 'ErrorActionRole', {
    assumedBy: iotRulePrincipal(account, ruleArn),
    description: `Lets IoT rule ${props.ruleName} put messages it could not deliver on its failure queue`,
  });
  props.failures.grantSendMessages(errorActionRole);
  const rule = new CfnTopicRule(scope, 'Rule', {
    ruleName: props.ruleName,
    topicRulePayload: {
      description: props.description,
      sql: props.sql,
      awsIotSqlVersion: IOT_SQL_VERSION,
      ruleDisabled: false,
      actions: [props.action],
      errorAction: { sqs: { queueUrl: props.failures.queueUrl, roleArn: errorActionRole.roleArn } },
    },
  });
  return { rule, ruleArn, account };
}
