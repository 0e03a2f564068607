import { topicRuleName } from '#protocol/topics.ts';

/**
 * Physical names shared by the CDK app and the `lighting provision` command, so that a thing
 * registered by the command lands in the group and gets the policy the stack created.
 * Thing groups, IoT policies and topic rules are account-wide names: the stage keeps a test and a
 * production deployment apart in one account.
 */
export interface StageNames {
  readonly luminaireGroup: string;
  readonly sensorGroup: string;
  readonly luminairePolicy: string;
  readonly sensorPolicy: string;
  /** The topic rule that triggers a function of the registry (functions/registry.ts), by its name. */
  readonly topicRule: (functionName: string) => string;
  /** The Firehose delivery stream archiving raw telemetry reports in S3 (ADR 0013). */
  readonly rawReportDelivery: string;
  /** The Glue database of the raw report table (Glue names: lower case, underscores). */
  readonly rawReportDatabase: string;
  /** The Athena work group analysts query raw reports in. */
  readonly analyticsWorkGroup: string;
}

export function stageNames(stage: string): StageNames {
  return {
    luminaireGroup: `lighting-${stage}-luminaires`,
    sensorGroup: `lighting-${stage}-sensors`,
    luminairePolicy: `lighting-${stage}-luminaire`,
    sensorPolicy: `lighting-${stage}-sensor`,
    topicRule: (functionName) => topicRuleName(stage, functionName),
    rawReportDelivery: `lighting-${stage}-raw-telemetry`,
    rawReportDatabase: `lighting_${stage.replaceAll('-', '_')}_raw`,
    analyticsWorkGroup: `lighting-${stage}-analytics`,
  };
}

/** Stage names become part of stack, group, policy and rule names: keep them short and plain. */
export const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;
