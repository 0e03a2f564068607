import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Environment } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { REPO_ROOT } from '#infra/constructs/handler-function.ts';
import { addLightingStages } from '#infra/lighting-app.ts';

/** A deployment's existing CloudFront web ACL, which an environment-agnostic synth needs. */
export const EXISTING_WEB_ACL =
  'arn:aws:wafv2:us-east-1:123456789012:global/webacl/lighting-public/a1b2c3d4-5678-90ab-cdef-111122223333';

const CDK_CONTEXT = {
  ...(JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: object }).context,
  'aws:cdk:bundling-stacks': [],
};

/**
 * The context of cdk.json (the example deployment) with an existing web ACL, as an environment-
 * agnostic synth cannot make its own in us-east-1; bundling skipped, so a synth takes seconds.
 */
export const BASE_CONTEXT: Record<string, unknown> = { ...CDK_CONTEXT, publicWebAclArn: EXISTING_WEB_ACL };

export interface Synthesized {
  readonly app: App;
  readonly outdir: string;
  readonly stateful: Template;
  readonly stateless: Template;
  /** The stage's us-east-1 web ACL stack, made when the region is known and no ACL is given. */
  readonly edge: Template | undefined;
  /** cdk-nag's findings, as CDK's policy validation report lists them. */
  readonly violations: unknown[];
}

/**
 * Synthesizes the app (cdk-nag included) for the first stage in the context; with an environment,
 * without the existing web ACL, so the stage gets its edge stack.
 */
export function synthesize(context: Record<string, unknown> = {}, env?: Environment): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'lighting-cdk-'));
  const app = new App({
    context: { ...(env === undefined ? BASE_CONTEXT : CDK_CONTEXT), ...context },
    outdir,
  });
  const stages = addLightingStages(app, REPO_ROOT, env);
  app.synth();
  const first = Object.values(stages)[0];
  if (first === undefined) throw new Error('no stage synthesized');
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: { violations: unknown[] }[];
  };
  return {
    app,
    outdir,
    stateful: Template.fromStack(first.stateful),
    stateless: Template.fromStack(first.stateless),
    edge: first.edge === undefined ? undefined : Template.fromStack(first.edge),
    violations: report.pluginReports.flatMap((r) => r.violations),
  };
}

/** A resource ARN with intrinsic parts rendered: `{"Ref":"AWS::Region"}` as `<AWS::Region>`. */
export function renderArn(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const join = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join === undefined) return JSON.stringify(resource);
  return join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = (part as { Ref?: string }).Ref;
      return ref === undefined ? JSON.stringify(part) : `<${ref}>`;
    })
    .join(join[0]);
}
