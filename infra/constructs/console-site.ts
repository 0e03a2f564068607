import { execFileSync } from 'node:child_process';
import {
  AssetHashType,
  DefaultStackSynthesizer,
  DockerImage,
  Duration,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  CfnManagedLoginBranding,
  ClientAttributes,
  OAuthScope,
  type UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { ORIGIN_SECRET_HEADER } from '#functions/api/router.ts';
import { REPO_ROOT } from './handler-function.ts';

/** Where CloudFront sends the API, and the prefix it strips before the HTTP API's routes. */
export const API_PATH = '/api';

export interface ConsoleSiteProps {
  readonly siteId: string;
  readonly timezone: string;
  readonly userPool: UserPool;
  readonly signInDomain: UserPoolDomain;
  /** A custom domain for the console; without one it is served at the distribution's own domain. */
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
  /** A tile/style URL the map loads (its origin is allowed by the CSP), with its attribution. */
  readonly map: { readonly styleUrl?: string; readonly attribution?: string };
  /** The web ACL (us-east-1) limiting the public routes per address before anything else runs. */
  readonly webAclArn: string;
}

/**
 * The web console: its built files in a private bucket behind CloudFront (origin access control),
 * security headers on every answer, the HTTP API behind the same distribution at `/api/*` (one
 * origin, no CORS), the Cognito app client the console signs in with (authorization code + PKCE,
 * no secret), and the `config.json` the console reads at start.
 */
export class ConsoleSite extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly client: UserPoolClient;
  /** `https://<host>/`: the console's address, its sign-in callback and sign-out target. */
  readonly url: string;
  private readonly headers: ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logs are written with ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the server access logs of the console bucket and the CloudFront logs; logging its own accesses into itself would log every log delivery, endlessly.',
    });
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'console-bucket/',
      // Only build output lives here: the deployments below empty it when the stack goes.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const signIn = props.signInDomain.baseUrl();
    this.headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Console: CSP without inline scripts or styles, HSTS, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(signIn, props.map.styleUrl),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: [
          // The fault form's "use my location" asks for the position after the resident's click.
          {
            header: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(self)',
            override: true,
          },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    const custom = props.customDomain;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Lighting console (${props.siteId})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      ...(custom === undefined
        ? {}
        : {
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
            domainNames: [custom.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', custom.certificateArn),
          }),
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    if (custom === undefined) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          "Without the consoleDomain context the console is served at the distribution's cloudfront.net name, whose default certificate CloudFront does not let a viewer policy restrict to TLS 1.2; set consoleDomain and consoleCertificateArn to get TLSv1.2_2021.",
      });
    }
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        "The console's users are a municipality's staff; restricting countries would lock out staff travelling, and the API behind it requires a Cognito token anyway.",
    });

    this.url = `https://${custom?.domainName ?? this.distribution.distributionDomainName}/`;
    this.client = new UserPoolClient(this, 'Client', {
      userPool: props.userPool,
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [this.url],
        logoutUrls: [this.url],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // Tokens live in the page's memory: a reload signs in again, a shift needs no more.
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('zones'),
      writeAttributes: new ClientAttributes(),
    });
    // Managed login (the newer one) shows a client's pages only once it has a style.
    new CfnManagedLoginBranding(this, 'SignInStyle', {
      userPoolId: props.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    this.deployFiles({
      apiBase: API_PATH,
      siteId: props.siteId,
      timezone: props.timezone,
      auth: {
        kind: 'cognito',
        domain: signIn,
        clientId: this.client.userPoolClientId,
        redirectUri: this.url,
        logoutUri: this.url,
      },
      map: {
        ...(props.map.styleUrl === undefined ? {} : { styleUrl: props.map.styleUrl }),
        ...(props.map.attribution === undefined ? {} : { attribution: props.map.attribution }),
      },
    });
  }

  /**
   * Serves the HTTP API at `/api/*`: nothing cached, every method, every viewer header but Host
   * (so the bearer token reaches the authorizer), `/api` stripped before the origin, and the
   * origin secret the API requires added to every request.
   */
  serveApi(httpApi: HttpApi, originSecret: string): void {
    const stack = Stack.of(this);
    const origin = new HttpOrigin(`${httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      customHeaders: { [ORIGIN_SECRET_HEADER]: originSecret },
    });
    const stripPrefix = new EdgeFunction(this, 'StripApiPrefix', {
      comment: `Removes ${API_PATH} before the HTTP API, whose routes have no prefix`,
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(stripPrefixCode(API_PATH)),
    });
    this.servePublicApi(origin);
    this.distribution.addBehavior(`${API_PATH}/*`, origin, {
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.headers,
      functionAssociations: [{ function: stripPrefix, eventType: FunctionEventType.VIEWER_REQUEST }],
    });
  }

  /**
   * `/api/public/*` (open data and fault reports, docs/open-data.md): cached by query string for
   * what the API's Cache-Control says (an hour; a day at most), nothing of the viewer forwarded but
   * the query, the host the catalogue's links are built on and the viewer's address the API limits
   * per client (both set by the function, so a viewer cannot choose them).
   */
  private servePublicApi(origin: HttpOrigin): void {
    const publicPrefix = new EdgeFunction(this, 'PublicApiPrefix', {
      comment: `Removes ${API_PATH} and names the viewer's host and address for the public API`,
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(publicApiCode(API_PATH)),
    });
    this.distribution.addBehavior(`${API_PATH}/public/*`, origin, {
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: new CachePolicy(this, 'PublicApiCache', {
        comment: 'Public API answers, by query string, for what their Cache-Control says',
        minTtl: Duration.seconds(0),
        defaultTtl: Duration.minutes(5),
        maxTtl: Duration.days(1),
        queryStringBehavior: CacheQueryStringBehavior.all(),
        headerBehavior: CacheHeaderBehavior.none(),
        cookieBehavior: CacheCookieBehavior.none(),
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
      }),
      originRequestPolicy: new OriginRequestPolicy(this, 'PublicApiRequest', {
        comment: 'The public API gets the query, the content type and the headers its function sets',
        queryStringBehavior: OriginRequestQueryStringBehavior.all(),
        headerBehavior: OriginRequestHeaderBehavior.allowList(...PUBLIC_API_HEADERS),
        cookieBehavior: OriginRequestCookieBehavior.none(),
      }),
      responseHeadersPolicy: this.headers,
      functionAssociations: [{ function: publicPrefix, eventType: FunctionEventType.VIEWER_REQUEST }],
    });
  }

  /**
   * Hashed build files are immutable; index.html and config.json are revalidated on every load and
   * copied after the files they name, so a page never references a missing file.
   */
  private deployFiles(runtimeConfig: Record<string, unknown>): void {
    const build = consoleBuild();
    const assets = new BucketDeployment(this, 'Assets', {
      sources: [build],
      destinationBucket: this.bucket,
      exclude: ['index.html', 'config.json'],
      // Pages still open keep loading the chunks of the build they started with.
      prune: false,
      cacheControl: [
        CacheControl.setPublic(),
        CacheControl.maxAge(Duration.days(365)),
        CacheControl.immutable(),
      ],
      retainOnDelete: false,
    });
    const entry = new BucketDeployment(this, 'Entry', {
      sources: [build, Source.jsonData('config.json', runtimeConfig)],
      destinationBucket: this.bucket,
      exclude: ['*'],
      include: ['index.html', 'config.json'],
      prune: false,
      cacheControl: [CacheControl.noCache()],
      retainOnDelete: false,
    });
    entry.node.addDependency(assets);
    acknowledgeDeploymentProvider(this.bucket);
  }
}

/**
 * BucketDeployment runs one provider function per stack, made by aws-cdk-lib with a managed policy,
 * its own pinned Python runtime and the wildcard S3 actions of its grants, none of which it lets a
 * caller change; it runs only during deployments, reading the CDK asset bucket and writing this one.
 */
function acknowledgeDeploymentProvider(destination: Bucket): void {
  const stack = Stack.of(destination);
  const provider = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (provider === undefined) return;
  const reason =
    'BucketDeployment creates its provider function (used only during deployments) and its role with this, and offers no way to change it.';
  const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  const assetBucket = `cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${shown(stack.account, 'AccountId')}-${shown(stack.region, 'Region')}`;
  const destinationArn = `<${stack.getLogicalId(destination.node.defaultChild as CfnBucket)}.Arn>`;
  for (const id of [
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map(
      (action) => `AwsSolutions-IAM5[Action::${action}]`,
    ),
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${assetBucket}/*]`,
    `AwsSolutions-IAM5[Resource::${destinationArn}/*]`,
    'AwsSolutions-L1',
  ]) {
    Validations.of(provider).acknowledge({ id, reason });
  }
}

/**
 * The console's CSP: only this origin's scripts, styles, fonts and workers (MapLibre's workers
 * start from blob: URLs, its canvas reads data:/blob: images); requests to the API (same origin),
 * the Cognito token endpoint and, when set, the map style's origin; no framing, no plugins.
 */
export function contentSecurityPolicy(signInDomain: string, mapStyleUrl?: string): string {
  const mapOrigin = mapStyleUrl === undefined ? '' : ` ${new URL(mapStyleUrl).origin}`;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob:${mapOrigin}`,
    "font-src 'self'",
    `connect-src 'self' ${signInDomain}${mapOrigin}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}

/** What the public API behaviour forwards: the body's type and what its function sets. */
export const PUBLIC_API_HEADERS = ['content-type', 'idempotency-key', 'x-forwarded-host', 'x-viewer-address'];

/**
 * CloudFront Functions (JS 2.0) source for `/api/public/*`: the prefix stripped, and the viewer's
 * host and address written over whatever the viewer sent under those names.
 */
export function publicApiCode(prefix: string): string {
  return `function handler(event) {
  var request = event.request;
  request.uri = request.uri.slice(${prefix.length}) || '/';
  request.headers['x-forwarded-host'] = { value: request.headers.host ? request.headers.host.value : '' };
  request.headers['x-viewer-address'] = { value: event.viewer.ip };
  return request;
}`;
}

/** CloudFront Functions (JS 2.0) source: `/api/x` → `/x`, `/api` → `/`. */
export function stripPrefixCode(prefix: string): string {
  return `function handler(event) {
  var request = event.request;
  request.uri = request.uri.slice(${prefix.length}) || '/';
  return request;
}`;
}

/**
 * The console built at synth by Vite (the local toolchain, like the functions' esbuild bundles),
 * hashed by its output, so an unchanged console is not uploaded again. Synths that skip bundling
 * (the infra tests) use the source folder's hash instead and build nothing.
 */
function consoleBuild() {
  return Source.asset(`${REPO_ROOT}console`, {
    exclude: ['dist', 'node_modules'],
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type; the local build below never declines, so no container runs.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24'),
      local: {
        tryBundle(outputDir: string): boolean {
          execFileSync(
            'npx',
            ['vite', 'build', '--config', 'console/vite.config.ts', '--outDir', outputDir, '--emptyOutDir'],
            {
              cwd: REPO_ROOT,
              stdio: ['ignore', 'ignore', 'inherit'],
            },
          );
          return true;
        },
      },
    },
  });
}
