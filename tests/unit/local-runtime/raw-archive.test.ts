import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeHandler } from '#functions/archive/archive.handler.ts';
import { RAW_ERRORS_PREFIX, RAW_TELEMETRY_PREFIX } from '#functions/store/raw-archive-layout.ts';
import { startLocalRawArchive } from '#local-runtime/raw-archive.ts';
import { startLocalRecordStream } from '#local-runtime/record-stream.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'raw-archive-'));
  dirs.push(dir);
  return dir;
}

/** 2026-06-21 22:10 UTC and 23:05 UTC: two hours of one date. */
const T22 = Date.parse('2026-06-21T22:10:00Z') / 1000;
const T23 = Date.parse('2026-06-21T23:05:00Z') / 1000;
const report = (thing: string, ts: number, seq: number) => JSON.stringify({ thing, ts, seq, energyWh: seq });

/** Every line archived under `<dir>/<prefix>`, object by object, as `zcat` would print them. */
async function readLocalRawArchive(dir: string, prefix: string): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.gz'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const texts = await Promise.all(files.map(async (file) => gunzipSync(await readFile(file)).toString()));
  return texts.flatMap((text) => text.split('\n').filter((line) => line.length > 0));
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

describe('local raw telemetry archive (Firehose stand-in)', () => {
  it('archives every report the archive function reads from the stream as gzipped NDJSON under site, date and hour of its ts', async () => {
    const dir = await tempDir();
    const archive = startLocalRawArchive({ dir, site: 'cite', name: 'telemetry', bufferMs: 60_000 });
    const stream = startLocalRecordStream(makeHandler(archive), {
      name: 'telemetry',
      shards: 2,
      batchWindowMs: 50,
    });
    const sent = [report('a', T22, 1), report('b', T22 + 60, 1), report('a', T23, 2), report('a', T23, 2)];
    for (const data of sent) stream.put(JSON.parse(data).thing, data);
    await stream.drained();
    stream.stop();
    await archive.stop();

    const files = await filesUnder(dir);
    expect(files.every((f) => f.endsWith('.gz'))).toBe(true);
    expect(files.map((f) => f.split('/').slice(0, 5).join('/')).sort()).toEqual([
      'raw/telemetry/site=cite/date=2026-06-21/hour=22',
      'raw/telemetry/site=cite/date=2026-06-21/hour=23',
    ]);
    const hour22 = await readLocalRawArchive(
      dir,
      `${RAW_TELEMETRY_PREFIX}site=cite/date=2026-06-21/hour=22/`,
    );
    expect(hour22).toEqual(sent.slice(0, 2));
    // Firehose keeps what the stream delivered, duplicates included: the ledger, not the archive, dedupes.
    expect(await readLocalRawArchive(dir, RAW_TELEMETRY_PREFIX)).toHaveLength(4);
    // One record per shard's batch, de-aggregated into its reports.
    expect(archive.stats()).toMatchObject({ reports: 4, objects: 2, failed: 0 });
    expect(archive.stats().records).toBeLessThanOrEqual(2);
  });

  it('writes a partition as soon as its buffer reaches the size hint, and the rest at its time hint', async () => {
    const dir = await tempDir();
    const archive = startLocalRawArchive({
      dir,
      site: 'cite',
      name: 'telemetry',
      bufferBytes: 4 * (report('a', T22, 0).length + 1),
      bufferMs: 3_000,
    });
    await archive.putRecordBatch(Array.from({ length: 10 }, (_, seq) => report('a', T22, seq)));
    // Every fourth report fills a buffer: two objects at once, the last two reports wait for the time
    // hint. Two small files take milliseconds to write; a loaded machine gets 2.5 s before the hint.
    await vi.waitFor(() => expect(archive.stats().objects).toBe(2), { timeout: 2_500 });
    await archive.putRecordBatch([report('a', T23, 10)]);
    await vi.waitFor(() => expect(archive.stats().objects).toBe(4), { timeout: 30_000 });
    const all = (await readLocalRawArchive(dir, RAW_TELEMETRY_PREFIX)).map((line) => JSON.parse(line).seq);
    expect(all.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await archive.stop();
  });

  it('puts a record without a usable ts under the errors prefix, not in a date partition', async () => {
    const dir = await tempDir();
    const archive = startLocalRawArchive({ dir, site: 'cite', name: 'telemetry' });
    // One aggregated record: each of its lines is placed on its own, as Firehose's de-aggregation does.
    await archive.putRecordBatch([
      ['not json', JSON.stringify({ thing: 'a', ts: 'yesterday' }), report('a', T22, 1)].join('\n'),
    ]);
    await archive.stop();
    expect(await readLocalRawArchive(dir, `${RAW_ERRORS_PREFIX}processing-failed/`)).toEqual([
      'not json',
      JSON.stringify({ thing: 'a', ts: 'yesterday' }),
    ]);
    expect(await readLocalRawArchive(dir, RAW_TELEMETRY_PREFIX)).toEqual([report('a', T22, 1)]);
    expect(archive.stats()).toMatchObject({ records: 1, reports: 3, failed: 2 });
  });
});
