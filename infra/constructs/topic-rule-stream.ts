import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Role } from 'aws-cdk-lib/aws-iam';
import type { CfnTopicRule } from 'aws-cdk-lib/aws-iot';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HandlerFunction, type HandlerFunctionProps } from './handler-function.ts';
import { secureQueue } from './queues.ts';
import { iotRulePrincipal, topicRuleWithFailures } from './topic-rule-function.ts';

export interface TopicRuleStreamProps {
  readonly ruleName: string;
  readonly description: string;
  /** IoT SQL, version 2016-03-23. */
  readonly sql: string;
  /** The topic level holding the device id: the partition key, so a device's events keep their order. */
  readonly partitionKeyLevel: number;
  readonly shards: number;
  readonly batchSize: number;
  readonly batchWindowSeconds: number;
  readonly handler: Omit<HandlerFunctionProps, 'deadLetterQueue'>;
}

/**
 * An IoT topic rule (fed by Basic Ingest) that puts each event on a Kinesis data stream, and the
 * handler that reads the stream (ADR 0008). Provisioned shards (cheaper than on-demand for a
 * steady fleet); a shard is read in order, one batch at a time; a failed batch is retried from
 * the first failed record (ReportBatchItemFailures), up to a day, then its records' positions go
 * to the `failures` queue with the events the rule could not put (its error action).
 */
export class TopicRuleStream extends Construct {
  readonly rule: CfnTopicRule;
  readonly stream: Stream;
  readonly failures: Queue;
  readonly handler: HandlerFunction;

  constructor(scope: Construct, id: string, props: TopicRuleStreamProps) {
    super(scope, id);
    this.failures = secureQueue(this, 'Failures');
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        'This queue is the last stop itself: the stream mapping on-failure destination and the rule error action (cdk-nag knows only Lambda and redrive dead-letter queues).',
    });
    this.stream = new Stream(this, 'Stream', {
      streamMode: StreamMode.PROVISIONED,
      shardCount: props.shards,
      retentionPeriod: Duration.hours(24),
      encryption: StreamEncryption.MANAGED,
    });
    this.handler = new HandlerFunction(this, 'Handler', props.handler);
    this.addReader(this.handler, props);

    const { partition, region, account } = Stack.of(this);
    const ruleArn = `arn:${partition}:iot:${region}:${account}:rule/${props.ruleName}`;
    const putRole = new Role(this, 'PutRole', {
      assumedBy: iotRulePrincipal(account, ruleArn),
      description: `Lets IoT rule ${props.ruleName} put its events on the stream`,
    });
    this.stream.grantWrite(putRole);
    this.rule = topicRuleWithFailures(this, {
      ...props,
      action: {
        kinesis: {
          streamName: this.stream.streamName,
          partitionKey: `\${topic(${props.partitionKeyLevel})}`,
          roleArn: putRole.roleArn,
        },
      },
      failures: this.failures,
    }).rule;
  }

  /**
   * Another event source mapping on the stream (`stream-reader` functions, functions/registry.ts):
   * its own checkpoint per shard, the same retries and failures queue as the rule's handler.
   */
  addReader(
    reader: HandlerFunction,
    batching: { readonly batchSize: number; readonly batchWindowSeconds: number },
  ): void {
    reader.fn.addEventSource(
      new KinesisEventSource(this.stream, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: batching.batchSize,
        maxBatchingWindow: Duration.seconds(batching.batchWindowSeconds),
        reportBatchItemFailures: true,
        parallelizationFactor: 1,
        bisectBatchOnError: false,
        maxRecordAge: Duration.hours(24),
        retryAttempts: 10_000,
        onFailure: new SqsDlq(this.failures),
      }),
    );
  }
}
