import { Stack } from 'aws-cdk-lib';
import { CfnPolicy, CfnThingGroup } from 'aws-cdk-lib/aws-iot';
import { Construct } from 'constructs';
import { functionsTriggeredBy } from '#functions/registry.ts';
import type { Publisher } from '#protocol/iot-rules.ts';
import {
  BOOST_SHADOW,
  basicIngestTopic,
  CONTROLLER_SHADOW_REPLIES,
  PLAN_SHADOW,
  shadowTopic,
} from '#protocol/topics.ts';
import type { StageNames } from '../names.ts';

/**
 * The name a device connected with, as IoT substitutes it when it evaluates a policy. The device's
 * certificate must be attached to the thing of that name (`IsAttached`), so a luminaire can only
 * ever be itself.
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: an IoT policy variable, substituted by IoT, not by JavaScript.
const SELF = '${iot:Connection.Thing.ThingName}';

interface Statement {
  Effect: 'Allow';
  Action: string | string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string>>;
}

/** The named shadows the cloud writes and a controller reads. */
const CONTROLLER_SHADOWS = [PLAN_SHADOW, BOOST_SHADOW] as const;

/**
 * Shadow requests a controller publishes (docs/protocol.md): `get` on its named shadows, `update`
 * on its classic shadow only. An `update` request can write `desired` as well as `reported`, so a
 * controller allowed to update its `plan` or `boost` shadow could give itself any plan or boost:
 * those it only reads.
 */
const CONTROLLER_SHADOW_REQUESTS = [
  ...CONTROLLER_SHADOWS.map((shadow) => shadowTopic(SELF, shadow, 'get')),
  shadowTopic(SELF, undefined, 'update'),
];

/** The shadow replies a controller subscribes to and receives: those of docs/protocol.md, no other. */
const CONTROLLER_SHADOW_REPLY_TOPICS = CONTROLLER_SHADOWS.flatMap((shadow) =>
  CONTROLLER_SHADOW_REPLIES.map((op) => shadowTopic(SELF, shadow, op)),
);

/**
 * The topics of its own id a device publishes to feed the registry's IoT rules (functions/registry.ts):
 * only their Basic Ingest form, `$aws/rules/{rule}/...`, so the device cannot publish the same
 * message through the (charged) broker as well.
 */
function ruleTopics(publisher: Publisher, topicRule: StageNames['topicRule']): string[] {
  return [...functionsTriggeredBy('iot-rule'), ...functionsTriggeredBy('iot-stream')]
    .filter((fn) => fn.trigger.rule.publisher === publisher)
    .map((fn) => basicIngestTopic(topicRule(fn.name), fn.trigger.rule.topic(SELF)));
}

/** Policy documents for the two kinds of device, with resource ARNs under `arnPrefix` (arn:aws:iot:region:account:). */
export function luminairePolicyDocument(arnPrefix: string, topicRule: StageNames['topicRule']) {
  const statements: Statement[] = [
    connectAsSelf(arnPrefix),
    {
      Effect: 'Allow',
      Action: 'iot:Publish',
      Resource: [...CONTROLLER_SHADOW_REQUESTS, ...ruleTopics('luminaire', topicRule)].map(
        (t) => `${arnPrefix}topic/${t}`,
      ),
    },
    {
      Effect: 'Allow',
      Action: 'iot:Subscribe',
      Resource: CONTROLLER_SHADOW_REPLY_TOPICS.map((t) => `${arnPrefix}topicfilter/${t}`),
    },
    {
      Effect: 'Allow',
      Action: 'iot:Receive',
      Resource: CONTROLLER_SHADOW_REPLY_TOPICS.map((t) => `${arnPrefix}topic/${t}`),
    },
  ];
  return { Version: '2012-10-17', Statement: statements };
}

export function sensorPolicyDocument(arnPrefix: string, topicRule: StageNames['topicRule']) {
  const statements: Statement[] = [
    connectAsSelf(arnPrefix),
    {
      Effect: 'Allow',
      Action: 'iot:Publish',
      Resource: ruleTopics('sensor', topicRule).map((t) => `${arnPrefix}topic/${t}`),
    },
  ];
  return { Version: '2012-10-17', Statement: statements };
}

function connectAsSelf(arnPrefix: string): Statement {
  return {
    Effect: 'Allow',
    Action: 'iot:Connect',
    Resource: [`${arnPrefix}client/${SELF}`],
    Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
  };
}

/** Thing groups and IoT policies for luminaires and presence sensors; `lighting provision` fills them. */
export class DevicePolicies extends Construct {
  constructor(scope: Construct, id: string, names: StageNames) {
    super(scope, id);
    const { partition, region, account } = Stack.of(this);
    const arnPrefix = `arn:${partition}:iot:${region}:${account}:`;
    new CfnThingGroup(this, 'LuminaireGroup', {
      thingGroupName: names.luminaireGroup,
      thingGroupProperties: {
        thingGroupDescription: 'Luminaire controllers; `lighting provision` adds them',
      },
    });
    new CfnThingGroup(this, 'SensorGroup', {
      thingGroupName: names.sensorGroup,
      thingGroupProperties: {
        thingGroupDescription: 'Presence sensors; `lighting provision --sensors` adds them',
      },
    });
    new CfnPolicy(this, 'LuminairePolicy', {
      policyName: names.luminairePolicy,
      policyDocument: luminairePolicyDocument(arnPrefix, names.topicRule),
    });
    new CfnPolicy(this, 'SensorPolicy', {
      policyName: names.sensorPolicy,
      policyDocument: sensorPolicyDocument(arnPrefix, names.topicRule),
    });
  }
}
