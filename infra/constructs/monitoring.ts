import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FailureAlarm, FunctionDefinition } from '#functions/registry.ts';
import { type DimensionsOf, METRICS, type MetricName } from '#functions/shared/metrics.ts';
import type { HandlerFunction } from './handler-function.ts';
import { secureTopic } from './topics.ts';

/** A deployed function of the registry (functions/registry.ts). */
export interface MonitoredFunction {
  readonly definition: FunctionDefinition;
  readonly handler: HandlerFunction;
  /** The IoT topic rule that triggers it: the rule's failures are lost messages too. */
  readonly ruleName?: string;
}

export interface MonitoringProps {
  readonly stage: string;
  /** Every function; its registry entry names its alarm (`failureAlarm`), its name labels its metrics. */
  readonly functions: readonly MonitoredFunction[];
  /** Queues where failed work ends; any message there needs an operator. */
  readonly deadLetterQueues: Record<string, Queue>;
  /** The rule every luminaire's periodic telemetry goes through: silent, the luminaires are not reporting. */
  readonly reportingRuleName: string;
  /** Telemetry messages expected per hour from the whole fleet; unknown: alarm only when none arrive. */
  readonly expectedTelemetryPerHour?: number;
  readonly alarmEmail?: string;
}

/** Share of shadow requests that were retries (throttled, conflicting): above it, too many workers. */
const RETRY_SHARE = 0.25;
/** Below this many requests in 5 minutes the share is noise. */
const RETRY_MIN_REQUESTS = 100;
/** Below this share of the expected telemetry, luminaires have stopped reporting (power cut, network). */
const REPORTING_SHARE = 0.9;
/**
 * Rejected telemetry reports in an hour above which an operator looks: a controller or two with a
 * glitching meter stay below; a batch of bad firmware, a wrong NTP server or a device pretending
 * to be others do not.
 */
const REJECTS_PER_HOUR = 20;

/** The CloudWatch namespace of the stage's own metrics (EMF from the functions: functions/shared/metrics.ts). */
export const metricsNamespace = (stage: string): string => `Lighting/${stage}`;

