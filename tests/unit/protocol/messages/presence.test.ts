import { describe, expect, it } from 'vitest';
import { compileRule } from '#local-runtime/iot-rules.ts';
import {
  LOCAL_PRESENCE_RULE,
  PRESENCE_RULE,
  PRESENCE_RULE_SQL,
  PresenceMessage,
  presenceIngestTopic,
  presenceTopic,
} from '#protocol/messages/presence.ts';
import { parseBasicIngestTopic } from '#protocol/topics.ts';

const payload = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('presence message and its rule', () => {
  // The device id comes from the topic and every other field is named: no `SELECT *`.
  it('selects every field of the detection by name, the sensor from the topic, the receive time from the broker', () => {
    expect(PRESENCE_RULE_SQL).toMatch(
      /^SELECT topic\(3\) AS sensor, id, ts, lat, lon, street, kind, timestamp\(\) AS receivedAt FROM 'lighting\/sensors\/\+\/presence'$/,
    );
  });

  it('takes the sensor id from the topic, never from the payload', () => {
    const rule = compileRule(PRESENCE_RULE.sql);
    const event = rule.toEvent('lighting/sensors/S-12/presence', payload({ sensor: 'S-99', id: 'd1' }), 0);
    expect(event).toEqual({ sensor: 'S-12', id: 'd1', receivedAt: 0 });
  });

  it('is published by sensors through Basic Ingest to the presence rule, which sees their own topic, the one its filter matches', () => {
    expect(PRESENCE_RULE.publisher).toBe('sensor');
    const ingest = parseBasicIngestTopic(presenceIngestTopic(LOCAL_PRESENCE_RULE, 'S-12'));
    expect(ingest).toEqual({ ruleName: 'lighting_local_presence', topic: presenceTopic('S-12') });
    expect(compileRule(PRESENCE_RULE.sql).matches(presenceTopic('S-12'))).toBe(true);
  });

  it('accepts the position older sensors send, and counts a detection without a kind as a pedestrian', () => {
    const parsed = PresenceMessage.parse({
      sensor: 'S-1',
      id: 'd1',
      ts: 1_782_077_400,
      lat: 43.2,
      lon: 2.35,
    });
    expect(parsed.kind).toBe('pedestrian');
  });
});
