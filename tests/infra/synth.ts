import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Environment } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { REPO_ROOT } from '#infra/constructs/handler-function.ts';
import { addLightingStages } from '#infra/lighting-app.ts';

/** The context of cdk.json (the example deployment); bundling skipped, so a synth takes seconds. */
export const BASE_CONTEXT: Record<string, unknown> = {
  ...(JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: object }).context,
  'aws:cdk:bundling-stacks': [],
};

export interface Synthesized {
  readonly app: App;
  readonly outdir: string;
  readonly stateful: Template;
  readonly stateless: Template;
  /** cdk-nag's findings, as CDK's policy validation report lists them. */
  readonly violations: unknown[];
}

/** Synthesizes the app (cdk-nag included) for the first stage in the context. */
export function synthesize(context: Record<string, unknown> = {}, env?: Environment): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'lighting-cdk-'));
  const app = new App({ context: { ...BASE_CONTEXT, ...context }, outdir });
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
