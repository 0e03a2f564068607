import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CONSOLE_DIR = join(ROOT, 'console');
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');

/** What the build is made from: the console, the pure core it imports, the pinned dependencies. */
const SOURCES = [
  'console/src',
  'console/index.html',
  'console/vite.config.ts',
  'schedules',
  'protocol',
  'package-lock.json',
];

async function newestChange(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestChange(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}

/** Whether console/dist is missing or older than any of its sources. */
export async function consoleBuildIsStale(): Promise<boolean> {
  const built = await stat(join(CONSOLE_DIST, 'index.html')).catch(() => undefined);
  if (built === undefined) return true;
  const sources = await Promise.all(SOURCES.map((source) => newestChange(join(ROOT, source))));
  return Math.max(...sources) > built.mtimeMs;
}

/** Builds the console with Vite when its build is missing or stale; answers the build's directory. */
export async function ensureConsoleBuilt(log: (message: string) => void = () => {}): Promise<string> {
  if (await consoleBuildIsStale()) {
    log('building the console (vite build)');
    // Vite is loaded only when a build is due: most starts find the build fresh.
    const { build } = await import('vite');
    await build({ configFile: join(CONSOLE_DIR, 'vite.config.ts'), logLevel: 'warn' });
  }
  return CONSOLE_DIST;
}
