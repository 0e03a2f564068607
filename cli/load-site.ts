import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseConfig } from '#schedules/config/parse.ts';
import type { Config } from '#schedules/config/schema.ts';
import { type Luminaire, parseCsvInventory, parseGeoJsonInventory } from '#schedules/inventory/index.ts';
import type { Parsed, Problem } from '#schedules/problem.ts';

/** A site's config and inventory, both valid. */
export interface LoadedSite {
  readonly config: Config;
  readonly luminaires: readonly Luminaire[];
}

const INVENTORY_FORMATS: Record<string, (text: string, source: string) => Parsed<Luminaire[]>> = {
  '.geojson': parseGeoJsonInventory,
  '.json': parseGeoJsonInventory,
  '.csv': parseCsvInventory,
};

/**
 * Reads and validates a config file (JSON) and an inventory file (GeoJSON or CSV, by extension).
 * Problems of both files are collected, each naming the file as the user wrote its path.
 */
export async function loadSite(configPath: string, inventoryPath: string): Promise<Parsed<LoadedSite>> {
  const [config, luminaires] = await Promise.all([loadConfig(configPath), loadInventory(inventoryPath)]);
  if (config.ok && luminaires.ok)
    return { ok: true, value: { config: config.value, luminaires: luminaires.value } };
  return { ok: false, problems: [...problemsOf(config), ...problemsOf(luminaires)] };
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

export async function loadInventory(path: string): Promise<Parsed<Luminaire[]>> {
  const parse = INVENTORY_FORMATS[extname(path).toLowerCase()];
  if (parse === undefined) {
    const known = Object.keys(INVENTORY_FORMATS).join(', ');
    return {
      ok: false,
      problems: [{ source: path, path: '', message: `unknown inventory format (expected ${known})` }],
    };
  }
  const text = await readText(path);
  return text.ok ? parse(text.value, path) : text;
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
