/**
 * MQTT topics between luminaire controllers, sensors and the cloud. Device shadows use the AWS
 * reserved topics ($aws/things/...); our own data uses the `lighting/` prefix so that one IoT
 * policy can scope a device to its own topics with ${iot:Connection.Thing.ThingName}.
 */
export const TOPIC_PREFIX = 'lighting';

/** Periodic and event reports of one luminaire controller (TelemetryMessage). */
export const telemetryTopic = (thingName: string): string => `${TOPIC_PREFIX}/${thingName}/telemetry`;
/** Detections of one presence sensor (PresenceMessage). */
export const presenceTopic = (sensorId: string): string => `${TOPIC_PREFIX}/sensors/${sensorId}/presence`;

/** Subscriptions the IoT rules (and the local rule runner) listen on. */
export const TELEMETRY_FILTER = `${TOPIC_PREFIX}/+/telemetry`;
export const PRESENCE_FILTER = `${TOPIC_PREFIX}/sensors/+/presence`;

/** Named shadows of a luminaire: the plan and the presence boost are written by different functions,
 * so they live in separate documents and never conflict on one version number. */
export const PLAN_SHADOW = 'plan';
export const BOOST_SHADOW = 'boost';

export const shadowTopic = (thingName: string, shadowName: string | undefined, op: string): string =>
  shadowName === undefined
    ? `$aws/things/${thingName}/shadow/${op}`
    : `$aws/things/${thingName}/shadow/name/${shadowName}/${op}`;
