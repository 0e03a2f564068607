import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { RuntimeConfig } from '#console/src/runtime-config.ts';
import {
  contentSecurityPolicy,
  PUBLIC_API_HEADERS,
  publicApiCode,
  stripPrefixCode,
} from '#infra/constructs/console-site.ts';
import { synthesize } from './synth.ts';

const CUSTOM = {
  consoleDomain: 'eclairage.carcassonne.example',
  consoleCertificateArn:
    'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789012',
  mapStyleUrl: 'https://tiles.example.fr/styles/plan.json',
  mapAttribution: '© OpenStreetMap',
};
const plain = synthesize();
const custom = synthesize(CUSTOM);
const { stateless, stateful } = plain;

type Resource = { Properties: Record<string, unknown> };
const only = (template: typeof stateless, type: string): Resource => {
  const found = Object.values(template.findResources(type));
  expect(found, type).toHaveLength(1);
  return found[0] as Resource;
};
const logicalIdOf = (template: typeof stateless, type: string, prefix: string): string => {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids, `${type} ${prefix}`).toHaveLength(1);
  return ids[0] as string;
};
const filesBucket = logicalIdOf(stateless, 'AWS::S3::Bucket', 'ConsoleFiles');
const consoleClient = logicalIdOf(stateless, 'AWS::Cognito::UserPoolClient', 'ConsoleClient');
const distribution = logicalIdOf(stateless, 'AWS::CloudFront::Distribution', 'ConsoleDistribution');
type DistributionConfig = {
  Origins: {
    Id: string;
    DomainName: unknown;
    OriginAccessControlId?: unknown;
    CustomOriginConfig?: unknown;
  }[];
  DefaultCacheBehavior: Record<string, unknown>;
  CacheBehaviors: Record<string, unknown>[];
  ViewerCertificate?: Record<string, unknown>;
  Aliases?: string[];
};
const configOf = (template: typeof stateless): DistributionConfig =>
  only(template, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as DistributionConfig;
const cspOf = (template: typeof stateless): string => {
  const policy = only(template, 'AWS::CloudFront::ResponseHeadersPolicy').Properties
    .ResponseHeadersPolicyConfig as {
    SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: unknown } };
  };
  return JSON.stringify(policy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
};

/** The CloudFront Function whose code this is. */
const edgeFunction = (code: string): Record<string, unknown> => {
  const found = Object.values(stateless.findResources('AWS::CloudFront::Function')).find(
    (f) => (f as Resource).Properties.FunctionCode === code,
  ) as Resource | undefined;
  expect(found, code).toBeDefined();
  return (found as Resource).Properties;
};

/** The BucketDeployment of one part of the console (`ConsoleAssets`, `ConsoleEntry`). */
const deploymentOf = (template: typeof stateless, prefix: string): Resource & { DependsOn?: string[] } => {
  const found = Object.entries(template.findResources('Custom::CDKBucketDeployment')).find(([id]) =>
    id.startsWith(prefix),
  );
  if (found === undefined) throw new Error(`no ${prefix} deployment`);
  return found[1] as Resource & { DependsOn?: string[] };
};

