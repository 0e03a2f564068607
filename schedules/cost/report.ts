import { type CapacityMode, fleetPeakToMean, LEDGER_AUTO_SCALING, peakToMeanOf } from './capacity.ts';
import type { LambdaBasis } from './duration.ts';
import { type MonthlyCost, monthlyCost } from './monthly.ts';
import { PRICE_KEYS, type PriceTable } from './prices.ts';
import type { Measurement } from './usage.ts';

/**
 * The two fleet sizes the README and the bench quote, each with the ledger table's capacity mode
 * its deployment would choose (ADR 0017): on demand for a small city, provisioned with auto
 * scaling for a large one (infra/settings.ts, `ledgerWriteCapacity`).
 */
export const QUOTED_FLEETS: readonly { readonly luminaires: number; readonly ledger: CapacityMode }[] = [
  { luminaires: 10_000, ledger: 'onDemand' },
  { luminaires: 200_000, ledger: 'provisioned' },
];

const LEDGER_MODE: Record<CapacityMode, string> = { onDemand: 'on demand', provisioned: 'provisioned' };

const quoted = (measurement: Measurement, prices: PriceTable, lambda: LambdaBasis): MonthlyCost[] =>
  QUOTED_FLEETS.map(({ luminaires, ledger }) =>
    monthlyCost(measurement, prices, luminaires, { lambda, ledger }),
  );

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2 });
const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

function quantity(value: number): string {
  if (value >= 1e9) return `${count.format(Number((value / 1e9).toPrecision(3)))} G`;
  if (value >= 1e6) return `${count.format(Number((value / 1e6).toPrecision(3)))} M`;
  if (value >= 1e3) return `${count.format(Number((value / 1e3).toPrecision(3)))} k`;
  return count.format(Number(value.toPrecision(3)));
}

/** Dollars per luminaire-month with four decimals: the figures are tenths of a cent. */
export const perLuminaire = (cost: MonthlyCost): string => `$${cost.perLuminaireUsd.toFixed(4)}`;

/** The bench's line: the modelled figure, then the one with the handlers' wall-clock durations (an upper bound). */
export function benchLine(measurement: Measurement, prices: PriceTable): string {
  const figures = (basis: LambdaBasis) => quoted(measurement, prices, basis).map(perLuminaire);
  const [small, large] = figures('modelled');
  const [wallSmall, wallLarge] = figures('wallClock');
  const minutes = Math.round(measurement.telemetryEverySeconds / 60);
  return (
    `cost: ${small} per luminaire-month at 10,000, ${large} at 200,000 (${minutes}-min telemetry); ` +
    `Lambda by wall clock: ${wallSmall} at 10,000, ${wallLarge} at 200,000`
  );
}

/** The busiest minute each provisioned column holds, and the run's own it is modelled from. */
function provisionedPeaks(measurement: Measurement): string {
  const fleets = QUOTED_FLEETS.filter((f) => f.ledger === 'provisioned').map(
    (f) =>
      `${fleetPeakToMean(measurement, f.luminaires).toFixed(3)} × the mean at ${count.format(f.luminaires)}`,
  );
  const spread = measurement.reportSpreadSeconds;
  const from =
    spread === undefined
      ? "the run's own"
      : `modelled from the agents' reports spread over ${count.format(spread)} s of each period`;
  return `${fleets.join(', ')} (${from}; the run's busiest minute was ${peakToMeanOf(measurement).toFixed(2)} × its mean)`;
}

/** How the ledger's lines are modelled, when the run measured its batches. */
function ledgerBatches(measurement: Measurement): string {
  const batching = measurement.deployment.ledgerBatching;
  if (
    batching === undefined ||
    measurement.usage.functions[measurement.deployment.ledgerFunction]?.batches === undefined
  )
    return '';
  return (
    "The ledger's invocations, CPU and units are modelled with the batches AWS would give it at each size (a " +
    `shard's ${batching.batchWindowSeconds}-second window of the fleet's reports, at most ${count.format(batching.batchSize)}): ` +
    "what a batch pays whatever its size is shared by its reports, what a report pays for its luminaire's own " +
    'items is as measured (docs/cost.md). '
  );
}