/**
 * Alarms (to an encrypted SNS topic, optionally mailed) and one dashboard per stage: push
 * failures, throttling, dead letters, ingest errors, luminaires not reporting.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { topic, key } = secureTopic(this, 'AlarmTopic', {
      description: `Encrypts the ${props.stage} lighting alarm topic`,
      email: props.alarmEmail,
    });
    this.topic = topic;
    // CloudWatch publishes alarm notifications to the encrypted topic.
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');

    const sum = (label: string, metrics: IMetric[], period: Duration) =>
      new MathExpression({
        expression: metrics.map((_, i) => `m${i}`).join(' + '),
        usingMetrics: Object.fromEntries(metrics.map((m, i) => [`m${i}`, m])),
        label,
        period,
      });
    const fiveMinutes = Duration.minutes(5);
    const errorsOf = (alarm: FailureAlarm) =>
      props.functions
        .filter((f) => f.definition.failureAlarm === alarm)
        .map((f) => f.handler.fn.metricErrors({ period: fiveMinutes }));

    this.alarm('PushFailures', {
      metric: sum('Plan-push function errors', errorsOf('push'), fiveMinutes),
      threshold: 1,
      description:
        'A plan-push function failed: some luminaires may not have their plan for the coming nights.',
    });

    this.alarm('FunctionThrottles', {
      metric: sum(
        'Lambda throttles',
        props.functions.map((f) => f.handler.fn.metricThrottles({ period: fiveMinutes })),
        fiveMinutes,
      ),
      threshold: 1,
      description: 'Lambda throttled invocations: concurrency quota reached.',
    });

    // A metric the functions emit (EMF): its name, unit and dimensions come from the one list of them.
    const emitted = <N extends MetricName>(name: N, dimensions: DimensionsOf<N>, period: Duration) =>
      new Metric({
        namespace: metricsNamespace(props.stage),
        metricName: name,
        dimensionsMap: { service: METRICS[name].service, ...dimensions },
        statistic: 'Sum',
        period,
      });

    // The chunk worker counts shadow requests and plans pushed per chunk: requests beyond the plans
    // pushed are retries after throttling (or version conflicts).
    const shadowRequests = emitted('ShadowRequests', {}, fiveMinutes);
    const plansPushed = emitted('PlansPushed', {}, fiveMinutes);
    const shadowRetryShare = new MathExpression({
      expression: `IF(requests > ${RETRY_MIN_REQUESTS}, (requests - pushed) / requests, 0)`,
      usingMetrics: { requests: shadowRequests, pushed: plansPushed },
      label: 'Share of shadow requests retried',
      period: fiveMinutes,
    });
    this.alarm('ShadowThrottling', {
      metric: shadowRetryShare,
      threshold: RETRY_SHARE,
      description:
        'Many shadow updates are retried (throttling): lower pushConcurrency or raise the account quota.',
    });

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm(`DeadLetters-${name}`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }),
        threshold: 1,
        description: `Messages in ${name}: failed work waiting for an operator (inspect, fix, redrive).`,
      });
    }

    const ruleNames = props.functions.flatMap((f) => (f.ruleName === undefined ? [] : [f.ruleName]));
    const ruleFailures = ruleNames.map(
      (ruleName) =>
        new Metric({
          namespace: 'AWS/IoT',
          metricName: 'Failure',
          dimensionsMap: { RuleName: ruleName },
          statistic: 'Sum',
          period: fiveMinutes,
        }),
    );
    this.alarm('IngestErrors', {
      metric: sum('Ingest errors', [...errorsOf('ingest'), ...ruleFailures], fiveMinutes),
      threshold: 1,
      description: `Device messages failed in an IoT rule (${ruleNames.join(', ')}) or its function.`,
    });

    const telemetryReceived = new Metric({
      namespace: 'AWS/IoT',
      metricName: 'TopicMatch',
      dimensionsMap: { RuleName: props.reportingRuleName },
      statistic: 'Sum',
      period: Duration.hours(1),
      label: 'Telemetry messages per hour',
    });
    const reportingThreshold =
      props.expectedTelemetryPerHour === undefined
        ? 1
        : Math.ceil(props.expectedTelemetryPerHour * REPORTING_SHARE);
    this.alarm('LuminairesNotReporting', {
      metric: telemetryReceived,
      threshold: reportingThreshold,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
      description: `Fewer than ${reportingThreshold} telemetry messages in an hour: luminaires are not reporting.`,
    });

    // The telemetry function emits one TelemetryRejected count per reason (EMF), only when it
    // rejects: FILL makes a reason without data count 0 instead of blanking the whole sum.
    const hour = Duration.hours(1);
    const rejectedBy = METRICS.TelemetryRejected.dimensions.reason.map((reason) =>
      emitted('TelemetryRejected', { reason }, hour),
    );
    const telemetryRejected = new MathExpression({
      expression: rejectedBy.map((_, i) => `FILL(r${i}, 0)`).join(' + '),
      usingMetrics: Object.fromEntries(rejectedBy.map((m, i) => [`r${i}`, m])),
      label: 'Telemetry reports rejected',
      period: hour,
    });
    this.alarm('TelemetryRejected', {
      metric: telemetryRejected,
      threshold: REJECTS_PER_HOUR,
      description: `${REJECTS_PER_HOUR} or more telemetry reports rejected in an hour (bad clocks, meters or messages): see the rejects in the telemetry table.`,
    });

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `lighting-${props.stage}` });
    const functions = props.functions.map((f) => [f.definition.name, f.handler] as const);
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Invocations',
        left: functions.map(([name, h]) => h.fn.metricInvocations({ label: name })),
      }),
      new GraphWidget({
        title: 'Errors',
        left: functions.map(([name, h]) => h.fn.metricErrors({ label: name })),
      }),
      new GraphWidget({
        title: 'Duration p95',
        left: functions.map(([name, h]) => h.fn.metricDuration({ label: name, statistic: 'p95' })),
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Telemetry received and rejected',
        left: [telemetryReceived],
        right: [telemetryRejected],
      }),
      new GraphWidget({
        title: 'Plan push: shadow requests and plans pushed',
        left: [shadowRequests, plansPushed],
      }),
      new GraphWidget({
        title: 'Dead letters',
        left: Object.entries(props.deadLetterQueues).map(([name, q]) =>
          q.metricApproximateNumberOfMessagesVisible({ label: name, statistic: 'Maximum' }),
        ),
      }),
    );
  }

  private alarm(
    id: string,
    props: {
      metric: IMetric;
      threshold: number;
      description: string;
      comparisonOperator?: ComparisonOperator;
      treatMissingData?: TreatMissingData;
    },
  ): void {
    const alarm = new Alarm(this, id, {
      metric: props.metric,
      threshold: props.threshold,
      evaluationPeriods: 1,
      comparisonOperator: props.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: props.treatMissingData ?? TreatMissingData.NOT_BREACHING,
      alarmDescription: props.description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
