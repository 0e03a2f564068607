import { describe, expect, it } from 'vitest';
import { compileRule } from '../../../local-runtime/iot-rules.ts';
import { PRESENCE_RULE_SQL, TELEMETRY_RULE_SQL } from '../../../protocol/iot-rules.ts';

const payload = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('local IoT rule runner', () => {
  it('listens on the rule topic filter', () => {
    expect(compileRule(PRESENCE_RULE_SQL).topicFilter).toBe('lighting/sensors/+/presence');
    expect(compileRule(TELEMETRY_RULE_SQL).topicFilter).toBe('lighting/+/telemetry');
  });

  it('adds topic levels to the payload, overriding what the payload claims', () => {
    const rule = compileRule(PRESENCE_RULE_SQL);
    const event = rule.toEvent('lighting/sensors/S-12/presence', payload({ sensor: 'S-99', id: 'd1' }), 0);
    expect(event).toEqual({ sensor: 'S-12', id: 'd1' });
  });

  it('evaluates timestamp() to the arrival time in milliseconds', () => {
    const rule = compileRule("SELECT *, timestamp() AS receivedAt FROM 'a/+'");
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

  it('refuses SQL it would evaluate differently from AWS', () => {
    expect(() => compileRule("SELECT level FROM 'a/+'")).toThrow(/must select \*/);
    expect(() => compileRule("SELECT * FROM 'a/+' WHERE level > 3")).toThrow(/unsupported/);
    expect(() => compileRule("SELECT *, upper(x) AS y FROM 'a/+'")).toThrow(/projection/);
  });
});
