/**
 * The README's cost section, generated from the committed measurement (docs/cost/measured-night.json,
 * written by `BENCH_COST_SNAPSHOT=docs/cost/measured-night.json npx tsx bench/cost.bench.ts`) and the
 * price table (schedules/cost/prices-eu-west-3.json): `npm run cost:readme` rewrites it between its
 * markers; tests/unit/scripts/cost-readme.test.ts fails when the README differs from what this gives.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PriceTable } from '#schedules/cost/prices.ts';
import { costSection, withCostSection } from '#schedules/cost/report.ts';
import { Measurement } from '#schedules/cost/usage.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PRICES_FILE = join(ROOT, 'schedules/cost/prices-eu-west-3.json');
export const MEASUREMENT_FILE = join(ROOT, 'docs/cost/measured-night.json');
export const README_FILE = join(ROOT, 'README.md');

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

export const loadPrices = (): PriceTable => PriceTable.parse(readJson(PRICES_FILE));
export const loadMeasurement = (): Measurement => Measurement.parse(readJson(MEASUREMENT_FILE));

/** The README as the generator would write it. */
export const generatedReadme = (): string =>
  withCostSection(readFileSync(README_FILE, 'utf8'), costSection(loadMeasurement(), loadPrices()));

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeFileSync(README_FILE, generatedReadme());
  console.log(`README.md: cost section regenerated from ${MEASUREMENT_FILE}`);
}
