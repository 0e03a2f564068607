import { PRESENCE_FILTER, TELEMETRY_FILTER } from './topics.ts';

/**
 * The IoT topic rules, as SQL. The CDK app deploys these exact statements and the local rule runner
 * (local-runtime/iot-rules.ts) evaluates them, so the event a handler receives is the same in both.
 * Topic levels are 1-based: lighting/sensors/{sensor}/presence -> topic(3) is the sensor id. The
 * projection overrides the id the payload claims: the topic is what the IoT policy authorised.
 */
export const PRESENCE_RULE_SQL = `SELECT *, topic(3) AS sensor FROM '${PRESENCE_FILTER}'`;
export const TELEMETRY_RULE_SQL = `SELECT *, topic(2) AS thing FROM '${TELEMETRY_FILTER}'`;
export const IOT_SQL_VERSION = '2016-03-23';
