import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '#functions/registry.ts';
import { REJECT_REASONS } from '#functions/telemetry/reject-reasons.ts';
import { CABINET_METER_RULE } from '#protocol/messages/cabinet-meter.ts';
import { PRESENCE_RULE_SQL as PRESENCE_SQL } from '#protocol/messages/presence.ts';
import { TELEMETRY_RULE_SQL as TELEMETRY_SQL } from '#protocol/messages/telemetry.ts';
import { renderArn, synthesize } from './synth.ts';

const { stateless } = synthesize();

interface FunctionResource {
  Properties: {
    Architectures: string[];
    Runtime: string;
    TracingConfig?: { Mode: string };
    LoggingConfig?: { LogFormat: string; LogGroup: { Ref: string } };
    Environment: { Variables: Record<string, unknown> };
    Role: { 'Fn::GetAtt': [string, 'Arn'] };
    ReservedConcurrentExecutions?: number;
    DeadLetterConfig?: unknown;
  };
}
/** The app's own handlers (they carry a Powertools service name), by that name. */
const handlers = Object.fromEntries(
  Object.values(stateless.findResources('AWS::Lambda::Function'))
    .map((f) => f as FunctionResource)
    .filter((f) => f.Properties.Environment?.Variables.POWERTOOLS_SERVICE_NAME !== undefined)
    .map((f) => [f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME as string, f.Properties]),
);
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
type Policy = { Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } } };
const policies = Object.values(stateless.findResources('AWS::IAM::Policy')).map((p) => p as Policy);
const statements: Statement[] = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
/** The statements of the policies attached to a handler's role. */
const statementsOf = (service: string): Statement[] => {
  const role = handlers[service]?.Role['Fn::GetAtt'][0];
  return policies
    .filter((p) => p.Properties.Roles.some((r) => r.Ref === role))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
};
const [workQueue] = Object.keys(stateless.findResources('AWS::SQS::Queue')).filter((id) =>
  id.startsWith('PlanPushWorkQueue'),
);

describe('stateless stack: functions', () => {
  it('deploys one handler per function of the registry', () => {
    expect(Object.keys(handlers).sort()).toEqual(FUNCTIONS.map((fn) => fn.name).sort());
  });

  it('runs every handler on ARM64 with the newest Node.js runtime, X-Ray tracing and JSON logs', () => {
    for (const fn of Object.values(handlers)) {
      expect(fn).toMatchObject({
        Architectures: ['arm64'],
        Runtime: 'nodejs24.x',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
    }
  });

  it('gives every handler its own log group with a 30-day retention', () => {
    const groups = stateless.findResources('AWS::Logs::LogGroup');
    for (const fn of Object.values(handlers)) {
      const group = groups[fn.LoggingConfig?.LogGroup.Ref ?? ''] as {
        Properties: { RetentionInDays: number };
      };
      expect(group.Properties.RetentionInDays).toBe(30);
    }
  });

  it('passes the environment each handler validates at cold start', () => {
    for (const fn of Object.values(handlers)) {
      expect(Object.keys(fn.Environment.Variables)).toEqual(
        expect.arrayContaining([
          'TABLE_NAME',
          'TELEMETRY_TABLE_NAME',
          'SITE_ID',
          'LOG_LEVEL',
          'IOT_DATA_ENDPOINT',
        ]),
      );
      expect(fn.Environment.Variables.SITE_ID).toBe('carcassonne');
    }
    // The schedule function and the API (changes too large for one request) queue plan-push chunks.
    for (const sender of ['plan-push-schedule', 'api']) {
      expect(handlers[sender]?.Environment.Variables.PUSH_QUEUE_URL).toEqual({ Ref: workQueue });
    }
    expect(Object.keys(handlers.api?.Environment.Variables ?? {})).toEqual(
      expect.arrayContaining(['AUTH_JWKS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE']),
    );
  });

  it('sends failed asynchronous invocations (schedule, IoT rules) to a dead-letter queue', () => {
    for (const name of ['plan-push-schedule', 'presence', 'alarm-sweep']) {
      expect(handlers[name]?.DeadLetterConfig).toBeDefined();
    }
    stateless.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumEventAgeInSeconds: 120,
      MaximumRetryAttempts: 1,
    });
  });

  it('caps the chunk workers and presence boosts with reserved concurrency, from context', () => {
    expect(handlers['plan-push-chunk']?.ReservedConcurrentExecutions).toBe(4);
    expect(handlers.presence?.ReservedConcurrentExecutions).toBe(10);
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 4 },
    });
    const scaled = synthesize({ pushConcurrency: '12' }).stateless;
    scaled.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'plan-push-chunk' }) },
      ReservedConcurrentExecutions: 12,
    });
  });

  it('uses the IoT data endpoint given as context instead of looking it up', () => {
    const fixed = synthesize({ iotDataEndpoint: 'abc123-ats.iot.eu-west-3.amazonaws.com' }).stateless;
    fixed.resourceCountIs('Custom::AWS', 0);
    fixed.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ IOT_DATA_ENDPOINT: 'https://abc123-ats.iot.eu-west-3.amazonaws.com' }),
      },
    });
    stateless.hasResourceProperties('Custom::AWS', {
      Create: Match.serializedJson(
        Match.objectLike({
          service: 'IoT',
          action: 'DescribeEndpoint',
          parameters: { endpointType: 'iot:Data-ATS' },
        }),
      ),
    });
  });
});

