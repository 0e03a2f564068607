import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ShadowSnapshot } from './shadow-store.ts';

/**
 * Keeps the shadows in `<dataDir>/shadows.json` so they survive a restart of `npm start`. Writes are
 * debounced (a plan push changes thousands of shadows a second) and atomic (temporary file, then
 * rename), so a crash leaves the previous file intact, never half of one.
 */
export const SHADOWS_FILE = 'shadows.json';
const DEBOUNCE_MS = 500;

const Json: z.ZodType<unknown> = z.json();
const JsonObject = z.record(z.string(), Json);
const ShadowDocument = z.object({
  state: z.object({ desired: JsonObject.optional(), reported: JsonObject.optional() }),
  metadata: z.object({ desired: JsonObject.optional(), reported: JsonObject.optional() }),
  version: z.number().int().nonnegative(),
  timestamp: z.number().int().nonnegative(),
});
const ShadowEntry = z.object({
  document: ShadowDocument.optional(),
  deletedVersion: z.number().int().nonnegative().optional(),
  deletedAt: z.number().int().nonnegative().optional(),
});
const ShadowsFile = z.object({
  format: z.literal(1),
  things: z.record(z.string(), z.record(z.string(), ShadowEntry)),
});

/** Reads the saved shadows; an absent file is an empty store, a corrupt one an error naming the field. */
export function loadShadows(dataDir: string): ShadowSnapshot {
  const path = join(dataDir, SHADOWS_FILE);
  if (!existsSync(path)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = ShadowsFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data.things as ShadowSnapshot;
}

export interface ShadowWriter {
  /** Notes that the store changed; a write follows within the debounce delay. */
  changed(): void;
  /** Writes pending changes now (used on shutdown). */
  flush(): Promise<void>;
}

export function shadowWriter(dataDir: string, snapshot: () => ShadowSnapshot): ShadowWriter {
  const path = join(dataDir, SHADOWS_FILE);
  let timer: NodeJS.Timeout | undefined;
  let dirty = false;
  let writing: Promise<void> = Promise.resolve();

  const write = async (): Promise<void> => {
    if (!dirty) return;
    dirty = false;
    await mkdir(dataDir, { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify({ format: 1, things: snapshot() }));
    await rename(temporary, path);
  };
  const flush = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    writing = writing.then(write);
    return writing;
  };
  return {
    changed() {
      dirty = true;
      timer ??= setTimeout(() => {
        flush().catch((error: Error) => {
          process.stderr.write(
            `${JSON.stringify({ level: 'ERROR', message: 'saving shadows failed', path, error: error.message })}\n`,
          );
        });
      }, DEBOUNCE_MS);
    },
    flush,
  };
}