/** The managed cache and origin request policies this app relies on (CloudFront's fixed ids). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

describe('console site: files', () => {
  it('keeps the console in a private, encrypted, TLS-only bucket that only the distribution reads', () => {
    stateless.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.anyValue(),
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'console-bucket/' }),
    });
    const policy = Object.values(stateless.findResources('AWS::S3::BucketPolicy')).find(
      (p) => JSON.stringify((p as Resource).Properties.Bucket) === JSON.stringify({ Ref: filesBucket }),
    ) as Resource;
    const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
    });
    expect(JSON.stringify(allows[0])).toContain(distribution);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('reaches the bucket through an origin access control that signs every request', () => {
    stateless.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    const config = configOf(stateless);
    const s3 = config.Origins.find((o) => JSON.stringify(o.DomainName).includes(filesBucket));
    expect(s3?.OriginAccessControlId).toBeDefined();
    expect(config.DefaultCacheBehavior).toMatchObject({
      TargetOriginId: s3?.Id,
      ViewerProtocolPolicy: 'redirect-to-https',
      CachePolicyId: CACHING_OPTIMIZED,
    });
  });

  it('uploads hashed files as immutable, then index.html and config.json to be revalidated', () => {
    const assets = deploymentOf(stateless, 'ConsoleAssets');
    const entry = deploymentOf(stateless, 'ConsoleEntry');
    expect(assets.Properties).toMatchObject({
      Exclude: ['index.html', 'config.json'],
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
      Prune: false,
    });
    expect(entry.Properties).toMatchObject({
      Include: ['index.html', 'config.json'],
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    expect(entry.DependsOn?.some((id) => id.startsWith('ConsoleAssets'))).toBe(true);
  });
});

/** config.json as the deployment writes it, deploy-time values substituted by sample ones. */
function deployedConfig(synthesized: typeof plain, values: string[]): unknown {
  const key = (
    deploymentOf(synthesized.stateless, 'ConsoleEntry').Properties.SourceObjectKeys as string[]
  )[1] as string;
  const text = readFileSync(
    join(synthesized.outdir, `asset.${key.replace(/\.zip$/, '')}`, 'config.json'),
    'utf8',
  );
  return JSON.parse(text.replace(/<<marker:0xbaba:(\d+)>>/g, (_, i: string) => values[Number(i)] ?? '?'));
}

describe('console site: config.json', () => {
  it('is a valid runtime config naming the API path, the site, its zone and the Cognito client', () => {
    const markers = deploymentOf(stateless, 'ConsoleEntry').Properties.SourceMarkers as Record<
      string,
      unknown
    >[];
    // What each marker stands for: the sign-in domain prefix, the region, the client id, the distribution's host.
    expect(Object.values(markers[1] ?? {}).map((v) => JSON.stringify(v))).toEqual([
      expect.stringContaining('UsersSignIn'),
      JSON.stringify({ Ref: 'AWS::Region' }),
      JSON.stringify({ Ref: consoleClient }),
      expect.stringContaining(distribution),
      expect.stringContaining(distribution),
    ]);
    const config = RuntimeConfig.parse(
      deployedConfig(plain, [
        'lighting-test-carcassonne',
        'eu-west-3',
        'client123',
        'd1.cloudfront.net',
        'd1.cloudfront.net',
      ]),
    );
    expect(config).toEqual({
      apiBase: '/api',
      siteId: 'carcassonne',
      timezone: 'Europe/Paris',
      auth: {
        kind: 'cognito',
        domain: 'https://lighting-test-carcassonne.auth.eu-west-3.amazoncognito.com',
        clientId: 'client123',
        redirectUri: 'https://d1.cloudfront.net/',
        logoutUri: 'https://d1.cloudfront.net/',
      },
      map: {},
    });
  });

  it("carries the deployment's map style and attribution, and the custom domain as callback", () => {
    const config = RuntimeConfig.parse(deployedConfig(custom, ['prefix', 'eu-west-3', 'client123']));
    expect(config.map).toEqual({ styleUrl: CUSTOM.mapStyleUrl, attribution: CUSTOM.mapAttribution });
    expect(config.auth).toMatchObject({
      redirectUri: `https://${CUSTOM.consoleDomain}/`,
      logoutUri: `https://${CUSTOM.consoleDomain}/`,
    });
  });
});

