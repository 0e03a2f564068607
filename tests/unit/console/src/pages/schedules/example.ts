import { readFileSync } from 'node:fs';
import { Config, type Luminaire, type Profile } from '#schedules/index.ts';
import { parseCsvInventory } from '#schedules/inventory/index.ts';

/** The Carcassonne example the console is shown with: its configuration and inventory. */
export const example = Config.parse(
  JSON.parse(
    readFileSync(new URL('../../../../../../examples/carcassonne/config.json', import.meta.url), 'utf8'),
  ),
);

const inventory = parseCsvInventory(
  readFileSync(new URL('../../../../../../examples/carcassonne/luminaires.csv', import.meta.url), 'utf8'),
  'luminaires.csv',
);
if (!inventory.ok) throw new Error('the example inventory does not parse');
export const exampleLuminaires: readonly Luminaire[] = inventory.value;

export function exampleProfile(name: string): Profile {
  const profile = example.profiles[name];
  if (profile === undefined) throw new Error(`no profile ${name} in the example`);
  return profile;
}
