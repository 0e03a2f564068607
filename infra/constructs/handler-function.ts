import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ConcurrencySetting, FunctionDefinition } from '#functions/registry.ts';

/** The repository root: handler entries, tsconfig and lockfile are found from here. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The newest Node.js runtime this aws-cdk-lib offers (cdk-nag AwsSolutions-L1 checks the same). */
export const HANDLER_RUNTIME = Runtime.NODEJS_24_X;

export interface HandlerFunctionProps {
  /** Handler entry file, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly serviceName: string;
  readonly environment: Record<string, string>;
  readonly logRetention: RetentionDays;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly timeout: Duration;
  readonly memorySize?: number;
  readonly reservedConcurrentExecutions?: number;
  /** For asynchronous invocations: where events go after the last retry, how long they stay useful. */
  readonly deadLetterQueue?: IQueue;
  readonly maxEventAge?: Duration;
  readonly retryAttempts?: number;
}

/** What every function of a stage shares: logging, the environment, the concurrency settings. */
export interface FunctionContext
  extends Pick<HandlerFunctionProps, 'logRetention' | 'logLevel' | 'environment'> {
  readonly concurrency: Readonly<Record<ConcurrencySetting, number>>;
}

/** The handler props of a registry entry (functions/registry.ts) in a stage. */
export function handlerPropsOf(
  definition: FunctionDefinition,
  context: FunctionContext,
): Omit<HandlerFunctionProps, 'deadLetterQueue'> {
  const { lambda } = definition;
  const seconds = (value: number | undefined) => (value === undefined ? undefined : Duration.seconds(value));
  return {
    logRetention: context.logRetention,
    logLevel: context.logLevel,
    environment: context.environment,
    entry: definition.entry,
    serviceName: definition.name,
    timeout: Duration.seconds(lambda.timeoutSeconds),
    memorySize: lambda.memoryMb,
    reservedConcurrentExecutions:
      typeof lambda.reservedConcurrency === 'string'
        ? context.concurrency[lambda.reservedConcurrency]
        : lambda.reservedConcurrency,
    maxEventAge: seconds(lambda.maxEventAgeSeconds),
    retryAttempts: lambda.retryAttempts,
  };
}

/**
 * One Lambda handler with the settings every function of the app shares: ARM64, the current
 * Node.js runtime, an ESM bundle made by the local esbuild (no Docker) with source maps, JSON logs
 * into its own log group with a retention, X-Ray tracing, and a role of its own that starts with
 * nothing but writing to that log group (no AWS managed policy).
 */
export class HandlerFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: `${REPO_ROOT}${props.entry}`,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      runtime: HANDLER_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[props.logLevel],
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      deadLetterQueue: props.deadLetterQueue,
      maxEventAge: props.maxEventAge,
      retryAttempts: props.retryAttempts,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        LOG_LEVEL: props.logLevel,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        platform: 'node',
        minify: true,
        // Error and class names stay readable in logs and traces.
        keepNames: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        tsconfig: `${REPO_ROOT}tsconfig.json`,
        // Some dependencies still call require(); an ESM bundle has none unless the banner makes one.
        banner:
          "import { createRequire as topLevelCreateRequire } from 'node:module';const require = topLevelCreateRequire(import.meta.url);",
        // The SDK comes from the lockfile, not from whichever version the runtime carries.
        bundleAwsSDK: true,
        forceDockerBundling: false,
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by Tracing.ACTIVE: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (X-Ray service authorization reference).',
    });
  }
}
