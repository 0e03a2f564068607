import { type App, type Environment, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageNames } from './names.ts';
import { authDomainPrefix, loadSettings } from './settings.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

export interface StageStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
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
      terminationProtection: true,
      description: `Lighting ${stage}: tables, users, thing groups, device policies (retained)`,
    });
    const stateless = new StatelessStack(app, `${stage}-lighting-stateless`, {
      env,
      stage,
      names,
      settings,
      stateful,
      description: `Lighting ${stage}: functions, IoT rules, schedule, API, alarms`,
    });
    for (const stack of [stateful, stateless]) {
      Tags.of(stack).add('project', 'lighting');
      Tags.of(stack).add('stage', stage);
      Tags.of(stack).add('site', settings.siteId);
    }
    stages[stage] = { stateful, stateless };
  }
  return stages;
}
