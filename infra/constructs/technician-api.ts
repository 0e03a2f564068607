import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPoolClient, UserPool } from 'aws-cdk-lib/aws-cognito';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { functionNamed } from '#functions/registry.ts';
import { type FunctionContext, HandlerFunction, handlerPropsOf } from './handler-function.ts';

/** One JSON line per request, from HTTP API ($context) variables; `user` is the token's subject. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  path: '$context.path',
  route: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  user: '$context.authorizer.claims.sub',
  authError: '$context.authorizer.error',
  integrationError: '$context.integrationErrorMessage',
};

export interface TechnicianApiProps {
  /** Of the api function; the Cognito settings are added here. */
  readonly context: FunctionContext;
  readonly userPool: UserPool;
  /** The app clients whose ID tokens the API accepts (the CLI's and the console's). */
  readonly clients: IUserPoolClient[];
}

/**
 * The technician and finance HTTP API: every route goes to the api function, behind a Cognito JWT
 * authorizer. The gateway rejects requests without a valid token of this user pool and client;
 * the function verifies the same token again (same code path as locally) and applies roles and zones.
 * The function is the registry's `api` (functions/registry.ts).
 */
export class TechnicianApi extends Construct {
  readonly handler: HandlerFunction;
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: TechnicianApiProps) {
    super(scope, id);
    const issuer = props.userPool.userPoolProviderUrl;
    const { context } = props;
    this.handler = new HandlerFunction(
      this,
      'Handler',
      handlerPropsOf(functionNamed('api', 'http'), {
        ...context,
        environment: {
          ...context.environment,
          AUTH_ISSUER: issuer,
          AUTH_JWKS_URL: `${issuer}/.well-known/jwks.json`,
          // ID tokens carry `aud` = the client id and the custom:zones claim the API needs.
          AUTH_AUDIENCE: props.clients.map((c) => c.userPoolClientId).join(','),
        },
      }),
    );

    this.httpApi = new HttpApi(this, 'Http', {
      description: 'Lighting technician and reports API',
      createDefaultStage: false,
      defaultAuthorizer: new HttpUserPoolAuthorizer('Cognito', props.userPool, {
        userPoolClients: props.clients,
      }),
      defaultIntegration: new HttpLambdaIntegration('Api', this.handler.fn),
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.context.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
      throttle: { rateLimit: 50, burstLimit: 100 },
    });
    this.openPublicRoutes();
  }

  /**
   * The `/public/...` routes go to the same function without the JWT authorizer (the function
   * answers only those without a token), each under a throttle of its own for all clients together,
   * on top of the function's per-address token buckets: reads (cached by CloudFront) and, much
   * lower, the residents' fault reports.
   */
  private openPublicRoutes(): void {
    const integration = new HttpLambdaIntegration('PublicApi', this.handler.fn);
    const authorizer = new HttpNoneAuthorizer();
    for (const [path, method] of PUBLIC_ROUTES) {
      for (const route of this.httpApi.addRoutes({ path, methods: [method], integration, authorizer })) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'Open data and resident fault reports are public by design (docs/open-data.md): the function answers only /public/... without a token, throttled here per route and per address in the function.',
        });
      }
    }
    (this.stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      PUBLIC_ROUTES.map(([path, method]) => [`${method} ${path}`, PUBLIC_THROTTLES[method]]),
    );
  }
}

/** The routes open without sign-in (functions/api/routes/public-*.ts, docs/open-data.md). */
export const PUBLIC_ROUTES: readonly (readonly [string, HttpMethod.GET | HttpMethod.POST])[] = [
  ['/public/{proxy+}', HttpMethod.GET],
  ['/public/fault-reports', HttpMethod.POST],
];

/** Requests per second for all clients together; CloudFront answers most reads from its cache. */
const PUBLIC_THROTTLES = {
  [HttpMethod.GET]: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
  [HttpMethod.POST]: { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 5 },
};
