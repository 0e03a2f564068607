import { telemetryRuleName } from '../protocol/topics.ts';

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
  readonly presenceRule: string;
  readonly telemetryRule: string;
}

export function stageNames(stage: string): StageNames {
  const rulePrefix = `lighting_${stage.replaceAll('-', '_')}`;
  return {
    luminaireGroup: `lighting-${stage}-luminaires`,
    sensorGroup: `lighting-${stage}-sensors`,
    luminairePolicy: `lighting-${stage}-luminaire`,
    sensorPolicy: `lighting-${stage}-sensor`,
    presenceRule: `${rulePrefix}_presence`,
    telemetryRule: telemetryRuleName(stage),
  };
}

/** Stage names become part of stack, group, policy and rule names: keep them short and plain. */
export const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;
