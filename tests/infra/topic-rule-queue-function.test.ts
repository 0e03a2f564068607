import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { TopicRuleQueueFunction } from '../../infra/constructs/topic-rule-function.ts';
import { TELEMETRY_RULE_SQL } from '../../protocol/iot-rules.ts';

/** The construct behind the registry's `iot-rule-batch` trigger, alone in a stack (bundling skipped). */
function synthesizeBatchRule(): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Batch');
  new TopicRuleQueueFunction(stack, 'Ledger', {
    ruleName: 'lighting_test_ledger',
    description: 'Telemetry to a batch consumer',
    sql: TELEMETRY_RULE_SQL,
    batchSize: 100,
    maxBatchingWindow: Duration.seconds(5),
    handler: {
      entry: 'functions/telemetry/handler.ts',
      serviceName: 'ledger',
      environment: {},
      logRetention: RetentionDays.ONE_MONTH,
      logLevel: 'INFO',
      timeout: Duration.seconds(30),
    },
  });
  return Template.fromStack(stack);
}

describe('IoT rule to a queue taken in batches', () => {
  const template = synthesizeBatchRule();
  const queues = template.findResources('AWS::SQS::Queue');
  const [queueId] = Object.keys(queues).filter((id) => id.startsWith('LedgerQueue'));
  const [failuresId] = Object.keys(queues).filter((id) => id.startsWith('LedgerFailures'));

  it('queues what the rule selects, and what it cannot queue goes to the failure queue', () => {
    template.hasResourceProperties('AWS::IoT::TopicRule', {
      RuleName: 'lighting_test_ledger',
      TopicRulePayload: {
        Sql: TELEMETRY_RULE_SQL,
        Actions: [{ Sqs: { QueueUrl: { Ref: queueId }, RoleArn: Match.anyValue(), UseBase64: false } }],
        ErrorAction: { Sqs: { QueueUrl: { Ref: failuresId }, RoleArn: Match.anyValue() } },
      },
    });
    template.resourceCountIs('AWS::Lambda::Permission', 0);
  });

  it('takes batches reporting the failed items, and an item failing five receives lands in the failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(queues[queueId ?? '']).toMatchObject({
      Properties: {
        VisibilityTimeout: 180,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [failuresId, 'Arn'] }, maxReceiveCount: 5 },
      },
    });
  });

  it('lets only this rule of this account assume the role that sends to its queues', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'iot.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnEquals: {
                'aws:SourceArn': { 'Fn::Join': ['', Match.arrayWith([':rule/lighting_test_ledger'])] },
              },
            },
          }),
        ],
      },
    });
  });
});
