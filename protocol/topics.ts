/**
 * MQTT topics between luminaire controllers, sensors and the cloud. Device shadows use the AWS
 * reserved topics ($aws/things/...); our own data uses the `lighting/` prefix so that one IoT
 * policy can scope a device to its own topics with ${iot:Connection.Thing.ThingName}. Each message's
 * own topic and filter are in its module, protocol/messages/.
 */
export const TOPIC_PREFIX = 'lighting';

/**
 * The topic rule that triggers a function of the registry (functions/registry.ts): rule names are
 * account-wide, so the stage is part of them, and allow only letters, digits and underscores.
 */
export const topicRuleName = (stage: string, functionName: string): string =>
  `lighting_${stage.replaceAll('-', '_')}_${functionName.replaceAll('-', '_')}`;
/** The stage the local stand-ins run as. */
export const LOCAL_STAGE = 'local';

/**
 * IoT Core Basic Ingest: a message published on `$aws/rules/{rule}/{topic}` goes straight to that
 * rule, which sees `{topic}`; no subscriber receives it and no messaging is charged.
 */
const BASIC_INGEST_PREFIX = '$aws/rules/';
export const basicIngestTopic = (ruleName: string, topic: string): string =>
  `${BASIC_INGEST_PREFIX}${ruleName}/${topic}`;

/** The rule and the topic it sees, for a Basic Ingest topic; undefined for any other topic. */
export function parseBasicIngestTopic(topic: string): { ruleName: string; topic: string } | undefined {
  if (!topic.startsWith(BASIC_INGEST_PREFIX)) return undefined;
  const rest = topic.slice(BASIC_INGEST_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return undefined;
  return { ruleName: rest.slice(0, slash), topic: rest.slice(slash + 1) };
}

/** Named shadows of a luminaire: the plan and the presence boost are written by different functions,
 * so they live in separate documents and never conflict on one version number. */
export const PLAN_SHADOW = 'plan';
export const BOOST_SHADOW = 'boost';

/**
 * The replies a controller subscribes to on each of its named shadows, at QoS 0 (docs/protocol.md):
 * a lost GET reply is asked again, and a delta is lost only with the connection, whose reconnect GETs
 * the whole document. Not `/update/documents`: every update's delta carries what the controller
 * needs, and a delivery the controller does not use is still a metered message. Not its classic
 * shadow's replies: echoes of its own reports. The device policy grants these and no other.
 */
export const CONTROLLER_SHADOW_REPLIES = ['get/accepted', 'get/rejected', 'update/delta'] as const;

export const shadowTopic = (thingName: string, shadowName: string | undefined, op: string): string =>
  shadowName === undefined
    ? `$aws/things/${thingName}/shadow/${op}`
    : `$aws/things/${thingName}/shadow/name/${shadowName}/${op}`;
