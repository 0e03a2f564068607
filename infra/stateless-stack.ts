import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  type FunctionDefinition,
  fleetReportingFunction,
  functionNamed,
  functionsTriggeredBy,
} from '#functions/registry.ts';
import { AlarmNotifications } from './constructs/alarm-notifications.ts';
import { ConsoleSite } from './constructs/console-site.ts';
import { grantAccess } from './constructs/grants.ts';
import { type FunctionContext, HandlerFunction, handlerPropsOf } from './constructs/handler-function.ts';
import { IotDataEndpoint } from './constructs/iot-data-endpoint.ts';
import { type MonitoredFunction, Monitoring, metricsNamespace } from './constructs/monitoring.ts';
import { NightClose } from './constructs/night-close.ts';
import { OriginSecret } from './constructs/origin-secret.ts';
import { PlanPush } from './constructs/plan-push.ts';
import { RawReportDelivery } from './constructs/raw-report-delivery.ts';
import { TechnicianApi } from './constructs/technician-api.ts';
import { TopicRuleFunction } from './constructs/topic-rule-function.ts';
import { TopicRuleStream } from './constructs/topic-rule-stream.ts';
import type { StageNames } from './names.ts';
import type { Settings } from './settings.ts';
import type { StatefulStack } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  readonly stage: string;
  readonly names: StageNames;
  readonly settings: Settings;
  readonly stateful: StatefulStack;
  /** The CloudFront web ACL (us-east-1) limiting the public routes per address (ADR 0019). */
  readonly webAclArn: string;
}

/** `plan-push-chunk` -> `planPushChunk`, `PlanPushChunk`: construct ids and queue labels from function names. */
const camelCase = (name: string): string => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
const pascalCase = (name: string): string => camelCase(name).replace(/^\w/, (c) => c.toUpperCase());

/**
 * The code: the functions of the registry (functions/registry.ts) with their triggers (queues, IoT
 * rules, schedules, the API), and the alarms. Replaced freely on every deploy; its data lives in the
 * stateful stack.
 */
export class StatelessStack extends Stack {
  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { settings, stateful, names } = props;
    const { main, telemetry } = stateful.tables;
    const iot = new IotDataEndpoint(this, 'IotDataEndpoint', settings.iotDataEndpoint);
    const context: FunctionContext = {
      logRetention: settings.logRetentionDays as RetentionDays,
      logLevel: settings.logLevel,
      environment: {
        TABLE_NAME: main.tableName,
        TELEMETRY_TABLE_NAME: telemetry.tableName,
        SITE_ID: settings.siteId,
        IOT_DATA_ENDPOINT: iot.url,
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(props.stage),
      },
      concurrency: {
        pushConcurrency: settings.pushConcurrency,
        presenceConcurrency: settings.presenceConcurrency,
      },
    };
    const tables = { main, telemetry };
    const deployed: MonitoredFunction[] = [];
    const deploy = (definition: FunctionDefinition, handler: HandlerFunction, ruleName?: string) => {
      grantAccess(handler.role, definition.access, tables);
      deployed.push({ definition, handler, ...(ruleName === undefined ? {} : { ruleName }) });
    };

    const planPush = new PlanPush(this, 'PlanPush', {
      context,
      timeZone: settings.site.site.timezone,
      pushAt: settings.pushAt,
    });
    deploy(functionNamed('plan-push-schedule', 'schedule'), planPush.scheduler);
    deploy(functionNamed('plan-push-chunk', 'queue'), planPush.chunkWorker);

