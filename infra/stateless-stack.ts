import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { MAIN_TABLE, TELEMETRY_TABLE } from '../functions/store/table-definitions.ts';
import { PRESENCE_RULE_SQL, TELEMETRY_RULE_SQL } from '../protocol/iot-rules.ts';
import { BOOST_SHADOW, PLAN_SHADOW } from '../protocol/topics.ts';
import { AlarmNotifications } from './constructs/alarm-notifications.ts';
import { ConsoleSite } from './constructs/console-site.ts';
import { grantShadows, grantTable } from './constructs/grants.ts';
import { IotDataEndpoint } from './constructs/iot-data-endpoint.ts';
import { Monitoring, metricsNamespace } from './constructs/monitoring.ts';
import { PlanPush } from './constructs/plan-push.ts';
import { TechnicianApi } from './constructs/technician-api.ts';
import { TopicRuleFunction } from './constructs/topic-rule-function.ts';
import type { StageNames } from './names.ts';
import type { Settings } from './settings.ts';
import type { StatefulStack } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  readonly stage: string;
  readonly names: StageNames;
  readonly settings: Settings;
  readonly stateful: StatefulStack;
}

const SHADOW_READ = 'iot:GetThingShadow';
const SHADOW_WRITE = 'iot:UpdateThingShadow';

/**
 * The code: functions, queues, IoT rules, the schedule, the API, alarms. Replaced freely on every
 * deploy; its data lives in the stateful stack.
 */
export class StatelessStack extends Stack {
  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { settings, stateful, names } = props;
    const { main, telemetry } = stateful.tables;
    const logging = {
      logRetention: settings.logRetentionDays as RetentionDays,
      logLevel: settings.logLevel,
    };
    const iot = new IotDataEndpoint(this, 'IotDataEndpoint', settings.iotDataEndpoint);
    const environment = {
      TABLE_NAME: main.tableName,
      TELEMETRY_TABLE_NAME: telemetry.tableName,
      SITE_ID: settings.siteId,
      IOT_DATA_ENDPOINT: iot.url,
    };

    const planPush = new PlanPush(this, 'PlanPush', {
      ...logging,
      environment,
      timeZone: settings.site.site.timezone,
      pushAt: settings.pushAt,
      concurrency: settings.pushConcurrency,
    });
    grantTable(planPush.scheduler.role, main, MAIN_TABLE, 'readWrite');
    grantTable(planPush.chunkWorker.role, main, MAIN_TABLE, 'readWrite');
    grantShadows(planPush.chunkWorker.role, [SHADOW_READ, SHADOW_WRITE], { shadow: PLAN_SHADOW });

    const presence = new TopicRuleFunction(this, 'Presence', {
      ruleName: names.presenceRule,
      description: 'Presence detections to the presence function (boosts nearby luminaires)',
      sql: PRESENCE_RULE_SQL,
      handler: {
        ...logging,
        entry: 'functions/presence/handler.ts',
        serviceName: 'presence',
        environment,
        timeout: Duration.seconds(30),
        // Boosts share the shadow quota with the plan push: a crowd must not take it all.
        reservedConcurrentExecutions: settings.presenceConcurrency,
        // A boost delivered minutes late lights an empty street: drop it instead.
        maxEventAge: Duration.minutes(2),
        retryAttempts: 1,
      },
    });
    grantTable(presence.handler.role, main, MAIN_TABLE, 'readWrite');
    grantShadows(presence.handler.role, [SHADOW_READ, SHADOW_WRITE], { shadow: BOOST_SHADOW });

    const telemetryIngest = new TopicRuleFunction(this, 'Telemetry', {
      ruleName: names.telemetryRule,
      description: 'Luminaire telemetry to the ingest function (energy, faults, rollups)',
      sql: TELEMETRY_RULE_SQL,
      handler: {
        ...logging,
        entry: 'functions/telemetry/handler.ts',
        serviceName: 'telemetry',
        environment: { ...environment, POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(props.stage) },
        timeout: Duration.seconds(30),
        // Energy comes from cumulative counters, so a late report is still worth storing.
        maxEventAge: Duration.hours(6),
        retryAttempts: 2,
      },
    });
    grantTable(telemetryIngest.handler.role, main, MAIN_TABLE, 'readWrite');
    grantTable(telemetryIngest.handler.role, telemetry, TELEMETRY_TABLE, 'readWrite');

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
    });
    const api = new TechnicianApi(this, 'Api', {
      ...logging,
      // A change reaching more luminaires than one request can push is queued as plan-push chunks.
      environment: { ...environment, PUSH_QUEUE_URL: planPush.workQueue.queueUrl },
      userPool: stateful.userPool,
      clients: [stateful.apiClient, site.client],
    });
    site.serveApi(api.httpApi);
    planPush.workQueue.grantSendMessages(api.handler.role);
    grantTable(api.handler.role, main, MAIN_TABLE, 'readWrite');
    grantTable(api.handler.role, telemetry, TELEMETRY_TABLE, 'read');
    // Live state (classic shadow), plan and boost of any luminaire; a change re-pushes the affected plans.
    grantShadows(api.handler.role, [SHADOW_READ], 'anyShadow');
    grantShadows(api.handler.role, [SHADOW_WRITE], { shadow: PLAN_SHADOW });

    const alarmNotifications = new AlarmNotifications(this, 'AlarmNotifications', {
      ...logging,
      stage: props.stage,
      environment,
      alarmEmail: settings.alarmEmail,
    });
    grantTable(alarmNotifications.sweep.role, main, MAIN_TABLE, 'readWrite');
    // A drifting plan is pushed again.
    grantShadows(alarmNotifications.sweep.role, [SHADOW_WRITE], { shadow: PLAN_SHADOW });

    new Monitoring(this, 'Monitoring', {
      stage: props.stage,
      functions: {
        schedule: planPush.scheduler,
        chunk: planPush.chunkWorker,
        presence: presence.handler,
        telemetry: telemetryIngest.handler,
        api: api.handler,
        alarmSweep: alarmNotifications.sweep,
      },
      pushFunctions: [planPush.scheduler, planPush.chunkWorker],
      ingestFunctions: [presence.handler, telemetryIngest.handler],
      pushWorker: planPush.chunkWorker,
      deadLetterQueues: {
        pushStartFailures: planPush.startFailures,
        pushChunkDeadLetters: planPush.workDeadLetters,
        presenceFailures: presence.failures,
        telemetryFailures: telemetryIngest.failures,
        alarmSweepStartFailures: alarmNotifications.startFailures,
      },
      ruleNames: { presence: names.presenceRule, telemetry: names.telemetryRule },
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
