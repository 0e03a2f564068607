import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadShadows, SHADOWS_FILE, shadowWriter } from '#local-cloud/iot/shadow-persistence.ts';
import type { ShadowSnapshot } from '#local-cloud/iot/shadow-store.ts';

const directories: string[] = [];
afterEach(() => {
  for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function directory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shadows-'));
  directories.push(dir);
  return dir;
}

const snapshot: ShadowSnapshot = {
  'L-1': {
    '': {
      document: {
        state: { reported: { level: 5 } },
        metadata: { reported: { level: { timestamp: 9 } } },
        version: 3,
        timestamp: 9,
      },
    },
    plan: { deletedVersion: 4, deletedAt: 10 },
  },
};

describe('shadow persistence', () => {
  it('starts empty when there is no file yet', () => {
    expect(loadShadows(directory())).toEqual({});
  });

  it('writes what the store holds after a change and reads it back', async () => {
    const dir = directory();
    const writer = shadowWriter(dir, () => snapshot);
    writer.changed();
    await writer.flush();
    expect(loadShadows(dir)).toEqual(snapshot);
  });

  it('writes nothing when nothing changed', async () => {
    const dir = directory();
    await shadowWriter(dir, () => snapshot).flush();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('coalesces a burst of changes into one write within the debounce delay, leaving no temporary file', async () => {
    const dir = directory();
    let reads = 0;
    const writer = shadowWriter(dir, () => {
      reads++;
      return snapshot;
    });
    for (let i = 0; i < 1000; i++) writer.changed();
    await expect.poll(() => readdirSync(dir)).toEqual([SHADOWS_FILE]);
    await writer.flush();
    expect(reads).toBe(1);
  });

  it('names the file and the field of a corrupt save', () => {
    const dir = directory();
    writeFileSync(
      join(dir, SHADOWS_FILE),
      JSON.stringify({ format: 1, things: { 'L-1': { '': { document: { version: -1 } } } } }),
    );
    expect(() => loadShadows(dir)).toThrow(new RegExp(`${SHADOWS_FILE}: things\\.L-1\\.\\.document\\.state`));
    writeFileSync(join(dir, SHADOWS_FILE), '{"format":');
    expect(() => loadShadows(dir)).toThrow(/not valid JSON/);
  });

  it('saves the format version with the shadows', async () => {
    const dir = directory();
    const writer = shadowWriter(dir, () => snapshot);
    writer.changed();
    await writer.flush();
    expect(JSON.parse(readFileSync(join(dir, SHADOWS_FILE), 'utf8'))).toEqual({
      format: 1,
      things: snapshot,
    });
  });
});