/** The rule's roles may be assumed by IoT for that rule of this account only. */
function expectRoleOnlyForRule(ruleName: string): void {
  stateless.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [
        Match.objectLike({
          Principal: { Service: 'iot.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnEquals: { 'aws:SourceArn': { 'Fn::Join': ['', Match.arrayWith([`:rule/${ruleName}`])] } },
          },
        }),
      ],
    },
  });
}

describe('stateless stack: IoT rules, schedule, queues', () => {
  it('rule lighting_test_presence deploys the presence SQL, invokes its function and has an SQS error action', () => {
    stateless.hasResourceProperties('AWS::IoT::TopicRule', {
      RuleName: 'lighting_test_presence',
      TopicRulePayload: {
        Sql: PRESENCE_SQL,
        AwsIotSqlVersion: '2016-03-23',
        RuleDisabled: false,
        Actions: [{ Lambda: { FunctionArn: Match.anyValue() } }],
        ErrorAction: { Sqs: { QueueUrl: Match.anyValue(), RoleArn: Match.anyValue() } },
      },
    });
    stateless.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'iot.amazonaws.com',
      SourceArn: { 'Fn::Join': ['', Match.arrayWith([':rule/lighting_test_presence'])] },
    });
    expectRoleOnlyForRule('lighting_test_presence');
  });

  it('rule lighting_test_telemetry puts its events on a Kinesis stream by thing name, read in order by the ledger with partial-batch failures', () => {
    stateless.hasResourceProperties('AWS::IoT::TopicRule', {
      RuleName: 'lighting_test_telemetry',
      TopicRulePayload: {
        Sql: TELEMETRY_SQL,
        Actions: [
          {
            Kinesis: {
              StreamName: Match.anyValue(),
              // biome-ignore lint/suspicious/noTemplateCurlyInString: an IoT substitution template.
              PartitionKey: '${topic(2)}',
              RoleArn: Match.anyValue(),
            },
          },
        ],
        ErrorAction: { Sqs: { QueueUrl: Match.anyValue(), RoleArn: Match.anyValue() } },
      },
    });
    stateless.hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: 1,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
    });
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10_000,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ParallelizationFactor: 1,
      BisectBatchOnFunctionError: false,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    expectRoleOnlyForRule('lighting_test_telemetry');
    synthesize({ telemetryShards: '4' }).stateless.hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: 4,
    });
  });

  it('rule lighting_test_cabinet_meter puts cabinet meter readings on a stream of their own, read by the cabinet ledger', () => {
    stateless.hasResourceProperties('AWS::IoT::TopicRule', {
      RuleName: 'lighting_test_cabinet_meter',
      TopicRulePayload: {
        Sql: CABINET_METER_RULE.sql,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an IoT substitution template.
        Actions: [{ Kinesis: Match.objectLike({ PartitionKey: '${topic(2)}' }) }],
        ErrorAction: { Sqs: { QueueUrl: Match.anyValue(), RoleArn: Match.anyValue() } },
      },
    });
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 500,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expectRoleOnlyForRule('lighting_test_cabinet_meter');
  });

  it('runs the plan push daily at the configured local time in the site time zone', () => {
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(00 13 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      Target: Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() }),
    });
    const later = synthesize({ pushAt: '15:45' }).stateless;
    later.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(45 15 * * ? *)' });
  });

  it('closes the nights daily at half past noon site time, one close at a time, with the input it parses', () => {
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 12 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NightCloseFunction'), 'Arn'] },
        Input: Match.serializedJson({
          scheduledTime: '<aws.scheduler.scheduled-time>',
          executionId: '<aws.scheduler.execution-id>',
        }),
        DeadLetterConfig: Match.anyValue(),
      }),
    });
    expect(handlers['night-close']?.ReservedConcurrentExecutions).toBe(1);
  });

  it('sends the schedule function the input its event parser reads', () => {
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({
        Input: Match.serializedJson({
          scheduledTime: '<aws.scheduler.scheduled-time>',
          executionId: '<aws.scheduler.execution-id>',
        }),
      }),
    });
  });

  it('encrypts every queue and denies requests without TLS', () => {
    const queues = stateless.findResources('AWS::SQS::Queue');
    expect(Object.keys(queues).length).toBe(8);
    for (const queue of Object.values(queues)) {
      expect(queue).toMatchObject({
        Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 },
      });
    }
    const policies = stateless.findResources('AWS::SQS::QueuePolicy', {
      Properties: {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
    });
    expect(Object.keys(policies).length).toBe(8);
  });
});

