import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Config } from '#schedules/config/schema.ts';

/**
 * The ETags of the items a pull read, kept next to the config file (`FILE.etags.json`) rather than
 * inside it, so the config file stays exactly what `lighting plan --config` and `lighting check`
 * read. `apply` sends them as `If-Match`: an item changed on the server since the pull is refused.
 */
export const Etags = z.strictObject({
  api: z.string(),
  pulledAt: z.string(),
  profiles: z.record(z.string(), z.string()),
  calendar: z.record(z.string(), z.string()),
  overrides: z.record(z.string(), z.string()),
});
export type Etags = z.infer<typeof Etags>;

export const etagsPathOf = (configPath: string): string => `${configPath}.etags.json`;

export async function readEtags(configPath: string): Promise<Etags | string> {
  const path = etagsPathOf(configPath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return `${path}: cannot read it; run \`lighting config pull --out ${configPath}\` first`;
  }
  try {
    const parsed = Etags.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    return `${path}: not an ETag file written by \`lighting config pull\` (${parsed.error.issues[0]?.message})`;
  } catch (error) {
    return `${path}: not valid JSON: ${(error as Error).message}`;
  }
}

export async function writeConfigFiles(configPath: string, config: Config, etags: Etags): Promise<void> {
  await writeFile(configPath, formatJson(config));
  await writeFile(etagsPathOf(configPath), formatJson(sortedEtags(etags)));
}

function sortedEtags(etags: Etags): Etags {
  const sorted = (tags: Record<string, string>) =>
    Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    ...etags,
    profiles: sorted(etags.profiles),
    calendar: sorted(etags.calendar),
    overrides: sorted(etags.overrides),
  };
}

const WIDTH = 110;

/**
 * JSON for git: one property or list item per line, so an edit shows as a one-line diff. Only the
 * small parts of an item stay on one line when they fit: lists of names (`"zones": ["cite"]`) and
 * objects inside an item (`"on": { "event": "sunset", "offsetMinutes": 10 }`, a step, a target).
 * Key order is the caller's (a pull writes the schema's order, profiles by name).
 */
export function formatJson(value: unknown): string {
  return `${format(value, 0)}\n`;
}

/** Depth 0 the file, 1 its sections, 2 an item (a profile, a rule, an override), 3 an item's parts. */
const ITEM_PART_DEPTH = 3;

function format(value: unknown, depth: number): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const indent = '  '.repeat(depth);
  const isArray = Array.isArray(value);
  const parts = isArray
    ? value.map((item) => format(item, depth + 1))
    : Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${JSON.stringify(k)}: ${format(v, depth + 1)}`);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (parts.length === 0) return `${open}${close}`;
  const oneLine = isArray ? `[${parts.join(', ')}]` : `{ ${parts.join(', ')} }`;
  const small = isArray
    ? value.every((item) => typeof item !== 'object' || item === null)
    : depth >= ITEM_PART_DEPTH;
  if (small && !oneLine.includes('\n') && indent.length + oneLine.length <= WIDTH) return oneLine;
  return `${open}\n${parts.map((p) => `${indent}  ${p}`).join(',\n')}\n${indent}${close}`;
}
