import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * DynamoDB Local's database, worked on in memory-backed storage and kept in the data directory.
 *
 * On disk, DynamoDB Local's SQLite syncs every write: the same 6,000 updates took 3–4 times the wall
 * clock and 1.5 times the Java CPU they take on tmpfs (2-core machine, 30 Nov 2026), and `npm start`
 * spends most of its time waiting for DynamoDB Local. So the Java process works on a copy under
 * `/dev/shm`, and the copy is saved into the data directory once the process has ended. SQLite's
 * file and its journal, copied together after the process is gone, are a consistent database.
 *
 * A marker in the data directory names the copy while it is in use. A run that ended without saving
 * (killed) leaves the marker: the next start saves that copy first, once the process that owned it
 * is gone, so what a killed run wrote is not lost. Saving writes a sibling directory and swaps it in;
 * if a crash falls between the two renames, the previous database is still there to start from.
 */
export interface WorkingCopy {
  /** The directory to give DynamoDB Local (`-dbPath`). */
  readonly path: string;
  /** Copies the database back into the data directory; call once DynamoDB Local has exited. */
  save(): void;
}

const TMPFS = '/dev/shm';
const MARKER = 'working-copy.json';

const MarkerSchema = z.strictObject({ path: z.string().min(1).max(4096), pid: z.int().positive() });
type Marker = z.infer<typeof MarkerSchema>;

function writable(directory: string): boolean {
  try {
    accessSync(directory, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The marker, if there is one naming a copy under `tmpfs`; anything else is nothing to recover. */
function readMarker(dataDir: string, tmpfs: string): Marker | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, MARKER), 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const marker = MarkerSchema.safeParse(json);
  return marker.success && marker.data.path.startsWith(`${tmpfs}/`) ? marker.data : undefined;
}

/** Puts `source`'s files in place of `dataDir`'s, keeping the marker out of them. */
function saveInto(source: string, dataDir: string): void {
  const saving = `${dataDir}.saving`;
  const previous = `${dataDir}.previous`;
  rmSync(saving, { recursive: true, force: true });
  cpSync(source, saving, { recursive: true });
  rmSync(previous, { recursive: true, force: true });
  renameSync(dataDir, previous);
  renameSync(saving, dataDir);
  rmSync(previous, { recursive: true, force: true });
}

/** A data directory left between the two renames of a save is taken back from its previous copy. */
function restoreInterruptedSave(dataDir: string): void {
  const previous = `${dataDir}.previous`;
  if (!existsSync(dataDir) && existsSync(previous)) renameSync(previous, dataDir);
}

function recoverAbandoned(dataDir: string, tmpfs: string): void {
  const marker = readMarker(dataDir, tmpfs);
  if (marker === undefined) return;
  if (alive(marker.pid)) {
    throw new Error(
      `DynamoDB Local's data directory ${dataDir} is in use by process ${marker.pid} (its working copy is ${marker.path})`,
    );
  }
  if (existsSync(marker.path)) {
    saveInto(marker.path, dataDir);
    rmSync(marker.path, { recursive: true, force: true });
  }
  rmSync(join(dataDir, MARKER), { force: true });
}

/**
 * The directory DynamoDB Local should use for `dataDir`: a working copy on tmpfs when the machine has
 * a writable `/dev/shm`, else the data directory itself (saving is then nothing to do).
 */
export function openWorkingCopy(dataDir: string, tmpfs: string = TMPFS): WorkingCopy {
  restoreInterruptedSave(dataDir);
  recoverAbandoned(dataDir, tmpfs);
  if (!writable(tmpfs)) return { path: dataDir, save: () => undefined };
  const path = mkdtempSync(join(tmpfs, 'dynamodb-local-'));
  cpSync(dataDir, path, { recursive: true });
  rmSync(join(path, MARKER), { force: true });
  writeFileSync(join(dataDir, MARKER), JSON.stringify({ path, pid: process.pid } satisfies Marker));
  let saved = false;
  return {
    path,
    save() {
      if (saved) return;
      saved = true;
      saveInto(path, dataDir);
      rmSync(path, { recursive: true, force: true });
    },
  };
}
