import { describe, expect, it } from 'vitest';
import { compileRule } from '#local-runtime/iot-rules.ts';
import {
  TELEMETRY_RULE,
  TELEMETRY_RULE_SQL,
  TelemetryEvent,
  telemetryIngestTopic,
} from '#protocol/messages/telemetry.ts';
import { parseBasicIngestTopic } from '#protocol/topics.ts';

const payload = (value: unknown) => Buffer.from(JSON.stringify(value));

const telemetryPayload = {
  thing: 'L-OTHER',
  ts: 1_782_077_400,
  seq: 4,
  counterId: 'drv-1',
  energyWh: 120.5,
  burningHours: 3.25,
  level: 70,
  powerW: 25,
  planHash: null,
  faults: [],
  daylight: false,
};

describe('telemetry message and its rule', () => {
  it('selects every field of the event by name, the thing from the topic, the receive time from the broker', () => {
    expect(TELEMETRY_RULE_SQL).toMatch(
      /^SELECT topic\(2\) AS thing, ts, seq, counterId, energyWh, burningHours, level, powerW, planHash, faults, daylight, timestamp\(\) AS receivedAt FROM 'lighting\/\+\/telemetry'$/,
    );
  });

  it('takes the thing from the topic and the receive time from the broker, whatever the payload claims', () => {
    const rule = compileRule(TELEMETRY_RULE.sql);
    const event = rule.toEvent(
      'lighting/L-OWN/telemetry',
      payload({ ...telemetryPayload, receivedAt: 1 }),
      1_782_077_401_234,
    );
    expect(event).toEqual({ ...telemetryPayload, thing: 'L-OWN', receivedAt: 1_782_077_401_234 });
    expect(TelemetryEvent.safeParse(event).success).toBe(true);
  });

  it('passes on only the fields the rule names: extra payload keys never reach the handler', () => {
    const rule = compileRule(TELEMETRY_RULE.sql);
    const event = rule.toEvent('lighting/L-OWN/telemetry', payload({ ...telemetryPayload, admin: true }), 5);
    expect(event).not.toHaveProperty('admin');
  });

  it("reaches the rule through its Basic Ingest topic, which carries the luminaire's own topic", () => {
    const ingest = parseBasicIngestTopic(telemetryIngestTopic('lighting_test_telemetry', 'L-1'));
    expect(ingest?.ruleName).toBe('lighting_test_telemetry');
    expect(ingest?.topic).toBe(TELEMETRY_RULE.topic('L-1'));
    expect(compileRule(TELEMETRY_RULE.sql).matches(ingest?.topic ?? '')).toBe(true);
    expect(TELEMETRY_RULE.publisher).toBe('luminaire');
  });
});