/** The README's cost section (between its markers), generated from a measurement and the price table. */
export function costSection(measurement: Measurement, prices: PriceTable): string {
  const costs = quoted(measurement, prices, 'modelled');
  const wallClock = quoted(measurement, prices, 'wallClock');
  const unconfirmed = PRICE_KEYS.filter((key) => !prices.prices[key].confirmed).length;
  const columns = QUOTED_FLEETS.map(
    (f) => `${count.format(f.luminaires)} luminaires (ledger ${LEDGER_MODE[f.ledger]})`,
  );
  const header = `| per 30-day month | grows with | ${columns.join(' | ')} |`;
  const rule = `| --- | --- | ${costs.map(() => '---:').join(' | ')} |`;
  // A provisioned ledger bills lines on demand does not (its capacity-hours): a row per item of any
  // column, in the provisioned column's order, which has them all.
  const items = new Map(
    costs.toReversed().flatMap((c) => c.lines.map((line) => [line.item, line.scaling] as const)),
  );
  const rows = [...items].map(([item, scaling]) => {
    const cells = costs.map((c) => {
      const l = c.lines.find((line) => line.item === item);
      return l === undefined ? '—' : `${quantity(l.quantity)} → ${usd.format(l.usd)}`;
    });
    return `| ${item} | ${scaling === 'perLuminaire' ? 'fleet' : '—'} | ${cells.join(' | ')} |`;
  });
  const totals = [
    `| of which grows with the fleet | | ${costs.map((c) => usd.format(c.scalingUsd.perLuminaire)).join(' | ')} |`,
    `| of which fixed | | ${costs.map((c) => usd.format(c.scalingUsd.fixed)).join(' | ')} |`,
    `| **total** | | ${costs.map((c) => `**${usd.format(c.totalUsd)}**`).join(' | ')} |`,
    `| **per luminaire-month** | | ${costs.map((c) => `**${perLuminaire(c)}**`).join(' | ')} |`,
  ];
  const hours = count.format(measurement.simulatedHours);
  const reportsDue =
    (measurement.luminaires * measurement.simulatedHours * 3600) / measurement.telemetryEverySeconds;
  return [
    `Measured, not estimated: \`npx tsx bench/cost.bench.ts\` runs ${hours} simulated hours of a ` +
      `${measurement.luminaires}-luminaire site (${measurement.sensors} presence sensors, telemetry every ` +
      `${Math.round(measurement.telemetryEverySeconds / 60)} minutes) through the local pipeline and counts what AWS ` +
      `would bill (\`docs/cost/measured-night.json\`, measured ${measurement.measuredOn}); the prices are ` +
      `\`schedules/cost/prices-eu-west-3.json\` (${prices.region}, ${prices.currency}, as of ${prices.asOf}; ` +
      `${unconfirmed} of its ${PRICE_KEYS.length} prices are not confirmed for the region, see the file). ` +
      'Per-luminaire counts scale with the fleet, the rest does not; [docs/cost.md](docs/cost.md) explains how. ' +
      `${count.format(measurement.usage.kinesis.records)} reports reached the pipeline, ${count.format(reportsDue)} were due ` +
      "(the run's clock wakes every device on time whatever the machine's load; the bench fails under 99 %). " +
      "The scheduled functions' runs are also measured alone at two fleet sizes: what a run pays whatever the fleet " +
      'is billed by the run (the lines marked fixed part), the rest grows with the fleet. ' +
      "Lambda GB-seconds are modelled: each function's CPU time, slowed as Lambda slows a function below one vCPU's " +
      'memory, plus a dated latency per round trip to AWS it waited for (`lambdaTiming` in the price file). ' +
      `With the handlers' wall-clock durations on the bench machine instead (${measurement.host.cpus} cores, load average ` +
      `${measurement.host.loadAverage.toFixed(1)} at the end of the run), an upper bound that measures the machine's load: ` +
      `${wallClock.map(perLuminaire).join(' and ')} per luminaire-month. ` +
      `The ledger (telemetry) table is ${QUOTED_FLEETS.map((f) => `${LEDGER_MODE[f.ledger]} at ${count.format(f.luminaires)}`).join(', ')} ` +
      `luminaires (provisioned: auto scaling at a ${LEDGER_AUTO_SCALING.targetUtilization * 100} % target from a minimum ` +
      `that holds the fleet's busiest minute, ${provisionedPeaks(measurement)}; ADR 0017). ` +
      ledgerBatches(measurement) +
      'Free tier and volume discounts are ignored. Regenerate with `npm run cost:readme`.',
    '',
    header,
    rule,
    ...rows,
    ...totals,
  ].join('\n');
}

export const COST_BEGIN = '<!-- cost:begin (generated by npm run cost:readme) -->';
export const COST_END = '<!-- cost:end -->';

/** `readme` with the text between the cost markers replaced by `section`. */
export function withCostSection(readme: string, section: string): string {
  const begin = readme.indexOf(COST_BEGIN);
  const end = readme.indexOf(COST_END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no ${COST_BEGIN} … ${COST_END} markers`);
  return `${readme.slice(0, begin + COST_BEGIN.length)}\n${section}\n${readme.slice(end)}`;
}