describe('stateless stack: least privilege', () => {
  it('grants "*" resources only for actions that have no resource-level permissions', () => {
    const wildcard = statements.filter((s) => s.Resource === '*').flatMap((s) => [s.Action].flat());
    expect(new Set(wildcard)).toEqual(
      new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'iot:DescribeEndpoint']),
    );
  });

  it('never grants DynamoDB Scan or service-wide wildcards', () => {
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((a) => a.endsWith(':*'))).toEqual([]);
  });

  it('lets the chunk worker, the API and the alarm sweep write only plan shadows and the presence function only boost shadows', () => {
    const shadowWrites = statements
      .filter((s) => [s.Action].flat().includes('iot:UpdateThingShadow'))
      .map((s) => renderArn(s.Resource));
    expect(shadowWrites.sort()).toEqual([
      'arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:thing/*/boost',
      'arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:thing/*/plan',
      'arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:thing/*/plan',
      'arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:thing/*/plan',
    ]);
  });

  it('lets only the schedule function and the API send to the plan-push work queue, the API to no other queue', () => {
    const sendsTo = (s: Statement) => [s.Action].flat().includes('sqs:SendMessage');
    const workQueueArn = { 'Fn::GetAtt': [workQueue, 'Arn'] };
    const senders = Object.keys(handlers).filter((service) =>
      statementsOf(service).some(
        (s) => sendsTo(s) && JSON.stringify(s.Resource) === JSON.stringify(workQueueArn),
      ),
    );
    expect(senders.sort()).toEqual(['api', 'plan-push-schedule']);
    const apiQueueGrants = statementsOf('api').filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('sqs:')),
    );
    expect(apiQueueGrants).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: workQueueArn,
      }),
    ]);
  });

  it('gives the API read-only access to the telemetry table', () => {
    const telemetryGrants = statements.filter((s) => JSON.stringify(s.Resource).includes('TelemetryTable'));
    const writers = telemetryGrants.filter((s) => [s.Action].flat().includes('dynamodb:PutItem'));
    // The API reads; the two ledgers (luminaires, cabinets) write.
    expect(telemetryGrants.length).toBe(3);
    expect(writers.length).toBe(2);
  });
});

describe('stateless stack: luminaire alarms', () => {
  const [topic] = Object.keys(stateless.findResources('AWS::SNS::Topic')).filter((id) =>
    id.startsWith('AlarmNotificationsTopic'),
  );

  it('runs the alarm sweep every 15 minutes with the input its event parser reads', () => {
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmNotificationsSweep'), 'Arn'] },
        Input: Match.serializedJson({
          scheduledTime: '<aws.scheduler.scheduled-time>',
          executionId: '<aws.scheduler.execution-id>',
        }),
        DeadLetterConfig: Match.anyValue(),
      }),
    });
    expect(handlers['alarm-sweep']?.ReservedConcurrentExecutions).toBe(1);
  });

  it('publishes digests to a KMS-encrypted topic that only the sweep may publish to', () => {
    stateless.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    expect(handlers['alarm-sweep']?.Environment.Variables.ALARM_TOPIC_ARN).toEqual({ Ref: topic });
    const publishers = Object.keys(handlers).filter((service) =>
      statementsOf(service).some(
        (s) => [s.Action].flat().includes('sns:Publish') && JSON.stringify(s.Resource).includes(topic ?? '-'),
      ),
    );
    expect(publishers).toEqual(['alarm-sweep']);
  });

  it('mails the digests to the alarmEmail context', () => {
    const mailed = synthesize({ alarmEmail: 'eclairage@example.org' }).stateless;
    mailed.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'eclairage@example.org',
      TopicArn: { Ref: Match.stringLikeRegexp('^AlarmNotificationsTopic') },
    });
  });
});

