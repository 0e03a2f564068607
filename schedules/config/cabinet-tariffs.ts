import type { Cabinet } from '../inventory/schema.ts';
import type { Problem } from '../problem.ts';
import type { Config } from './schema.ts';

/**
 * The cabinets whose `tariffOption` is the option of no tariff of the config: their delivery
 * point's energy and subscription could not be priced by its contract. A site without dated
 * tariffs prices every delivery point at its flat price, so there is nothing to check.
 */
export function cabinetTariffProblems(
  config: Pick<Config, 'site'>,
  cabinets: readonly Pick<Cabinet, 'id' | 'tariffOption'>[],
  source: string,
): Problem[] {
  const { tariffs } = config.site;
  if (tariffs.length === 0) return [];
  const options = new Set(tariffs.flatMap((tariff) => (tariff.option === undefined ? [] : [tariff.option])));
  const known =
    options.size === 0 ? 'no tariff names an option' : `options: ${[...options].sort().join(', ')}`;
  return cabinets
    .filter((cabinet) => !options.has(cabinet.tariffOption))
    .map((cabinet) => ({
      source,
      path: `cabinet ${cabinet.id}, tariffOption`,
      message: `"${cabinet.tariffOption}" is the option of no tariff of the config (${known})`,
    }));
}
