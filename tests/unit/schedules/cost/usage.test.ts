import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CostMeter, unitsOf } from '#schedules/cost/usage.ts';

describe('billing units', () => {
  it('count every started block, and at least one', () => {
    expect(unitsOf(0, 5120)).toBe(1);
    expect(unitsOf(5120, 5120)).toBe(1);
    expect(unitsOf(5121, 5120)).toBe(2);
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.integer({ min: 1, max: 100_000 }), (bytes, unit) => {
        const units = unitsOf(bytes, unit);
        expect(units * unit).toBeGreaterThanOrEqual(bytes);
        expect(units === 1 || (units - 1) * unit < bytes).toBe(true);
      }),
    );
  });
});

describe('the cost meter', () => {
  it('counts connection-minutes on the clock it is given, devices still connected up to the snapshot', () => {
    const meter = new CostMeter();
    meter.deviceConnected('a', 0);
    meter.deviceConnected('b', 60);
    meter.deviceDisconnected('a', 600);
    // A reconnect before the disconnect is noticed does not restart the count.
    meter.deviceConnected('b', 120);
    expect(meter.snapshot(660).iot.connectionMinutes).toBe(10 + 10);
    meter.deviceDisconnected('b', 660);
    meter.deviceDisconnected('b', 900);
    expect(meter.snapshot(6000).iot.connectionMinutes).toBe(20);
  });

  it('meters messages in 5 KB units, shadow operations in 1 KB units, Basic Ingest apart', () => {
    const meter = new CostMeter();
    meter.message(100, 'connect');
    meter.message(5 * 1024 + 1, 'publish classic update');
    meter.shadowOperation(1024, 'classic update');
    meter.shadowOperation(2500, 'plan update');
    meter.basicIngest();
    const { iot } = meter.snapshot(0);
    expect(iot).toMatchObject({ messages: 3, shadowOperations: 4, basicIngestMessages: 1 });
  });

  it('splits messages and shadow operations by kind, in their billing units', () => {
    const meter = new CostMeter();
    meter.message(100, 'deliver plan update/delta');
    meter.message(5 * 1024 + 1, 'deliver plan update/delta');
    meter.message(0, 'connect');
    meter.shadowOperation(2500, 'plan update');
    meter.shadowOperation(10, 'classic update');
    meter.shadowOperation(10, 'classic update');
    const { iot } = meter.snapshot(0);
    expect(iot.messagesByKind).toEqual({ 'deliver plan update/delta': 3, connect: 1 });
    expect(iot.shadowOperationsByKind).toEqual({ 'plan update': 3, 'classic update': 2 });
  });

  it('counts at least one action per rule triggered', () => {
    const meter = new CostMeter();
    meter.ruleTriggered(0);
    meter.ruleTriggered(2);
    expect(meter.snapshot(0).iot).toMatchObject({ rulesTriggered: 2, ruleActions: 3 });
  });

  it('counts a stream record as Kinesis PUT payload units of 25 KB, and no Firehose record by itself', () => {
    const meter = new CostMeter();
    meter.streamRecord(300, 0);
    meter.streamRecord(26 * 1024, 90);
    const { kinesis, firehose } = meter.snapshot(0);
    expect(kinesis).toMatchObject({ records: 2, putPayloadUnits: 3, recordBytes: 300 + 26 * 1024 });
    expect(firehose.records).toBe(0);
  });

  it('counts a Firehose record as put, its bytes rounded up to 5 KB blocks', () => {
    const meter = new CostMeter();
    meter.firehoseRecord(300);
    meter.firehoseRecord(26 * 1024);
    meter.rawReportsCompressed(120);
    expect(meter.snapshot(0).firehose).toEqual({
      records: 2,
      billedBytes: (1 + 6) * 5 * 1024,
      compressedBytes: 120,
    });
  });

  it('keeps the most stream records put in one simulated minute', () => {
    const meter = new CostMeter();
    for (const at of [0, 59, 60, 61, 119, 120, 3_600]) meter.streamRecord(300, at);
    expect(meter.snapshot(0).kinesis).toMatchObject({ records: 7, peakMinuteRecords: 3 });
  });

  it('bills a function its wall-clock duration rounded up to the millisecond times its memory, with its CPU time and round trips', () => {
    const meter = new CostMeter();
    meter.declareFunction('telemetry', 'perEvent', 512);
    meter.invocation('telemetry', 99.2);
    meter.invocation('telemetry', 0.4);
    meter.cpu('telemetry', 12.5);
    meter.cpu('telemetry', 0.25);
    meter.awsRound('telemetry', ['dynamodb']);
    meter.awsRound('telemetry', ['iotdata', 'dynamodb', 'dynamodb']);
    meter.awsRound('telemetry', ['dynamodb', 'iotdata']);
    meter.capacity('telemetry', 'write', 3);
    meter.capacity('telemetry', 'read', 0.5);
    meter.logBytes('telemetry', 200);
    expect(meter.snapshot(0).functions.telemetry).toEqual({
      runs: 'perEvent',
      memoryMb: 512,
      scheduledRuns: 0,
      requests: 2,
      gbSeconds: (0.1 + 0.001) * 0.5,
      cpuMs: 12.75,
      awsRounds: { dynamodb: 1, 'dynamodb+iotdata': 2 },
      readUnits: 0.5,
      writeUnits: 3,
      logBytes: 200,
    });
  });

  it('refuses work for a function it was not told about', () => {
    expect(() => new CostMeter().capacity('nobody', 'read', 1)).toThrow(/nobody/);
  });

  it('gives snapshots that later counting does not change', () => {
    const meter = new CostMeter();
    meter.declareFunction('alarm-sweep', 'scheduled', 1024);
    meter.schedulerInvocation('alarm-sweep');
    const before = meter.snapshot(0);
    meter.schedulerInvocation('alarm-sweep');
    meter.sqsRequests(3);
    expect(before).toMatchObject({ schedulerInvocations: 1, sqsRequests: 0 });
    expect(meter.snapshot(0)).toMatchObject({ schedulerInvocations: 2, sqsRequests: 3 });
  });
});
