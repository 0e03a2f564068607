import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { MAIN_TABLE, TELEMETRY_TABLE } from '#functions/store/table-definitions.ts';
import { REPO_ROOT } from '#infra/constructs/handler-function.ts';
import { renderArn, synthesize } from './synth.ts';

const { stateful } = synthesize();
// biome-ignore lint/suspicious/noTemplateCurlyInString: the IoT policy variable, literally.
const THING = '${iot:Connection.Thing.ThingName}';

type PolicyDocument = {
  Statement: { Action: string | string[]; Resource: unknown[]; Condition?: unknown }[];
};
function iotPolicy(name: string): PolicyDocument {
  const policies = stateful.findResources('AWS::IoT::Policy', { Properties: { PolicyName: name } });
  const [policy] = Object.values(policies) as { Properties: { PolicyDocument: PolicyDocument } }[];
  if (policy === undefined) throw new Error(`no IoT policy ${name}`);
  return policy.Properties.PolicyDocument;
}
function resourcesFor(doc: PolicyDocument, action: string): string[] {
  return doc.Statement.filter((s) => [s.Action].flat().includes(action)).flatMap((s) =>
    s.Resource.map(renderArn),
  );
}

describe('stateful stack: tables', () => {
  it.each([
    ['main', MAIN_TABLE],
    ['telemetry', TELEMETRY_TABLE],
  ])('the %s table has the key schema of functions/store/table-definitions.ts', (_, def) => {
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: def.sortKey.name, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes:
        def.globalSecondaryIndexes.length === 0
          ? Match.absent()
          : def.globalSecondaryIndexes.map((index) => ({
              IndexName: index.indexName,
              KeySchema: [
                { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
                { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            })),
      TimeToLiveSpecification: { AttributeName: def.timeToLiveAttribute, Enabled: true },
    });
  });

  it('retains both tables, protects them from deletion and keeps 35 days of point-in-time recovery', () => {
    const tables = stateful.findResources('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(2);
    for (const table of Object.values(tables)) {
      expect(table).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true },
        },
      });
    }
  });
});

describe('stateful stack: the ledger table provisioned (ledgerWriteCapacity, ledgerReadCapacity)', () => {
  const provisioned = synthesize({ ledgerWriteCapacity: 200, ledgerReadCapacity: 80 });
  it('provisions the telemetry table at the settings’ units, the main table staying on demand', () => {
    provisioned.stateful.resourcePropertiesCountIs(
      'AWS::DynamoDB::Table',
      { BillingMode: 'PAY_PER_REQUEST' },
      1,
    );
    // CloudFormation's default billing mode is provisioned: CDK leaves BillingMode out.
    provisioned.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: Match.arrayWith([{ AttributeName: TELEMETRY_TABLE.partitionKey.name, KeyType: 'HASH' }]),
      BillingMode: Match.absent(),
      ProvisionedThroughput: { WriteCapacityUnits: 200, ReadCapacityUnits: 80 },
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('auto scales its writes and reads from those minimums to ten times them, at a 70 % target', () => {
    const targets = Object.values(
      provisioned.stateful.findResources('AWS::ApplicationAutoScaling::ScalableTarget'),
    ).map((r) => (r as { Properties: Record<string, unknown> }).Properties);
    expect(targets).toHaveLength(2);
    expect(targets).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ScalableDimension: 'dynamodb:table:WriteCapacityUnits',
          MinCapacity: 200,
          MaxCapacity: 2000,
        }),
        expect.objectContaining({
          ScalableDimension: 'dynamodb:table:ReadCapacityUnits',
          MinCapacity: 80,
          MaxCapacity: 800,
        }),
      ]),
    );
    provisioned.stateful.resourcePropertiesCountIs(
      'AWS::ApplicationAutoScaling::ScalingPolicy',
      { TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 } },
      2,
    );
  });

  it('leaves cdk-nag with nothing to report', () => {
    expect(provisioned.violations).toEqual([]);
  });

  it('is not made without the settings: both tables on demand, nothing to scale', () => {
    stateful.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
  });
});

describe('stateful stack: site config seed', () => {
  const seeds = Object.values(stateful.findResources('Custom::AWS')).map(
    (r) => JSON.parse(renderArn((r as { Properties: { Create: unknown } }).Properties.Create)) as SeedCall,
  );
  type SeedCall = {
    action: string;
    parameters: { Item: { pk: { S: string }; sk: { S: string } }; ConditionExpression: string };
  };
  const example = JSON.parse(readFileSync(join(REPO_ROOT, 'examples/carcassonne/config.json'), 'utf8'));

  it('writes the settings, every profile and every calendar rule of the site config into the new main table', () => {
    const keys = seeds.map((call) => call.parameters.Item.sk.S).sort();
    expect(keys).toContain('SETTINGS');
    expect(keys.filter((k) => k.startsWith('PROFILE#'))).toHaveLength(Object.keys(example.profiles).length);
    expect(keys.filter((k) => k.startsWith('RULE#'))).toHaveLength(example.calendar.length);
  });

  it('only on creation, and never over an item that exists', () => {
    for (const call of seeds) {
      expect(call.action).toBe('PutItem');
      expect(call.parameters.ConditionExpression).toBe('attribute_not_exists(pk)');
    }
    for (const seed of Object.values(stateful.findResources('Custom::AWS'))) {
      expect((seed as { Properties: object }).Properties).not.toHaveProperty('Update');
    }
  });
});

