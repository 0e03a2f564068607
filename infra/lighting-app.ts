import { type App, type Environment, Tags, Token, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EdgeStack } from './edge-stack.ts';
import { stageNames } from './names.ts';
import { authDomainPrefix, loadSettings, type Settings, SettingsError } from './settings.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

export interface StageStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
  /** The stage's CloudFront web ACL in us-east-1; absent when the settings name an existing one. */
  readonly edge?: EdgeStack;
}

/**
 * CloudFront takes a web ACL of us-east-1 only: the settings' one, or one of an edge stack there
 * whose ARN CDK carries over to the stage's region, which must then be known.
 */
function webAclOf(app: App, stage: string, settings: Settings, env: Environment | undefined) {
  if (settings.publicWebAclArn !== undefined) return { arn: settings.publicWebAclArn, edge: undefined };
  if (env?.region === undefined || Token.isUnresolved(env.region)) {
    throw new SettingsError([
      'context publicWebAclArn: required when the region is not known (deploy with AWS credentials, or set CDK_DEFAULT_REGION, to get an edge stack in us-east-1)',
    ]);
  }
  const edge = new EdgeStack(app, `${stage}-lighting-edge`, {
    env: { account: env.account, region: 'us-east-1' },
    stage,
    description: `Lighting ${stage}: the console distribution's web ACL (CloudFront needs us-east-1)`,
  });
  return { arn: edge.webAcl.attrArn, edge };
}

/**
 * Adds, for every stage named in the context, a stateful and a stateless stack (named
 * `<stage>-lighting-stateful` / `-stateless`), and runs cdk-nag's AWS Solutions checks on all of
 * them at every synth. Throws SettingsError when the context or the site config is invalid.
 */
export function addLightingStages(app: App, baseDir: string, env?: Environment): Record<string, StageStacks> {
  const settings = loadSettings(app.node, baseDir);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stages: Record<string, StageStacks> = {};
  for (const stage of settings.stages) {
    const names = stageNames(stage);
    const stateful = new StatefulStack(app, `${stage}-lighting-stateful`, {
      env,
      names,
      siteId: settings.siteId,
      site: settings.site,
      authDomainPrefix: authDomainPrefix(settings, stage),
      ...(settings.ledgerWriteCapacity === undefined || settings.ledgerReadCapacity === undefined
        ? {}
        : { ledgerCapacity: { write: settings.ledgerWriteCapacity, read: settings.ledgerReadCapacity } }),
      terminationProtection: true,
      description: `Lighting ${stage}: tables, users, thing groups, device policies (retained)`,
    });
    const webAcl = webAclOf(app, stage, settings, env);
    const stateless = new StatelessStack(app, `${stage}-lighting-stateless`, {
      env,
      crossRegionReferences: webAcl.edge !== undefined,
      webAclArn: webAcl.arn,
      stage,
      names,
      settings,
      stateful,
      description: `Lighting ${stage}: functions, IoT rules, schedule, API, alarms`,
    });
    for (const stack of [stateful, stateless, ...(webAcl.edge === undefined ? [] : [webAcl.edge])]) {
      Tags.of(stack).add('project', 'lighting');
      Tags.of(stack).add('stage', stage);
      Tags.of(stack).add('site', settings.siteId);
    }
    stages[stage] = { stateful, stateless, ...(webAcl.edge === undefined ? {} : { edge: webAcl.edge }) };
  }
  return stages;
}
