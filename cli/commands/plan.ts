import { z } from 'zod';
import { LocalDate } from '#schedules/config/schema.ts';
import { circuitsOf, planNight } from '#schedules/plan/plan-night.ts';
import type { LuminairePlan, NightPlan } from '#schedules/plan/types.ts';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import { defineCommand } from '../args.ts';
import { loadSiteOrReport, SITE_FLAGS, SITE_OPTIONS } from '../load-site.ts';

const USAGE = `usage: lighting plan --config FILE --inventory FILE [--cabinets FILE] --night YYYY-MM-DD [--format json|table] [--id ID ...]

Prints what every luminaire does on the night starting at the given date (12:00 to 12:00 the next day,
site time): profile, switch-on and switch-off, level transitions (cut where its cabinet is off),
planned and baseline energy.
  --config     site config (JSON)
  --inventory  luminaires (.geojson/.json: GeoJSON FeatureCollection of Points; .csv: id,lat,lon,...)
  --format     json (default; times ISO 8601 with the site's offset) or table (one row per luminaire)
  --id         only these luminaires (repeatable)
Exit code: 0 done, 1 bad config or inventory (one line per problem on stderr), 2 bad usage.`;

const Flags = z.strictObject({
  ...SITE_FLAGS,
  night: z
    .string({ error: 'required: the night, YYYY-MM-DD (the date its evening belongs to)' })
    .pipe(LocalDate),
  format: z.enum(['json', 'table']).default('json'),
  id: z.array(z.string().min(1)).optional(),
});

export const command = defineCommand({
  name: 'plan',
  summary: "print one night's plan for every luminaire (JSON or a table)",
  usage: USAGE,
  options: {
    ...SITE_OPTIONS,
    night: { type: 'string' },
    format: { type: 'string' },
    id: { type: 'string', multiple: true },
  },
  flags: Flags,
  async run(flags) {
    const { inventory, night, format, id } = flags;
    const site = await loadSiteOrReport(flags);
    if (site === null) return 1;
    const known = new Set(site.luminaires.map((l) => l.id));
    const unknown = (id ?? []).filter((wanted) => !known.has(wanted));
    if (unknown.length > 0) {
      process.stderr.write(
        `${unknown.map((u) => `${inventory}: no luminaire with id ${JSON.stringify(u)}`).join('\n')}\n`,
      );
      return 1;
    }
    // The whole inventory is planned even for a few ids: a luminaire's plan does not depend on which
    // others are asked for.
    const plan = planNight(site.config, site.luminaires, night, circuitsOf(site.cabinets, site.luminaires));
    const wanted = id === undefined ? undefined : new Set(id);
    const shown = wanted === undefined ? plan.luminaires : plan.luminaires.filter((l) => wanted.has(l.id));
    const output = format === 'json' ? planJson(plan, shown) : planTable(plan, shown, site.luminaires);
    process.stdout.write(output);
    return 0;
  },
});

const tenth = (wh: number) => Math.round(wh * 10) / 10;

function planJson(plan: NightPlan, shown: readonly LuminairePlan[]): string {
  const clock = ZoneClock.of(plan.timezone);
  const iso = (at: number | null) => (at === null ? null : clock.format(at));
  const luminaires = shown.map((l) => ({
    id: l.id,
    thingName: l.thingName,
    profile: l.profile,
    on: iso(l.on),
    off: iso(l.off),
    transitions: l.transitions.map((t) => ({ at: clock.format(t.at), level: t.level })),
    energyWh: tenth(l.energyWh),
    baselineWh: tenth(l.baselineWh),
  }));
  // One luminaire per line: readable, greppable, and still one JSON document.
  const head = JSON.stringify({ night: plan.night, timezone: plan.timezone, totals: totalsOf(shown) }).slice(
    0,
    -1,
  );
  const body = luminaires.map((l) => `  ${JSON.stringify(l)}`).join(',\n');
  return `${head},\n"luminaires":[\n${body}\n]}\n`;
}

function totalsOf(shown: readonly LuminairePlan[]) {
  return {
    luminaires: shown.length,
    lit: shown.filter((l) => l.on !== null).length,
    energyWh: tenth(shown.reduce((sum, l) => sum + l.energyWh, 0)),
    baselineWh: tenth(shown.reduce((sum, l) => sum + l.baselineWh, 0)),
  };
}

function planTable(
  plan: NightPlan,
  shown: readonly LuminairePlan[],
  luminaires: readonly { id: string; zone: string; street: string }[],
): string {
  const clock = ZoneClock.of(plan.timezone);
  const hhmm = (at: number | null) => (at === null ? '-' : clock.format(at).slice(11, 16));
  const where = new Map(luminaires.map((l) => [l.id, l]));
  const rows = shown.map((l) => [
    l.id,
    where.get(l.id)?.zone ?? '',
    where.get(l.id)?.street ?? '',
    l.profile ?? '(off)',
    hhmm(l.on),
    hhmm(l.off),
    l.transitions.map((t) => `${hhmm(t.at)} ${t.level}`).join(', '),
    tenth(l.energyWh).toFixed(1),
    tenth(l.baselineWh).toFixed(1),
  ]);
  const header = ['id', 'zone', 'street', 'profile', 'on', 'off', 'levels', 'energy Wh', 'baseline Wh'];
  const numeric = new Set([7, 8]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const totals = totalsOf(shown);
  const saved = totals.baselineWh > 0 ? Math.round((1 - totals.energyWh / totals.baselineWh) * 100) : 0;
  return [
    `night ${plan.night} (${plan.timezone}), times local`,
    line(header),
    ...rows.map(line),
    `${totals.lit} of ${totals.luminaires} luminaires lit; ${(totals.energyWh / 1000).toFixed(1)} kWh planned, ` +
      `${(totals.baselineWh / 1000).toFixed(1)} kWh baseline (${saved} % saved)`,
    '',
  ].join('\n');
}
