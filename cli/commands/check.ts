import { z } from 'zod';
import { inventoryNameProblems } from '#schedules/config/inventory-names.ts';
import { formatProblem } from '#schedules/problem.ts';
import { defineCommand } from '../args.ts';
import { loadSite } from '../load-site.ts';

const USAGE = `usage: lighting check --config FILE --inventory FILE

Validates a site config and its inventory together, offline: the schema of both files, the config's
cross checks and shadow budget, duplicate luminaire ids and thing names, and the zone, street and
luminaire names that rules and overrides select but no luminaire of the inventory has.
  --config     site config (JSON)
  --inventory  luminaires (.geojson/.json or .csv)
Exit code: 0 clean, 1 problems (one line per problem on stderr: file: path: message), 2 bad usage.`;

const Flags = z.strictObject({
  config: z.string({ error: 'required: the site config file (JSON)' }).min(1),
  inventory: z.string({ error: 'required: the inventory file (.geojson, .json or .csv)' }).min(1),
});

export const command = defineCommand({
  name: 'check',
  summary: 'validate a config and an inventory together, offline (one line per problem)',
  usage: USAGE,
  options: { config: { type: 'string' }, inventory: { type: 'string' } },
  flags: Flags,
  async run({ config, inventory }) {
    const site = await loadSite(config, inventory);
    const problems = site.ok
      ? inventoryNameProblems(site.value.config, site.value.luminaires, config)
      : site.problems;
    if (problems.length > 0) {
      process.stderr.write(`${problems.map(formatProblem).join('\n')}\n`);
      return 1;
    }
    process.stdout.write(`${config} and ${inventory}: no problems\n`);
    return 0;
  },
});
