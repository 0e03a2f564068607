import { z } from 'zod';
import { type ComplianceReport, checkCompliance } from '#schedules/compliance/check.ts';
import { LocalDate } from '#schedules/config/schema.ts';
import { circuitsOf } from '#schedules/plan/plan-night.ts';
import { nightOf } from '#schedules/time/night.ts';
import { defineCommand } from '../args.ts';
import { loadSiteOrReport, SITE_FLAGS, SITE_OPTIONS } from '../load-site.ts';

const USAGE = `usage: lighting compliance --config FILE --inventory FILE [--cabinets FILE] [--night YYYY-MM-DD] [--format json|table]

Checks the site against the rules of the light-nuisance order of 27 December 2018 that the inventory
(usage, colour temperature, upward light ratio, installation date), the zones' facts (site.zones) and
the night's plan can show: each rule broken, or not checkable for want of data (named), per
luminaire or zone, with the rule's article and what to change. Rules marked "to verify" follow
secondary summaries of the order, not its text.
  --config     site config (JSON)
  --inventory  luminaires (.geojson/.json or .csv)
  --night      the night whose plan the time rules read (default: tonight, site time)
  --format     table (default) or json
Exit code: 0 no rule broken (not-checkable ones listed), 1 a rule broken or a bad config or
inventory, 2 bad usage.`;

const Flags = z.strictObject({
  ...SITE_FLAGS,
  night: z.string().pipe(LocalDate).optional(),
  format: z.enum(['json', 'table']).default('table'),
});

export const command = defineCommand({
  name: 'compliance',
  summary: 'check the site against the light-nuisance order of 27 December 2018',
  usage: USAGE,
  options: {
    ...SITE_OPTIONS,
    night: { type: 'string' },
    format: { type: 'string' },
  },
  flags: Flags,
  async run(flags) {
    const site = await loadSiteOrReport(flags);
    if (site === null) return 1;
    const { night, format } = flags;
    const { config, luminaires, cabinets } = site;
    const report = checkCompliance(
      config,
      luminaires,
      night ?? nightOf(config.site.timezone, Date.now() / 1000),
      circuitsOf(cabinets, luminaires),
    );
    process.stdout.write(
      format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : complianceTable(report),
    );
    return report.findings.some((finding) => finding.status === 'broken') ? 1 : 0;
  },
});

function complianceTable(report: ComplianceReport): string {
  const rules = report.rules.map(
    (r) =>
      `  ${r.id} (${r.article}${r.verified ? '' : ', to verify'}): ${r.broken} broken, ${r.notCheckable} not checkable, ` +
      `${r.compliant} compliant, ${r.notApplicable} not concerned`,
  );
  const rows = report.findings.map((f) => [
    f.status,
    f.rule,
    f.article,
    f.luminaire ?? `zone ${f.zone}`,
    f.status === 'broken'
      ? `${f.detail}; ${f.change ?? ''}`
      : `${f.detail} (missing: ${(f.missing ?? []).join(', ')})`,
  ]);
  const header = ['status', 'rule', 'article', 'luminaire', 'finding'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const broken = report.findings.filter((f) => f.status === 'broken').length;
  return [
    `light-nuisance order of 27 December 2018, night ${report.night}`,
    ...rules,
    '',
    ...(rows.length === 0 ? ['no finding'] : [line(header), ...rows.map(line)]),
    `${broken} broken, ${report.findings.length - broken} not checkable`,
    '',
  ].join('\n');
}
