import { readFileSync } from 'node:fs';
import { Config, type Luminaire, type Profile } from '#schedules/index.ts';
import { parseCsvCabinets, parseCsvInventory } from '#schedules/inventory/index.ts';

const exampleFile = (name: string) =>
  readFileSync(new URL(`../../../../../../examples/carcassonne/${name}`, import.meta.url), 'utf8');

/** The Carcassonne example the console is shown with: its configuration and inventory. */
export const example = Config.parse(JSON.parse(exampleFile('config.json')));

const cabinets = parseCsvCabinets(exampleFile('cabinets.csv'), 'cabinets.csv');
if (!cabinets.ok) throw new Error('the example cabinets do not parse');
const inventory = parseCsvInventory(
  exampleFile('luminaires.csv'),
  'luminaires.csv',
  new Set(cabinets.value.map((cabinet) => cabinet.id)),
);
if (!inventory.ok) throw new Error('the example inventory does not parse');
export const exampleLuminaires: readonly Luminaire[] = inventory.value;

export function exampleProfile(name: string): Profile {
  const profile = example.profiles[name];
  if (profile === undefined) throw new Error(`no profile ${name} in the example`);
  return profile;
}
