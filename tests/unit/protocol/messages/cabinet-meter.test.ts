import { describe, expect, it } from 'vitest';
import { compileRule } from '#local-runtime/iot-rules.ts';
import {
  CABINET_METER_RULE,
  CabinetMeterEvent,
  cabinetMeterIngestTopic,
  LOCAL_CABINET_METER_RULE,
} from '#protocol/messages/cabinet-meter.ts';
import { parseBasicIngestTopic } from '#protocol/topics.ts';

const reading = {
  thing: 'CAB-OTHER',
  ts: 1_782_077_400,
  seq: 3,
  counterId: 'meter-1',
  phasesWh: [100.5, 200.25, 300],
  totalWh: 600.75,
};

describe('cabinet meter message and its rule', () => {
  it('selects every field by name, the thing from the topic and the receive time from the broker', () => {
    expect(CABINET_METER_RULE.sql).toBe(
      "SELECT topic(2) AS thing, ts, seq, counterId, phasesWh, totalWh, timestamp() AS receivedAt FROM 'lighting/+/cabinet-meter'",
    );
    const event = compileRule(CABINET_METER_RULE.sql).toEvent(
      'lighting/CAB-OWN/cabinet-meter',
      Buffer.from(JSON.stringify({ ...reading, admin: true })),
      1_782_077_401_000,
    );
    expect(event).toEqual({ ...reading, thing: 'CAB-OWN', receivedAt: 1_782_077_401_000 });
    expect(CabinetMeterEvent.safeParse(event).success).toBe(true);
  });

  it('is published through Basic Ingest on the rule of the cabinet meter function', () => {
    const topic = cabinetMeterIngestTopic(LOCAL_CABINET_METER_RULE, 'CAB-1');
    expect(parseBasicIngestTopic(topic)).toEqual({
      ruleName: LOCAL_CABINET_METER_RULE,
      topic: 'lighting/CAB-1/cabinet-meter',
    });
  });

  it.each([
    ['a negative phase register', { phasesWh: [-1, 200.25, 300] }, 'phasesWh.0'],
    ['a phase register beyond 10 GWh', { phasesWh: [2e10, 0, 0], totalWh: 2e10 }, 'phasesWh.0'],
    ['two phases only', { phasesWh: [300.75, 300] }, 'phasesWh'],
    ['a total that is not the sum of the phases', { totalWh: 700 }, 'totalWh'],
    ['a timestamp beyond 2100', { ts: 5_000_000_000 }, 'ts'],
    ['a fractional timestamp', { ts: 1_782_077_400.5 }, 'ts'],
    ['an empty counter id', { counterId: '' }, 'counterId'],
    ['an unknown field', { volts: 230 }, ''],
  ])('refuses %s, naming the field', (_, change, field) => {
    const parsed = CabinetMeterEvent.safeParse({ ...reading, receivedAt: 1, ...change });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });
});