describe('console site: security headers', () => {
  it('sends a CSP without inline scripts or styles, allowing the Cognito domain and forbidding framing', () => {
    const csp = cspOf(stateless);
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toMatch(
      /connect-src 'self' https:\/\/",\{"Fn::ImportValue":"[^"]*UsersSignIn[^"]*"\},"\.auth\./,
    );
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
  });

  it('adds the map style origin to what the page may load when one is set', () => {
    expect(cspOf(custom.stateless)).toContain('https://tiles.example.fr; worker-src');
    expect(contentSecurityPolicy('https://signin.example', CUSTOM.mapStyleUrl)).toContain(
      "connect-src 'self' https://signin.example https://tiles.example.fr;",
    );
  });

  it('sends HSTS for two years, nosniff, no framing, a referrer policy and geolocation for the site only on every answer', () => {
    stateless.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: {
          StrictTransportSecurity: {
            AccessControlMaxAgeSec: 63_072_000,
            IncludeSubdomains: true,
            Override: true,
          },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
        },
        CustomHeadersConfig: {
          Items: Match.arrayWith([
            {
              Header: 'Permissions-Policy',
              Value: 'camera=(), microphone=(), geolocation=(self)',
              Override: true,
            },
          ]),
        },
      },
    });
    const config = configOf(stateless);
    const policy = config.DefaultCacheBehavior.ResponseHeadersPolicyId;
    expect(policy).toBeDefined();
    expect(
      config.CacheBehaviors.every(
        (b) => JSON.stringify(b.ResponseHeadersPolicyId) === JSON.stringify(policy),
      ),
    ).toBe(true);
  });
});

