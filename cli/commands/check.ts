import { z } from 'zod';
import { cabinetPowerProblems } from '#schedules/config/cabinet-power.ts';
import { cabinetSwitchingProblems } from '#schedules/config/cabinet-switching.ts';
import { cabinetTariffProblems } from '#schedules/config/cabinet-tariffs.ts';
import { inventoryNameProblems } from '#schedules/config/inventory-names.ts';
import { nightOf } from '#schedules/index.ts';
import { defineCommand } from '../args.ts';
import { loadSite, reportProblems, SITE_FLAGS, SITE_OPTIONS } from '../load-site.ts';

const USAGE = `usage: lighting check --config FILE --inventory FILE [--cabinets FILE]

Validates a site config and its inventory together, offline: the schema of the files, the config's
cross checks and shadow budget, duplicate luminaire ids and thing names, the zone, street and
luminaire names that rules and overrides select but no luminaire of the inventory has, the cabinets
luminaires name, the cabinets whose tariffOption is the option of no tariff of the config, the
cabinets whose luminaires at full power (with the line loss) draw more than the subscribed power,
and the cabinets whose luminaires without their own controller ask for different switch times on
some night of the coming year.
  --config     site config (JSON)
  --inventory  luminaires (.geojson/.json or .csv)
  --cabinets   cabinets (.geojson/.json or .csv; default: cabinets.csv next to the inventory, if any)
Exit code: 0 clean, 1 problems (one line per problem on stderr: file: path: message), 2 bad usage.`;

const Flags = z.strictObject(SITE_FLAGS);

/** Nights the cabinet switching check plans: a year, so seasonal and dated rules are seen. */
const CHECKED_NIGHTS = 366;

export const command = defineCommand({
  name: 'check',
  summary: 'validate a config and an inventory together, offline (one line per problem)',
  usage: USAGE,
  options: SITE_OPTIONS,
  flags: Flags,
  async run({ config, inventory, cabinets }) {
    const site = await loadSite(config, inventory, cabinets);
    const problems = site.ok
      ? [
          ...inventoryNameProblems(site.value.config, site.value.luminaires, config),
          ...cabinetTariffProblems(site.value.config, site.value.cabinets, cabinets ?? inventory),
          ...cabinetPowerProblems(site.value.cabinets, site.value.luminaires, cabinets ?? inventory),
          ...cabinetSwitchingProblems(
            site.value.config,
            site.value.cabinets,
            site.value.luminaires,
            nightOf(site.value.config.site.timezone, Date.now() / 1000),
            CHECKED_NIGHTS,
            cabinets ?? inventory,
          ),
        ]
      : site.problems;
    if (problems.length > 0) return reportProblems(problems);
    process.stdout.write(`${config} and ${inventory}: no problems\n`);
    return 0;
  },
});
