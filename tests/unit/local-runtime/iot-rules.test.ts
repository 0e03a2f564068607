import { describe, expect, it } from 'vitest';
import { compileRule } from '#local-runtime/iot-rules.ts';
import { PRESENCE_RULE_SQL } from '#protocol/messages/presence.ts';
import { TELEMETRY_RULE_SQL } from '#protocol/messages/telemetry.ts';

const payload = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('local IoT rule runner', () => {
  it('listens on the rule topic filter', () => {
    expect(compileRule(PRESENCE_RULE_SQL).topicFilter).toBe('lighting/sensors/+/presence');
    expect(compileRule(TELEMETRY_RULE_SQL).topicFilter).toBe('lighting/+/telemetry');
  });

  it('matches a topic against the rule filter level by level, as a Basic Ingest message must', () => {
    const rule = compileRule(TELEMETRY_RULE_SQL);
    expect(rule.matches('lighting/L-1/telemetry')).toBe(true);
    expect(rule.matches('lighting/L-1/telemetry/extra')).toBe(false);
    expect(rule.matches('lighting/sensors/S-1/presence')).toBe(false);
    expect(rule.matches('lighting/telemetry')).toBe(false);
  });

  it('leaves out a field the payload lacks, as IoT SQL leaves out Undefined', () => {
    const event = compileRule(TELEMETRY_RULE_SQL).toEvent(
      'lighting/L-OWN/telemetry',
      payload({ level: 70, planHash: null }),
      5,
    );
    expect(event).not.toHaveProperty('daylight');
    expect(event).toHaveProperty('planHash', null);
  });

  it('evaluates timestamp() to the arrival time in milliseconds', () => {
    const rule = compileRule("SELECT x, timestamp() AS receivedAt FROM 'a/+'");
    expect(rule.toEvent('a/b', payload({ x: 1 }), 1_700_000_000_123)).toEqual({
      x: 1,
      receivedAt: 1_700_000_000_123,
    });
  });

  it('does not fire on a payload that is not a JSON object', () => {
    const rule = compileRule(TELEMETRY_RULE_SQL);
    expect(rule.toEvent('lighting/L1/telemetry', Buffer.from('not json'), 0)).toBeUndefined();
    expect(rule.toEvent('lighting/L1/telemetry', payload([1, 2]), 0)).toBeUndefined();
  });

  it('refuses SQL it would evaluate differently from AWS, and SELECT * that lets the payload name fields', () => {
    expect(() => compileRule("SELECT *, topic(2) AS thing FROM 'a/+'")).toThrow(/projection "\*"/);
    expect(() => compileRule("SELECT level FROM 'a/+' WHERE level > 3")).toThrow(/unsupported/);
    expect(() => compileRule("SELECT upper(x) AS y FROM 'a/+'")).toThrow(/projection/);
  });
});