    const ruleFailures: Record<string, Queue> = {};
    for (const definition of functionsTriggeredBy('iot-rule')) {
      const { name, trigger } = definition;
      const ruleName = names.topicRule(name);
      const fn = new TopicRuleFunction(this, pascalCase(name), {
        ruleName,
        description: trigger.description,
        sql: trigger.rule.sql,
        handler: handlerPropsOf(definition, context),
      });
      deploy(definition, fn.handler, ruleName);
      ruleFailures[`${camelCase(name)}Failures`] = fn.failures;
    }
    const streams = new Map<string, TopicRuleStream>();
    for (const definition of functionsTriggeredBy('iot-stream')) {
      const { name, trigger } = definition;
      const ruleName = names.topicRule(name);
      const fn = new TopicRuleStream(this, pascalCase(name), {
        ruleName,
        description: trigger.description,
        sql: trigger.rule.sql,
        partitionKeyLevel: trigger.partitionKeyLevel,
        shards: settings.telemetryShards,
        batchSize: trigger.batchSize,
        batchWindowSeconds: trigger.batchWindowSeconds,
        handler: handlerPropsOf(definition, context),
      });
      deploy(definition, fn.handler, ruleName);
      ruleFailures[`${camelCase(name)}Failures`] = fn.failures;
      streams.set(name, fn);
    }
    // The raw report archive: a Direct PUT delivery stream its reader of the telemetry stream puts to.
    const rawReports = new RawReportDelivery(this, 'RawReportDelivery', {
      deliveryStreamName: names.rawReportDelivery,
      siteId: settings.siteId,
      bucketArnExport: stateful.rawReports.bucketArnExport,
      logRetention: context.logRetention,
    });
    for (const definition of functionsTriggeredBy('stream-reader')) {
      const { name, trigger } = definition;
      const stream = streams.get(trigger.stream);
      if (stream === undefined) throw new Error(`${name} reads ${trigger.stream}, which has no stream`);
      const handler = new HandlerFunction(
        this,
        pascalCase(name),
        handlerPropsOf(definition, {
          ...context,
          environment: { ...context.environment, RAW_REPORT_DELIVERY_STREAM: names.rawReportDelivery },
        }),
      );
      stream.addReader(handler, trigger);
      rawReports.grantPutRecords(handler.role);
      deploy(definition, handler);
    }

    const site = new ConsoleSite(this, 'Console', {
      siteId: settings.siteId,
      timezone: settings.site.site.timezone,
      userPool: stateful.userPool,
      signInDomain: stateful.authDomain,
      customDomain:
        settings.consoleDomain === undefined || settings.consoleCertificateArn === undefined
          ? undefined
          : { domainName: settings.consoleDomain, certificateArn: settings.consoleCertificateArn },
      map: { styleUrl: settings.mapStyleUrl, attribution: settings.mapAttribution },
      webAclArn: props.webAclArn,
    });
    const originSecret = new OriginSecret(this, 'OriginSecret');
    const api = new TechnicianApi(this, 'Api', {
      // A change reaching more luminaires than one request can push is queued as plan-push chunks.
      context: {
        ...context,
        environment: {
          ...context.environment,
          PUSH_QUEUE_URL: planPush.workQueue.queueUrl,
          ORIGIN_SECRET: originSecret.value,
        },
      },
      userPool: stateful.userPool,
      clients: [stateful.apiClient, site.client],
    });
    site.serveApi(api.httpApi, originSecret.value);
    planPush.workQueue.grantSendMessages(api.handler.role);
    deploy(functionNamed('api', 'http'), api.handler);

    const alarmNotifications = new AlarmNotifications(this, 'AlarmNotifications', {
      stage: props.stage,
      context,
      alarmEmail: settings.alarmEmail,
    });
    deploy(functionNamed('alarm-sweep', 'schedule'), alarmNotifications.sweep);

    const nightClose = new NightClose(this, 'NightClose', { context, timeZone: settings.site.site.timezone });
    deploy(functionNamed('night-close', 'schedule'), nightClose.handler);

    new Monitoring(this, 'Monitoring', {
      stage: props.stage,
      functions: deployed,
      deadLetterQueues: {
        pushStartFailures: planPush.startFailures,
        pushChunkDeadLetters: planPush.workDeadLetters,
        ...ruleFailures,
        alarmSweepStartFailures: alarmNotifications.startFailures,
        nightCloseStartFailures: nightClose.startFailures,
      },
      reportingRuleName: names.topicRule(fleetReportingFunction().name),
      expectedTelemetryPerHour:
        settings.expectedLuminaires === undefined
          ? undefined
          : (settings.expectedLuminaires * 60) / settings.telemetryIntervalMinutes,
      alarmEmail: settings.alarmEmail,
    });

    new CfnOutput(this, 'ApiUrl', { value: api.httpApi.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: stateful.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: stateful.apiClient.userPoolClientId });
    new CfnOutput(this, 'IotDataEndpointUrl', { value: iot.url });
    new CfnOutput(this, 'ConsoleUrl', { value: site.url });
  }
}
