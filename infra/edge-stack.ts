import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/** Requests one address may send in 5 minutes (WAF's window), per path under the distribution. */
export const WAF_RATE_LIMITS = [
  // Five reports an hour pass the function's own limit; a burst past 10 in 5 minutes is a script.
  { name: 'fault-reports-per-address', path: '/api/public/fault-reports', method: 'POST', limit: 10 },
  // A harvester reading the whole catalogue and a resident paging through streets stay far below.
  { name: 'public-reads-per-address', path: '/api/public/', method: 'GET', limit: 600 },
] as const;

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

/** A byte match on the request's path (`STARTS_WITH`) or method (`EXACTLY`), untransformed. */
const byteMatch = (
  field: 'uriPath' | 'method',
  constraint: 'STARTS_WITH' | 'EXACTLY',
  searchString: string,
): CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch: { [field]: {} },
    positionalConstraint: constraint,
    searchString,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});

/**
 * What CloudFront's web ACL must live in: us-east-1, whatever the stage's region (ADR 0019). The
 * stage's distribution takes the ACL's ARN through CDK's cross-region references. It holds a
 * rate-based rule per address for the public routes, which answers 429 before CloudFront's cache
 * or the API, so a flood of fault reports from one address costs no function run.
 */
export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: StackProps & { readonly stage: string }) {
    super(scope, id, props);
    this.webAcl = new CfnWebACL(this, 'PublicWebAcl', {
      scope: 'CLOUDFRONT',
      description: `Lighting ${props.stage}: per-address limits of the public routes`,
      defaultAction: { allow: {} },
      customResponseBodies: {
        'too-many-requests': {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            type: 'urn:lumen-city:problem:too-many-requests',
            title: 'Too Many Requests',
            status: 429,
            detail: 'too many requests from this address; retry in a few minutes',
          }),
        },
      },
      visibilityConfig: visibility(`lighting-${props.stage}-public`),
      rules: WAF_RATE_LIMITS.map((rule, priority) => ({
        name: rule.name,
        priority,
        action: {
          block: {
            customResponse: {
              responseCode: 429,
              customResponseBodyKey: 'too-many-requests',
              responseHeaders: [{ name: 'retry-after', value: '300' }],
            },
          },
        },
        statement: {
          rateBasedStatement: {
            aggregateKeyType: 'IP',
            evaluationWindowSec: 300,
            limit: rule.limit,
            scopeDownStatement: {
              andStatement: {
                statements: [
                  byteMatch('uriPath', 'STARTS_WITH', rule.path),
                  byteMatch('method', 'EXACTLY', rule.method),
                ],
              },
            },
          },
        },
        visibilityConfig: visibility(`lighting-${props.stage}-${rule.name}`),
      })),
    });
  }
}
