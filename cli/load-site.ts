import { access, readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { z } from 'zod';
import { parseConfig } from '#schedules/config/parse.ts';
import type { Config } from '#schedules/config/schema.ts';
import {
  type Cabinet,
  type Luminaire,
  parseCsvCabinets,
  parseCsvInventory,
  parseGeoJsonCabinets,
  parseGeoJsonInventory,
} from '#schedules/inventory/index.ts';
import { formatProblem, type Parsed, type Problem } from '#schedules/problem.ts';
import type { FlagOptions } from './args.ts';

/** A site's config and inventory, both valid. */
export interface LoadedSite {
  readonly config: Config;
  readonly luminaires: readonly Luminaire[];
  readonly cabinets: readonly Cabinet[];
}

/** The flags naming an inventory and its cabinets, for the commands that read them. */
export const INVENTORY_FLAGS = {
  inventory: z.string({ error: 'required: the inventory file (.geojson, .json or .csv)' }).min(1),
  cabinets: z.string().min(1).optional(),
};
export const INVENTORY_OPTIONS = {
  inventory: { type: 'string' },
  cabinets: { type: 'string' },
} as const satisfies FlagOptions;

/** The flags naming a site's config, inventory and cabinets. */
export const SITE_FLAGS = {
  config: z.string({ error: 'required: the site config file (JSON)' }).min(1),
  ...INVENTORY_FLAGS,
};
export const SITE_OPTIONS = {
  config: { type: 'string' },
  ...INVENTORY_OPTIONS,
} as const satisfies FlagOptions;

/** The site the flags name, or null once its problems are written on stderr (one line each). */
export async function loadSiteOrReport(flags: {
  readonly config: string;
  readonly inventory: string;
  readonly cabinets?: string | undefined;
}): Promise<LoadedSite | null> {
  return valueOrReport(await loadSite(flags.config, flags.inventory, flags.cabinets));
}

/** The luminaires and cabinets the flags name, or null once their problems are written on stderr. */
export async function loadInventoryOrReport(flags: {
  readonly inventory: string;
  readonly cabinets?: string | undefined;
}): Promise<{ luminaires: Luminaire[]; cabinets: Cabinet[] } | null> {
  return valueOrReport(await loadInventoryWithCabinets(flags.inventory, flags.cabinets));
}

/** Writes problems on stderr, one line each, and gives the exit code of a bad input (1). */
export function reportProblems(problems: readonly Problem[]): 1 {
  process.stderr.write(`${problems.map(formatProblem).join('\n')}\n`);
  return 1;
}

function valueOrReport<T>(parsed: Parsed<T>): T | null {
  if (parsed.ok) return parsed.value;
  reportProblems(parsed.problems);
  return null;
}

type Format<T> = (text: string, source: string, cabinets: ReadonlySet<string>) => Parsed<T[]>;

const INVENTORY_FORMATS: Record<string, Format<Luminaire>> = {
  '.geojson': parseGeoJsonInventory,
  '.json': parseGeoJsonInventory,
  '.csv': parseCsvInventory,
};

const CABINET_FORMATS: Record<string, Format<Cabinet>> = {
  '.geojson': parseGeoJsonCabinets,
  '.json': parseGeoJsonCabinets,
  '.csv': parseCsvCabinets,
};

/** The file the cabinets are read from when none is named: cabinets.csv next to the inventory. */
const SIBLING_CABINETS = 'cabinets.csv';

/**
 * Reads and validates a config file (JSON), an inventory file (GeoJSON or CSV, by extension) and
 * its cabinets (`cabinetsPath`, or cabinets.csv next to the inventory when there is one). Problems
 * of all files are collected, each naming the file as the user wrote its path.
 */
export async function loadSite(
  configPath: string,
  inventoryPath: string,
  cabinetsPath?: string,
): Promise<Parsed<LoadedSite>> {
  const [config, inventory] = await Promise.all([
    loadConfig(configPath),
    loadInventoryWithCabinets(inventoryPath, cabinetsPath),
  ]);
  if (config.ok && inventory.ok) return { ok: true, value: { config: config.value, ...inventory.value } };
  return { ok: false, problems: [...problemsOf(config), ...problemsOf(inventory)] };
}

/** The luminaires and the cabinets they name (see loadSite). */
export async function loadInventoryWithCabinets(
  inventoryPath: string,
  cabinetsPath?: string,
): Promise<Parsed<{ luminaires: Luminaire[]; cabinets: Cabinet[] }>> {
  const cabinets = await loadCabinets(inventoryPath, cabinetsPath);
  if (!cabinets.ok) return cabinets;
  const luminaires = await loadInventory(inventoryPath, cabinets.value);
  return luminaires.ok
    ? { ok: true, value: { luminaires: luminaires.value, cabinets: cabinets.value } }
    : luminaires;
}

/** The cabinets of `cabinetsPath`, or of cabinets.csv next to the inventory, or none. */
export async function loadCabinets(inventoryPath: string, cabinetsPath?: string): Promise<Parsed<Cabinet[]>> {
  let path = cabinetsPath;
  if (path === undefined) {
    const sibling = join(dirname(inventoryPath), SIBLING_CABINETS);
    const present = await access(sibling).then(
      () => true,
      () => false,
    );
    if (!present) return { ok: true, value: [] };
    path = sibling;
  }
  return readRecords(path, CABINET_FORMATS, 'cabinet', new Set());
}

export async function loadConfig(path: string): Promise<Parsed<Config>> {
  const text = await readText(path);
  if (!text.ok) return text;
  let raw: unknown;
  try {
    raw = JSON.parse(text.value);
  } catch (error) {
    return {
      ok: false,
      problems: [{ source: path, path: '', message: `not valid JSON: ${(error as Error).message}` }],
    };
  }
  return parseConfig(raw, path);
}

/** The luminaires of an inventory file; they may name `cabinets` only. */
export async function loadInventory(
  path: string,
  cabinets: readonly Cabinet[] = [],
): Promise<Parsed<Luminaire[]>> {
  return readRecords(path, INVENTORY_FORMATS, 'inventory', new Set(cabinets.map((cabinet) => cabinet.id)));
}

async function readRecords<T>(
  path: string,
  formats: Record<string, Format<T>>,
  what: string,
  cabinets: ReadonlySet<string>,
): Promise<Parsed<T[]>> {
  const parse = formats[extname(path).toLowerCase()];
  if (parse === undefined) {
    const known = Object.keys(formats).join(', ');
    return {
      ok: false,
      problems: [{ source: path, path: '', message: `unknown ${what} format (expected ${known})` }],
    };
  }
  const text = await readText(path);
  return text.ok ? parse(text.value, path, cabinets) : text;
}

async function readText(path: string): Promise<Parsed<string>> {
  try {
    return { ok: true, value: await readFile(path, 'utf8') };
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return { ok: false, problems: [{ source: path, path: '', message: `cannot read: ${reason}` }] };
  }
}

function problemsOf<T>(parsed: Parsed<T>): readonly Problem[] {
  return parsed.ok ? [] : parsed.problems;
}
