import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ORIGIN_SECRET_HEADER } from '#functions/api/router.ts';
import { REPO_ROOT } from '#infra/constructs/handler-function.ts';
import { WAF_RATE_LIMITS } from '#infra/edge-stack.ts';
import { addLightingStages } from '#infra/lighting-app.ts';
import { SettingsError } from '#infra/settings.ts';
import { BASE_CONTEXT, EXISTING_WEB_ACL, synthesize } from './synth.ts';

type Resource = { Properties: Record<string, unknown> };
const resources = (template: { findResources(type: string): Record<string, unknown> }, type: string) =>
  Object.values(template.findResources(type)) as Resource[];
const distributionOf = (template: Parameters<typeof resources>[0]) =>
  (resources(template, 'AWS::CloudFront::Distribution')[0] as Resource).Properties.DistributionConfig as {
    WebACLId: unknown;
    Origins: { Id: string; OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[] }[];
  };

const regional = synthesize({}, { account: '123456789012', region: 'eu-west-3' });
const agnostic = synthesize();

describe('the public routes on AWS: a web ACL in us-east-1 on the distribution', () => {
  it('puts the web ACL of scope CLOUDFRONT in a us-east-1 stack of the stage, cdk-nag clean', () => {
    expect(regional.edge).toBeDefined();
    const stacks = regional.app.node.children.filter((c) => c.node.id.endsWith('-lighting-edge'));
    expect(stacks.map((s) => (s as unknown as { region: string }).region)).toEqual(['us-east-1']);
    expect(regional.violations).toEqual([]);
  });

  it('limits fault reports per address with a rate-based rule answering 429', () => {
    const [acl] = resources(regional.edge as NonNullable<typeof regional.edge>, 'AWS::WAFv2::WebACL');
    expect(acl?.Properties.Scope).toBe('CLOUDFRONT');
    const rules = acl?.Properties.Rules as {
      Name: string;
      Action: { Block: { CustomResponse: { ResponseCode: number } } };
      Statement: {
        RateBasedStatement: { AggregateKeyType: string; Limit: number; ScopeDownStatement: unknown };
      };
    }[];
    const reports = rules.find((r) => r.Name === 'fault-reports-per-address');
    expect(reports?.Action.Block.CustomResponse.ResponseCode).toBe(429);
    expect(reports?.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'IP', Limit: 10 });
    const scope = JSON.stringify(reports?.Statement.RateBasedStatement.ScopeDownStatement);
    expect(scope).toContain('"SearchString":"/api/public/fault-reports"');
    expect(scope).toContain('"SearchString":"POST"');
    expect(rules.map((r) => r.Name)).toEqual(WAF_RATE_LIMITS.map((r) => r.name));
  });

  it("attaches the edge stack's ACL to the stage's distribution across regions", () => {
    expect(JSON.stringify(distributionOf(regional.stateless).WebACLId)).toMatch(/ExportsReader/);
  });

  it('attaches an existing ACL the settings name, without an edge stack', () => {
    expect(agnostic.edge).toBeUndefined();
    expect(distributionOf(agnostic.stateless).WebACLId).toBe(EXISTING_WEB_ACL);
  });

  it('refuses a synth that can make no ACL: region unknown and none named', () => {
    const app = new App({ context: { ...BASE_CONTEXT, publicWebAclArn: undefined } });
    expect(() => addLightingStages(app, REPO_ROOT)).toThrow(SettingsError);
    const named = new App({
      context: { ...BASE_CONTEXT, publicWebAclArn: 'arn:aws:wafv2:eu-west-3:1:regional/x' },
    });
    expect(() => addLightingStages(named, REPO_ROOT)).toThrow(/context publicWebAclArn/);
  });
});

describe('the execute-api address is of no use without the distribution', () => {
  it('sends the generated secret from CloudFront and requires the same one in the API function', () => {
    const { stateless } = agnostic;
    const [secret] = Object.keys(stateless.findResources('AWS::SecretsManager::Secret'));
    expect(secret).toBeDefined();
    const sent = distributionOf(stateless)
      .Origins.flatMap((o) => o.OriginCustomHeaders ?? [])
      .filter((h) => h.HeaderName === ORIGIN_SECRET_HEADER);
    expect(sent).toHaveLength(1);
    const value = JSON.stringify(sent[0]?.HeaderValue);
    expect(value).toContain(`{"Ref":"${secret}"}`);
    expect(value).toContain('resolve:secretsmanager');
    const variables = resources(stateless, 'AWS::Lambda::Function')
      .map(
        (fn) => (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables,
      )
      .find((v) => v?.AUTH_JWKS_URL !== undefined);
    expect(JSON.stringify(variables?.ORIGIN_SECRET)).toBe(value);
  });
});