describe('console site: the API behind the same distribution', () => {
  it('sends /api/* to the HTTP API over TLS 1.2, uncached, every method, every viewer header but Host', () => {
    const config = configOf(stateless);
    expect(config.CacheBehaviors.map((b) => b.PathPattern)).toEqual(['/api/public/*', '/api/*']);
    const api = config.CacheBehaviors[1] as Record<string, unknown>;
    expect(api).toMatchObject({
      PathPattern: '/api/*',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      ViewerProtocolPolicy: 'https-only',
      FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: expect.anything() }],
    });
    const origin = config.Origins.find((o) => o.Id === api.TargetOriginId);
    expect(origin?.CustomOriginConfig).toEqual({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    const httpApi = logicalIdOf(stateless, 'AWS::ApiGatewayV2::Api', 'ApiHttp');
    expect(JSON.stringify(origin?.DomainName)).toContain(`{"Ref":"${httpApi}"},".execute-api."`);
  });

  it('strips /api before the API, whose routes have no prefix', () => {
    const fn = edgeFunction(stripPrefixCode('/api'));
    expect(fn.FunctionConfig).toMatchObject({ Runtime: 'cloudfront-js-2.0' });
    const handler = new Function(`${fn.FunctionCode}; return handler;`)() as (event: unknown) => {
      uri: string;
    };
    const uri = (path: string) => handler({ request: { uri: path, method: 'GET' } }).uri;
    expect(uri('/api/profiles/residential')).toBe('/profiles/residential');
    expect(uri('/api/')).toBe('/');
    expect(uri('/api')).toBe('/');
  });

  it('caches /api/public/* by query string for what the API says, forwarding no token or cookie', () => {
    const behaviour = configOf(stateless).CacheBehaviors[0] as Record<string, unknown>;
    expect(behaviour).toMatchObject({ ViewerProtocolPolicy: 'https-only' });
    const [cache] = Object.values(stateless.findResources('AWS::CloudFront::CachePolicy')) as Resource[];
    expect(cache?.Properties.CachePolicyConfig).toMatchObject({
      MinTTL: 0,
      MaxTTL: 86_400,
      ParametersInCacheKeyAndForwardedToOrigin: {
        QueryStringsConfig: { QueryStringBehavior: 'all' },
        HeadersConfig: { HeaderBehavior: 'none' },
        CookiesConfig: { CookieBehavior: 'none' },
      },
    });
    const [request] = Object.values(
      stateless.findResources('AWS::CloudFront::OriginRequestPolicy'),
    ) as Resource[];
    const headers = (
      (request as Resource).Properties.OriginRequestPolicyConfig as { HeadersConfig: { Headers: string[] } }
    ).HeadersConfig.Headers;
    expect(headers).toEqual(PUBLIC_API_HEADERS);
    expect(headers).not.toContain('authorization');
  });

  it("names the viewer's host and address for the public API over whatever the viewer sent", () => {
    const fn = edgeFunction(publicApiCode('/api'));
    const handler = new Function(`${fn.FunctionCode}; return handler;`)() as (event: unknown) => {
      uri: string;
      headers: Record<string, { value: string }>;
    };
    const request = handler({
      viewer: { ip: '198.51.100.7' },
      request: {
        uri: '/api/public/schedules',
        headers: { host: { value: 'lumiere.example.fr' }, 'x-viewer-address': { value: '10.0.0.1' } },
      },
    });
    expect(request.uri).toBe('/public/schedules');
    expect(request.headers['x-viewer-address']).toEqual({ value: '198.51.100.7' });
    expect(request.headers['x-forwarded-host']).toEqual({ value: 'lumiere.example.fr' });
  });

  it('opens the public routes without the authorizer, each under its own throttle', () => {
    const routes = Object.values(stateless.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => (r as Resource).Properties,
    );
    const open = routes.filter((r) => r.AuthorizationType === 'NONE').map((r) => r.RouteKey);
    expect(open.sort()).toEqual(['GET /public/{proxy+}', 'POST /public/fault-reports']);
    expect(routes.find((r) => r.RouteKey === '$default')?.AuthorizationType).toBe('JWT');
    const stage = Object.values(stateless.findResources('AWS::ApiGatewayV2::Stage'))[0] as Resource;
    expect(stage.Properties.RouteSettings).toEqual({
      'GET /public/{proxy+}': { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      'POST /public/fault-reports': { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 5 },
    });
  });

  it('accepts ID tokens of the CLI client and of the console client, at the gateway and in the function', () => {
    const authorizer = only(stateless, 'AWS::ApiGatewayV2::Authorizer').Properties as {
      JwtConfiguration: { Audience: unknown[] };
    };
    expect(authorizer.JwtConfiguration.Audience).toHaveLength(2);
    expect(authorizer.JwtConfiguration.Audience).toContainEqual({ Ref: consoleClient });
    const api = Object.values(stateless.findResources('AWS::Lambda::Function')).find(
      (f) =>
        (f as Resource & { Properties: { Environment?: { Variables: Record<string, unknown> } } }).Properties
          .Environment?.Variables.POWERTOOLS_SERVICE_NAME === 'api',
    ) as { Properties: { Environment: { Variables: Record<string, unknown> } } };
    expect(api.Properties.Environment.Variables.AUTH_AUDIENCE).toEqual({
      'Fn::Join': [
        '',
        [expect.objectContaining({ 'Fn::ImportValue': expect.any(String) }), ',', { Ref: consoleClient }],
      ],
    });
  });
});

describe('console site: sign-in', () => {
  it('gives the user pool a managed-login domain named after the stage and the site', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'lighting-test-carcassonne',
      ManagedLoginVersion: 2,
    });
  });

  it('signs the console in with the authorization code flow only, no secret, back to the distribution', () => {
    const client = stateless.findResources('AWS::Cognito::UserPoolClient')[consoleClient] as Resource;
    const url = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }, '/']] };
    expect(client.Properties).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: expect.arrayContaining(['openid']),
      GenerateSecret: false,
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [url],
      LogoutURLs: [url],
      EnableTokenRevocation: true,
      ReadAttributes: expect.arrayContaining(['custom:zones']),
    });
    stateless.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      ClientId: { Ref: consoleClient },
      UseCognitoProvidedValues: true,
    });
  });
});

describe('console site: custom domain', () => {
  it('serves the custom domain with its certificate and TLS 1.2 or newer, cdk-nag clean without acknowledging CFR4', () => {
    const config = configOf(custom.stateless);
    expect(config.Aliases).toEqual([CUSTOM.consoleDomain]);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: CUSTOM.consoleCertificateArn,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(custom.violations).toEqual([]);
    const acknowledged = custom.app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((m) => Object.keys(m.data as Record<string, string>));
    expect(acknowledged).not.toContain('AwsSolutions-CFR4');
    expect(plain.violations).toEqual([]);
  });
});
