import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHandler } from '#functions/archive/archive.handler.ts';
import { RAW_ERRORS_PREFIX, RAW_TELEMETRY_PREFIX } from '#functions/store/raw-archive-layout.ts';
import { startIotLocal } from '#local-cloud/index.ts';
import { compileRule } from '#local-runtime/iot-rules.ts';
import { startLocalRawArchive } from '#local-runtime/raw-archive.ts';
import { type StreamConsumer, startLocalRecordStream } from '#local-runtime/record-stream.ts';
import {
  LOCAL_TELEMETRY_RULE,
  TELEMETRY_RULE_SQL,
  telemetryIngestTopic,
} from '#protocol/messages/telemetry.ts';

/** 2026-06-21 22:50 UTC: reports 15 minutes apart cross into the 23rd hour. */
const T = Date.parse('2026-06-21T22:50:00Z') / 1000;
const NO_WAIT = { maxAttempts: 2, baseMs: 0, capMs: 0 };

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Every report archived under `<dir>/<prefix>`, parsed where it is JSON. */
async function archived(dir: string, prefix: string): Promise<{ key: string; line: string }[]> {
  const entries = await readdir(join(dir, prefix), { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.gz'));
  const objects = await Promise.all(
    files.map(async (e) => {
      const path = join(e.parentPath, e.name);
      const lines = gunzipSync(await readFile(path))
        .toString()
        .split('\n')
        .filter(Boolean);
      return lines.map((line) => ({ key: path.slice(dir.length + 1, path.lastIndexOf('/')), line }));
    }),
  );
  return objects.flat();
}

/**
 * The local pipeline of the raw archive: the IoT stand-in's Basic Ingest rule puts each report on
 * the stream, the archive function reads it on its own and puts aggregated records to the local
 * delivery stream, which de-aggregates and writes gzipped NDJSON under the bucket's keys.
 */
async function pipeline(consumerOf: (archive: StreamConsumer) => StreamConsumer = (c) => c) {
  const dir = await mkdtemp(join(tmpdir(), 'raw-archive-it-'));
  closers.push(() => rm(dir, { recursive: true, force: true }));
  const archive = startLocalRawArchive({ dir, site: 'cite', name: 'raw-archive' });
  const stream = startLocalRecordStream(consumerOf(makeHandler(archive, NO_WAIT)), {
    name: 'telemetry',
    shards: 2,
    batchSize: 10_000,
    // Long enough for every report of a test to reach one batch a shard, however loaded the machine.
    batchWindowMs: 1_000,
    retryDelayMs: 20,
  });
  closers.push(async () => stream.stop());
  const rule = compileRule(TELEMETRY_RULE_SQL);
  const iot = await startIotLocal({});
  closers.push(() => iot.stop());
  iot.routeRule(LOCAL_TELEMETRY_RULE, (topic, payload) => {
    const event = rule.matches(topic) ? rule.toEvent(topic, payload, (T + 2) * 1000) : undefined;
    if (event !== undefined) stream.put(String(event.thing), JSON.stringify(event));
  });
  const device = await mqtt.connectAsync(iot.mqttUrl, { protocolVersion: 4 });
  closers.push(() => device.endAsync());
  const publish = (thing: string, seq: number) =>
    device.publishAsync(
      telemetryIngestTopic(LOCAL_TELEMETRY_RULE, thing),
      JSON.stringify({ seq, ts: T + 900 * seq, energyWh: 100 + seq }),
      { qos: 1 },
    );
  const settle = async () => {
    await stream.drained();
    await archive.flush();
  };
  return { dir, archive, stream, publish, settle };
}

describe('raw archive through the local pipeline (ADR 0013)', () => {
  it('archives each published report once, in aggregated records, under the date and hour of its own ts', async () => {
    const { dir, archive, publish, settle } = await pipeline();
    await Promise.all(
      ['lum-a', 'lum-b', 'lum-c'].flatMap((thing) => [0, 1, 2].map((seq) => publish(thing, seq))),
    );
    await settle();
    const lines = await archived(dir, RAW_TELEMETRY_PREFIX);
    const byKey = (hour: string) =>
      lines
        .filter((l) => l.key === `raw/telemetry/site=cite/date=2026-06-21/hour=${hour}`)
        .map((l) => JSON.parse(l.line) as { thing: string; seq: number })
        .map(({ thing, seq }) => `${thing}/${seq}`)
        .sort();
    expect(byKey('22')).toEqual(['lum-a/0', 'lum-b/0', 'lum-c/0']);
    expect(byKey('23')).toEqual(['lum-a/1', 'lum-a/2', 'lum-b/1', 'lum-b/2', 'lum-c/1', 'lum-c/2']);
    expect(lines).toHaveLength(9);
    // Fewer Firehose records than reports: what the 5 KB rounding is billed on.
    expect(archive.stats().reports).toBe(9);
    expect(archive.stats().records).toBeLessThan(9);
  });

  it('puts a row that is not JSON or has no numeric ts under the errors prefix, the good rows of its record in place', async () => {
    const { dir, archive, stream, publish, settle } = await pipeline();
    stream.put('lum-x', 'not json');
    stream.put('lum-x', JSON.stringify({ thing: 'lum-x', ts: 'yesterday' }));
    await publish('lum-x', 0);
    await settle();
    const errors = await archived(dir, `${RAW_ERRORS_PREFIX}processing-failed/`);
    expect(errors.map((e) => e.line).sort()).toEqual(
      [JSON.stringify({ thing: 'lum-x', ts: 'yesterday' }), 'not json'].sort(),
    );
    const placed = await archived(dir, RAW_TELEMETRY_PREFIX);
    expect(placed.map((l) => JSON.parse(l.line).thing)).toEqual(['lum-x']);
    expect(archive.stats()).toMatchObject({ reports: 3, failed: 2 });
  });

  it('archives a batch the stream delivers again twice, as ADR 0013 keeps duplicates for the query to remove', async () => {
    let failures = 1;
    // The first invocation puts its records, then fails (a timeout after the put): the shard reads them again.
    const { dir, publish, settle } = await pipeline((archive) => async (event) => {
      const response = await archive(event);
      if (failures-- > 0) throw new Error('timed out after the put');
      return response;
    });
    await publish('lum-d', 0);
    await settle();
    const lines = (await archived(dir, RAW_TELEMETRY_PREFIX)).map((l) => l.line);
    expect(lines).toHaveLength(2);
    expect(new Set(lines).size).toBe(1);
  });
});
