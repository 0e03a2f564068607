import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkingCopy } from '#local-cloud/dynamodb-working-copy.ts';

let root: string;
let dataDir: string;
let tmpfs: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'working-copy-'));
  dataDir = join(root, 'dynamodb');
  tmpfs = join(root, 'shm');
  mkdirSync(dataDir);
  mkdirSync(tmpfs);
  writeFileSync(join(dataDir, 'shared-local-instance.db'), 'before');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

const database = (directory: string) => readFileSync(join(directory, 'shared-local-instance.db'), 'utf8');

/** A pid no process has: a child that has already exited and been reaped. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid;

/** A database in `directory`, left by a run that died while its marker named it. */
function leftByDeadRun(directory: string, content: string): void {
  mkdirSync(directory);
  writeFileSync(join(directory, 'shared-local-instance.db'), content);
  writeFileSync(join(dataDir, 'working-copy.json'), JSON.stringify({ path: directory, pid: deadPid() }));
}

describe('DynamoDB Local working copy', () => {
  it('works on a copy in tmpfs and puts it back in the data directory when saved', () => {
    const copy = openWorkingCopy(dataDir, tmpfs);
    expect(copy.path.startsWith(`${tmpfs}/`)).toBe(true);
    expect(database(copy.path)).toBe('before');
    writeFileSync(join(copy.path, 'shared-local-instance.db'), 'after');
    writeFileSync(join(copy.path, 'shared-local-instance.db-journal'), 'journal');
    expect(database(dataDir)).toBe('before');

    copy.save();

    expect(database(dataDir)).toBe('after');
    expect(readdirSync(dataDir).sort()).toEqual([
      'shared-local-instance.db',
      'shared-local-instance.db-journal',
    ]);
    expect(existsSync(copy.path)).toBe(false);
  });

  it('drops files the database no longer has, such as a journal gone since the last save', () => {
    writeFileSync(join(dataDir, 'shared-local-instance.db-journal'), 'stale');
    const copy = openWorkingCopy(dataDir, tmpfs);
    rmSync(join(copy.path, 'shared-local-instance.db-journal'));
    copy.save();
    expect(readdirSync(dataDir)).toEqual(['shared-local-instance.db']);
  });

  it('refuses a data directory whose working copy a live process holds', () => {
    const copy = openWorkingCopy(dataDir, tmpfs);
    expect(() => openWorkingCopy(dataDir, tmpfs)).toThrow(/in use by process/);
    copy.save();
    expect(() => openWorkingCopy(dataDir, tmpfs).save()).not.toThrow();
  });

  it('saves the copy a killed run left before starting from it', () => {
    const abandoned = join(tmpfs, 'dynamodb-local-killed');
    leftByDeadRun(abandoned, 'written by the killed run');

    const copy = openWorkingCopy(dataDir, tmpfs);

    expect(database(copy.path)).toBe('written by the killed run');
    expect(database(dataDir)).toBe('written by the killed run');
    expect(existsSync(abandoned)).toBe(false);
    copy.save();
    expect(existsSync(join(dataDir, 'working-copy.json'))).toBe(false);
  });

  it('ignores a marker that points outside tmpfs', () => {
    const elsewhere = join(root, 'elsewhere');
    leftByDeadRun(elsewhere, 'not ours');

    const copy = openWorkingCopy(dataDir, tmpfs);

    expect(database(copy.path)).toBe('before');
    expect(existsSync(elsewhere)).toBe(true);
    copy.save();
  });

  it.each([
    ['not JSON', '{"path":'],
    ['a negative pid', JSON.stringify({ path: '/dev/shm/x', pid: -1 })],
    ['an unknown field', JSON.stringify({ path: '/dev/shm/x', pid: 1, extra: true })],
  ])('ignores a marker that is %s and keeps the database it has', (_, text) => {
    writeFileSync(join(dataDir, 'working-copy.json'), text);
    const copy = openWorkingCopy(dataDir, tmpfs);
    expect(database(copy.path)).toBe('before');
    copy.save();
    expect(database(dataDir)).toBe('before');
  });

  it('starts from the previous database when a save was cut between its two renames', () => {
    renameSync(dataDir, `${dataDir}.previous`);
    const copy = openWorkingCopy(dataDir, tmpfs);
    expect(database(copy.path)).toBe('before');
    copy.save();
    expect(existsSync(`${dataDir}.previous`)).toBe(false);
  });

  it('uses the data directory itself where there is no writable tmpfs', () => {
    const copy = openWorkingCopy(dataDir, join(root, 'no-such-tmpfs'));
    expect(copy.path).toBe(dataDir);
    copy.save();
    expect(database(dataDir)).toBe('before');
  });
});