describe('stateful stack: device policies', () => {
  const luminaire = iotPolicy('lighting-test-luminaire');
  const sensor = iotPolicy('lighting-test-sensor');

  it('lets a device connect only with its own thing name as client id, and only if its certificate is attached to that thing', () => {
    for (const doc of [luminaire, sensor]) {
      const connect = doc.Statement.filter((s) => [s.Action].flat().includes('iot:Connect'));
      expect(connect).toHaveLength(1);
      expect((connect[0]?.Resource ?? []).map(renderArn)).toEqual([
        `arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:client/${THING}`,
      ]);
      expect(connect[0]?.Condition).toEqual({ Bool: { 'iot:Connection.Thing.IsAttached': 'true' } });
    }
  });

  // Connected cabinets are provisioned with the controllers' policy: their meter readings go by Basic
  // Ingest too, and a luminaire publishing one is rejected by the cabinet ledger as an unknown cabinet.
  it("scopes every controller topic to the thing's own shadows and its readings by Basic Ingest only", () => {
    const topics = ['iot:Publish', 'iot:Subscribe', 'iot:Receive'].flatMap((a) => resourcesFor(luminaire, a));
    expect(topics.length).toBeGreaterThan(0);
    for (const arn of topics) {
      expect(arn).toMatch(
        new RegExp(
          `:(topic|topicfilter)/(\\$aws/things/${escapeRegExp(THING)}/shadow/|\\$aws/rules/lighting_test_telemetry/lighting/${escapeRegExp(THING)}/telemetry$|\\$aws/rules/lighting_test_cabinet_meter/lighting/${escapeRegExp(THING)}/cabinet-meter$)`,
        ),
      );
      expect(arn.replace(THING, '')).not.toMatch(/[*+#]/);
    }
    expect(resourcesFor(luminaire, 'iot:Publish')).toContain(
      `arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:topic/$aws/rules/lighting_test_telemetry/lighting/${THING}/telemetry`,
    );
    expect(resourcesFor(luminaire, 'iot:Subscribe')).toContain(
      `arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:topicfilter/$aws/things/${THING}/shadow/name/plan/update/delta`,
    );
  });

  it('lets a luminaire read its plan and boost shadows but never request an update of them (that could write desired)', () => {
    const shadowPrefix = `arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:topic/$aws/things/${THING}/shadow/`;
    const shadowPublishes = resourcesFor(luminaire, 'iot:Publish')
      .filter((arn) => arn.startsWith(shadowPrefix))
      .map((arn) => arn.slice(shadowPrefix.length))
      .sort();
    expect(shadowPublishes).toEqual(['name/boost/get', 'name/plan/get', 'update']);
    for (const arn of resourcesFor(luminaire, 'iot:Publish')) {
      expect(arn).not.toMatch(/\/shadow\/name\/(plan|boost)\/update/);
    }
  });

  it("lets a controller subscribe to and receive only its named shadows' replies of docs/protocol.md: no /update/documents, no classic shadow echoes", () => {
    const replies = ['name/boost', 'name/plan'].flatMap((shadow) =>
      ['get/accepted', 'get/rejected', 'update/delta'].map(
        (reply) => `$aws/things/${THING}/shadow/${shadow}/${reply}`,
      ),
    );
    const arn = 'arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>';
    expect(resourcesFor(luminaire, 'iot:Subscribe').sort()).toEqual(
      replies.map((t) => `${arn}:topicfilter/${t}`),
    );
    expect(resourcesFor(luminaire, 'iot:Receive').sort()).toEqual(replies.map((t) => `${arn}:topic/${t}`));
  });

  it('lets a sensor publish only its own detections, by Basic Ingest (no metered message), and nothing else', () => {
    const actions = sensor.Statement.flatMap((s) => [s.Action].flat());
    expect(actions.sort()).toEqual(['iot:Connect', 'iot:Publish']);
    expect(resourcesFor(sensor, 'iot:Publish')).toEqual([
      `arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:topic/$aws/rules/lighting_test_presence/lighting/sensors/${THING}/presence`,
    ]);
  });

  it('creates a thing group per device kind, named after the stage', () => {
    stateful.hasResourceProperties('AWS::IoT::ThingGroup', { ThingGroupName: 'lighting-test-luminaires' });
    stateful.hasResourceProperties('AWS::IoT::ThingGroup', { ThingGroupName: 'lighting-test-sensors' });
  });
});

describe('stateful stack: users', () => {
  it('has the technician, finance and admin groups', () => {
    for (const group of ['technician', 'finance', 'admin']) {
      stateful.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: group });
    }
  });

  it('requires a strong password and a TOTP second factor, and keeps users on stack deletion', () => {
    stateful.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
        Schema: [Match.objectLike({ Name: 'zones', AttributeDataType: 'String', Mutable: true })],
        UserPoolTier: 'PLUS',
      }),
    });
  });

  it('lets users read their zones but not write them (only admins assign zones)', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ReadAttributes: Match.arrayWith(['custom:zones']),
      WriteAttributes: Match.not(Match.arrayWith(['custom:zones'])),
      GenerateSecret: false,
    });
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[$.*+?^{}()|[\]\\]/g, '\\$&');
}
