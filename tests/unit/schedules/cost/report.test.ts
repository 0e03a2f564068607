import { describe, expect, it } from 'vitest';
import { monthlyCost } from '#schedules/cost/monthly.ts';
import { benchLine, COST_BEGIN, COST_END, costSection, withCostSection } from '#schedules/cost/report.ts';
import { measurementOf, prices } from './fixtures.ts';

describe('the cost report', () => {
  it('gives the bench line with the per luminaire-month figure at both fleet sizes, then by wall clock', () => {
    const measurement = measurementOf(136);
    const figures = (basis: 'modelled' | 'wallClock') =>
      (
        [
          [10_000, 'onDemand'],
          [200_000, 'provisioned'],
        ] as const
      ).map(
        ([n, ledger]) =>
          `$${monthlyCost(measurement, prices, n, { lambda: basis, ledger }).perLuminaireUsd.toFixed(4)}`,
      );
    const [small, large] = figures('modelled');
    const [wallSmall, wallLarge] = figures('wallClock');
    expect(benchLine(measurement, prices)).toBe(
      `cost: ${small} per luminaire-month at 10,000, ${large} at 200,000 (15-min telemetry); ` +
        `Lambda by wall clock: ${wallSmall} at 10,000, ${wallLarge} at 200,000`,
    );
  });

  it('tables every line at both fleet sizes, the ledger on demand at 10,000 and provisioned at 200,000, with the totals', () => {
    const section = costSection(measurementOf(136), prices);
    const lines = [
      ...monthlyCost(measurementOf(136), prices, 10_000).lines,
      ...monthlyCost(measurementOf(136), prices, 200_000, { ledger: 'provisioned' }).lines,
    ];
    for (const line of lines) expect(section).toContain(`| ${line.item} |`);
    expect(section).toContain(
      '| 10,000 luminaires (ledger on demand) | 200,000 luminaires (ledger provisioned) |',
    );
    expect(section).toMatch(
      /\| DynamoDB ledger table write capacity \(provisioned, unit-hours\) \| — \| — \| \S/,
    );
    expect(section).toMatch(
      /\| \*\*per luminaire-month\*\* \| \| \*\*\$0\.\d{4}\*\* \| \*\*\$0\.\d{4}\*\* \|/,
    );
  });

  it('replaces only the text between the markers, again and again to the same result', () => {
    const readme = `# Title\n\n${COST_BEGIN}\nold\n${COST_END}\n\nafter\n`;
    const once = withCostSection(readme, 'new');
    expect(once).toBe(`# Title\n\n${COST_BEGIN}\nnew\n${COST_END}\n\nafter\n`);
    expect(withCostSection(once, 'new')).toBe(once);
  });

  it('refuses a README without its markers', () => {
    expect(() => withCostSection('# Title\n', 'new')).toThrow(/markers/);
  });
});