describe('stateless stack: API', () => {
  it('routes every request but the public ones to the api function behind the Cognito JWT authorizer', () => {
    // $default, and the two /public/... routes (console-site.test.ts checks those have no authorizer).
    stateless.resourceCountIs('AWS::ApiGatewayV2::Route', 3);
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$default',
      AuthorizationType: 'JWT',
      AuthorizerId: Match.anyValue(),
    });
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [Match.anyValue(), Match.anyValue()], Issuer: Match.anyValue() },
    });
  });

  it('writes JSON access logs and throttles the stage', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.serializedJson(
          Match.objectLike({ requestId: '$context.requestId', status: '$context.status' }),
        ),
      },
      DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
    });
  });
});

describe('stateless stack: monitoring', () => {
  const alarms = Object.entries(stateless.findResources('AWS::CloudWatch::Alarm'));
  const alarm = (id: string) => alarms.find(([logicalId]) => logicalId.startsWith(`Monitoring${id}`))?.[1];

  it('alarms on push failures, throttling, dead letters, ingest errors and silent luminaires, to the alarm topic', () => {
    for (const id of [
      'PushFailures',
      'FunctionThrottles',
      'ShadowThrottling',
      'DeadLetterspushStartFailures',
      'DeadLetterspushChunkDeadLetters',
      'DeadLetterspresenceFailures',
      'DeadLetterstelemetryFailures',
      'DeadLettersalarmSweepStartFailures',
      'IngestErrors',
      'LuminairesNotReporting',
    ]) {
      expect(alarm(id), id).toMatchObject({ Properties: { AlarmActions: [{ Ref: expect.any(String) }] } });
    }
  });

  it('treats a silent telemetry rule as luminaires not reporting, with a threshold from the expected fleet', () => {
    expect(alarm('LuminairesNotReporting')).toMatchObject({
      Properties: { ComparisonOperator: 'LessThanThreshold', Threshold: 1, TreatMissingData: 'breaching' },
    });
    const fleet = synthesize({ expectedLuminaires: '10000', telemetryIntervalMinutes: '15' }).stateless;
    // 10,000 luminaires x 4 reports an hour, alarm under 90 %.
    fleet.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('not reporting'),
      Threshold: 36_000,
    });
  });

  it("alarms on the share of retried shadow requests from the chunk worker's EMF metrics, not from its logs", () => {
    stateless.resourceCountIs('AWS::Logs::MetricFilter', 0);
    const metrics =
      (alarm('ShadowThrottling')?.Properties as { Metrics?: Record<string, unknown>[] } | undefined)
        ?.Metrics ?? [];
    expect(metrics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Expression: 'IF(requests > 100, (requests - pushed) / requests, 0)' }),
        ...['ShadowRequests', 'PlansPushed'].map((name) =>
          expect.objectContaining({
            MetricStat: expect.objectContaining({
              Metric: {
                MetricName: name,
                Namespace: 'Lighting/test',
                Dimensions: [{ Name: 'service', Value: 'plan-push-chunk' }],
              },
            }),
          }),
        ),
      ]),
    );
    expect(alarm('ShadowThrottling')).toMatchObject({ Properties: { Threshold: 0.25 } });
    expect(handlers['plan-push-chunk']?.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe(
      'Lighting/test',
    );
  });

  it('alarms on rejected telemetry, summing the TelemetryRejected metric the ingest emits for every reason', () => {
    const rejected = alarm('TelemetryRejected');
    expect(rejected).toMatchObject({
      Properties: {
        Threshold: 20,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: expect.any(String) }],
      },
    });
    const metrics =
      (rejected?.Properties as { Metrics?: Record<string, unknown>[] } | undefined)?.Metrics ?? [];
    const reasons = metrics.flatMap((m) => {
      const stat = m.MetricStat as
        | { Metric: { MetricName: string; Namespace: string; Dimensions: { Name: string; Value: string }[] } }
        | undefined;
      if (stat === undefined) return [];
      expect(stat.Metric).toMatchObject({ MetricName: 'TelemetryRejected', Namespace: 'Lighting/test' });
      return stat.Metric.Dimensions.filter((d) => d.Name === 'reason').map((d) => d.Value);
    });
    expect(reasons.sort()).toEqual([...REJECT_REASONS].sort());
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'telemetry',
          POWERTOOLS_METRICS_NAMESPACE: 'Lighting/test',
        }),
      },
    });
  });

  it('has a dashboard named after the stage', () => {
    stateless.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'lighting-test' });
  });
});
