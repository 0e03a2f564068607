import { App } from 'aws-cdk-lib';
import { REPO_ROOT } from './constructs/handler-function.ts';
import { addLightingStages } from './lighting-app.ts';
import { SettingsError } from './settings.ts';

/**
 * The CDK app (cdk.json: `npx tsx infra/app.ts`). Stages and the site come from context:
 *   npx cdk deploy --all -c stage=test,prod -c siteConfig=examples/carcassonne/config.json
 */
const app = new App();
try {
  addLightingStages(app, REPO_ROOT, {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  });
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
