import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSite } from '#cli/load-site.ts';
import { logger } from '#functions/shared/logger.ts';
import { meterLocalRun } from '#local-runtime/metered-run.ts';
import { ZoneClock } from '#schedules/index.ts';
import { PresenceSensor } from '#schedules/inventory/schema.ts';

const EXAMPLE = 'examples/carcassonne';

describe('a metered local run', () => {
  it('counts every kind of billable operation the cost meter claims to measure', async () => {
    const site = await loadSite(`${EXAMPLE}/config.json`, `${EXAMPLE}/luminaires.geojson`);
    if (!site.ok) throw new Error('the example site does not load');
    const { config } = site.value;
    const luminaires = site.value.luminaires.filter((l) => l.zone === 'cite').slice(0, 6);
    const sensors = PresenceSensor.array()
      .parse(JSON.parse(readFileSync(`${EXAMPLE}/sensors.json`, 'utf8')))
      .filter((s) => s.zone === 'cite')
      .slice(0, 2);
    const cabinets = site.value.cabinets.filter((c) => luminaires.some((l) => l.cabinet === c.id));
    // The deployed log level: log bytes are part of the bill.
    logger.setLogLevel('INFO');
    const usage = await meterLocalRun({
      config,
      luminaires,
      cabinets,
      sensors,
      from: ZoneClock.of(config.site.timezone).toEpoch('2026-03-20', 12 * 3600 + 50 * 60),
      hours: 1,
      speed: 300,
      telemetryEverySeconds: 900,
      pushAt: '13:00',
    }).finally(() => logger.setLogLevel('SILENT'));

    const { iot, kinesis, firehose, functions } = usage;
    expect(iot.connectionMinutes).toBeGreaterThan(6 * 55);
    expect(iot.connectionMinutes).toBeLessThan(8 * 70);
    for (const count of [iot.messages, iot.basicIngestMessages, iot.shadowOperations, iot.rulesTriggered])
      expect(count).toBeGreaterThan(0);
    expect(iot.ruleActions).toBeGreaterThanOrEqual(iot.rulesTriggered);
    // What the counts are made of: every message and shadow unit under a kind.
    const sum = (byKind: Record<string, number> | undefined) =>
      Object.values(byKind ?? {}).reduce((a, b) => a + b, 0);
    expect(sum(iot.messagesByKind)).toBe(iot.messages);
    expect(sum(iot.shadowOperationsByKind)).toBe(iot.shadowOperations);
    // A controller writes its classic shadow after connecting and for the plan it applied (ADR 0020).
    const devices = luminaires.length + cabinets.length;
    expect(iot.shadowOperationsByKind?.['classic update'] ?? 0).toBeLessThanOrEqual(2 * devices);
    // Reports and sensor detections (if the hour has any) go by Basic Ingest: the reports to the
    // stream, each detection to presence.
    expect(iot.basicIngestMessages).toBe(kinesis.records + (functions.presence?.requests ?? 0));
    expect(kinesis.putPayloadUnits).toBeGreaterThanOrEqual(kinesis.records);
    expect(firehose.billedBytes).toBeGreaterThan(0);
    expect(firehose.compressedBytes).toBeGreaterThan(0);
    expect(functions.telemetry).toMatchObject({ runs: 'perEvent', memoryMb: 512 });
    for (const name of ['telemetry', 'plan-push-chunk']) {
      const fn = functions[name];
      expect(fn?.requests, name).toBeGreaterThan(0);
      expect(fn?.gbSeconds, name).toBeGreaterThan(0);
      expect(fn?.writeUnits, name).toBeGreaterThan(0);
      expect(fn?.readUnits, name).toBeGreaterThan(0);
      expect(fn?.logBytes, name).toBeGreaterThan(0);
    }
    // The ledger's batches: each report's own items apart from the other items its batch writes
    // once, of which there are only rejects (zone and street figures are the night close's).
    const batches = functions.telemetry?.batches;
    expect(batches?.records).toBeGreaterThan(0);
    expect(batches?.batches).toBe(functions.telemetry?.requests);
    expect(batches?.luminaireVisits).toBeGreaterThan(0);
    expect(batches?.ownWriteUnits).toBeGreaterThan(0);
    expect(Object.keys(batches?.sharedKinds ?? {}).filter((kind) => kind !== 'REJECTS')).toEqual([]);
    expect((batches?.ownWriteUnits ?? 0) + (batches?.sharedWriteUnits ?? 0)).toBeCloseTo(
      functions.telemetry?.writeUnits ?? 0,
      6,
    );
    expect(functions['alarm-sweep']).toMatchObject({ runs: 'scheduled' });
    expect(functions['alarm-sweep']?.scheduledRuns).toBeGreaterThanOrEqual(3);
    expect(usage.schedulerInvocations).toBeGreaterThanOrEqual(4);
    expect(usage.sqsRequests).toBeGreaterThan(0);
  }, 300_000);
});
