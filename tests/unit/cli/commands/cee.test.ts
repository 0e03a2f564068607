import { describe, expect, it } from 'vitest';
import { command } from '#cli/commands/cee.ts';
import { runCommand } from '#tests/support/cli/run-command.ts';

describe('lighting cee', () => {
  it('prints the example inventory totals labelled as an estimate, with what is to verify', async () => {
    const result = await runCommand(command, '--inventory', 'examples/carcassonne/luminaires.csv');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [label, totals] = result.stdout.split('\n');
    expect(label).toMatch(/^Estimate only/);
    expect(totals).toMatch(/^RES-EC-104: \d+ kWh cumac; RES-EC-103: \d+ kWh cumac; total \d+ kWh cumac$/);
    expect(result.stdout).toContain('to verify:');
  });

  it('prints every line as json', async () => {
    const result = await runCommand(
      command,
      '--inventory',
      'examples/carcassonne/luminaires.csv',
      '--format',
      'json',
    );
    const estimate = JSON.parse(result.stdout);
    expect(estimate.lines.length).toBeGreaterThan(2823);
    expect(estimate.totalKwhCumac.all).toBe(
      estimate.totalKwhCumac['RES-EC-104'] + estimate.totalKwhCumac['RES-EC-103'],
    );
  });

  it('exits 2 without an inventory', async () => {
    expect((await runCommand(command)).code).toBe(2);
  });
});
