import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import {
  type AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { MAIN_TABLE, type TableDefinition, TELEMETRY_TABLE } from '#functions/store/table-definitions.ts';
import type { Config } from '#schedules/config/schema.ts';
import { DevicePolicies } from './constructs/device-policies.ts';
import { RawReportArchive } from './constructs/raw-report-archive.ts';
import { SiteConfigSeed } from './constructs/site-config-seed.ts';
import type { StageNames } from './names.ts';

/** The API's roles; the api function reads them from the token's `cognito:groups` claim. */
export const USER_GROUPS = ['technician', 'finance', 'admin'] as const;

export interface StatefulStackProps extends StackProps {
  readonly names: StageNames;
  readonly siteId: string;
  /** Written into the main table when it is created (SiteConfigSeed). */
  readonly site: Config;
  /** Of the managed-login domain `https://<prefix>.auth.<region>.amazoncognito.com` the console signs in at. */
  readonly authDomainPrefix: string;
  /** The ledger (telemetry) table's auto scaling minimums; absent, it is on demand (ADR 0017). */
  readonly ledgerCapacity?: LedgerCapacity;
}

export interface LedgerCapacity {
  readonly write: number;
  readonly read: number;
}

/**
 * Auto scaling keeps consumed capacity at 70 % of the provisioned (its default target): the
 * headroom the ledger's busiest minute needs. It scales out within minutes as the fleet grows,
 * up to this many times the minimum before IT revises the settings.
 */
const LEDGER_TARGET_UTILIZATION_PERCENT = 70;
const LEDGER_MAX_OVER_MIN = 10;
const TABLE_CAPACITY_QUOTA = 40_000;

/**
 * Everything that holds data or identity: tables, the raw report archive (bucket, Glue table, Athena
 * work group), users, thing groups and device policies. Code deploys go to the stateless stack and
 * never replace anything here; tables, buckets and the user pool are retained, tables and the user
 * pool protected against deletion.
 */
export class StatefulStack extends Stack {
  readonly tables: Record<TableDefinition['id'], Table>;
  readonly userPool: UserPool;
  readonly apiClient: UserPoolClient;
  readonly authDomain: UserPoolDomain;
  readonly rawReports: RawReportArchive;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    this.tables = {
      main: this.table('MainTable', MAIN_TABLE),
      telemetry: this.table('TelemetryTable', TELEMETRY_TABLE, props.ledgerCapacity),
    };
    new SiteConfigSeed(this, 'SiteConfig', {
      table: this.tables.main,
      siteId: props.siteId,
      config: props.site,
    });
    new DevicePolicies(this, 'Devices', props.names);
    this.rawReports = new RawReportArchive(this, 'RawReports', {
      siteId: props.siteId,
      timezone: props.site.site.timezone,
      databaseName: props.names.rawReportDatabase,
      workGroupName: props.names.analyticsWorkGroup,
    });

    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Schedules switch a city's streets off: every account gets a second factor, TOTP only (no SMS costs).
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      customAttributes: { zones: new StringAttribute({ mutable: true, maxLen: 2048 }) },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The console's app client (with its login page style) lives in the stateless stack, next to
    // the distribution whose address is its callback URL.
    this.authDomain = this.userPool.addDomain('SignIn', {
      cognitoDomain: { domainPrefix: props.authDomainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    for (const group of USER_GROUPS) {
      this.userPool.addGroup(`Group-${group}`, { groupName: group, description: `API role ${group}` });
    }
    this.apiClient = this.userPool.addClient('ApiClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      // A technician must not widen their own zones: only admins (through the Cognito API) set custom:zones.
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('zones'),
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
  }

  /** A table on demand, or with `capacity`, provisioned with auto scaling from those minimums. */
  private table(id: string, def: TableDefinition, capacity?: LedgerCapacity): Table {
    const attribute = (a: TableDefinition['partitionKey']) => ({
      name: a.name,
      type: a.type as AttributeType,
    });
    const table = new Table(this, id, {
      partitionKey: attribute(def.partitionKey),
      sortKey: attribute(def.sortKey),
      ...(capacity === undefined
        ? { billingMode: BillingMode.PAY_PER_REQUEST }
        : {
            billingMode: BillingMode.PROVISIONED,
            writeCapacity: capacity.write,
            readCapacity: capacity.read,
          }),
      timeToLiveAttribute: def.timeToLiveAttribute,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of def.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }
    if (capacity !== undefined) {
      const scaleFrom = (minCapacity: number) => ({
        minCapacity,
        maxCapacity: Math.min(TABLE_CAPACITY_QUOTA, minCapacity * LEDGER_MAX_OVER_MIN),
      });
      const target = { targetUtilizationPercent: LEDGER_TARGET_UTILIZATION_PERCENT };
      table.autoScaleWriteCapacity(scaleFrom(capacity.write)).scaleOnUtilization(target);
      table.autoScaleReadCapacity(scaleFrom(capacity.read)).scaleOnUtilization(target);
    }
    return table;
  }
}
