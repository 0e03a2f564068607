import type { SavingsFigures, SavingsGroup, SavingsReport } from '#schedules/report/savings.ts';
import { COLUMNS, type Column, columnOf } from './columns.ts';

/**
 * The savings report as one printable HTML page: no script, no external asset (charts are inline
 * SVG, styles inline), so it can be mailed, archived or printed as is.
 */

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const COLOURS = { metered: '#1f4e79', controls: '#5b9bd5', led: '#a9d18e', baseline: '#c9c9c9' };

/** Charts show at most this many groups (the largest baselines); the table lists them all. */
const MAX_CHART_GROUPS = 25;

/** `fr-FR` for French formats: 1 234,5 and 12,30 €, dates dd/mm/yyyy. */
export type HtmlLocale = 'en-GB' | 'fr-FR';

function formatter(currency: string, locale: HtmlLocale) {
  // One format per number of decimals: making an Intl.NumberFormat costs more than formatting with it,
  // and a table by street formats thousands of cells.
  const formats = new Map<number, Intl.NumberFormat>();
  const number = (decimals: number): Intl.NumberFormat => {
    let format = formats.get(decimals);
    if (format === undefined) {
      format = new Intl.NumberFormat(locale, {
        minimumFractionDigits: decimals,
        maximumFractionDigits: decimals,
      });
      formats.set(decimals, format);
    }
    return format;
  };
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency });
  return (column: Pick<Column, 'decimals' | 'money' | 'percent'>, value: number): string => {
    if (column.percent) return `${number(1).format(value * 100)} %`;
    if (column.money) return money.format(value);
    return number(Math.min(column.decimals, 1)).format(value);
  };
}

/** A unit price or factor with the digits it was given (up to 5), e.g. 0,1234 €/kWh. */
type Rate = (value: number) => string;
const rateFormat = (locale: HtmlLocale): Rate => {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 5 });
  return (value) => number.format(value);
};

/** A local date YYYY-MM-DD as the locale writes it (dd/mm/yyyy in French). */
const localDate = (date: string, locale: HtmlLocale): string =>
  locale === 'fr-FR' ? `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}` : date;

/** Horizontal stacked bars: metered, then dimming savings, then LED savings; together the baseline. */
function breakdownChart(groups: readonly SavingsGroup[], title: string): string {
  const shown = [...groups].sort((a, b) => b.baselineKwh - a.baselineKwh).slice(0, MAX_CHART_GROUPS);
  const max = Math.max(1e-9, ...shown.map((g) => Math.max(g.baselineKwh, g.meteredKwh)));
  const label = 190;
  const width = 720;
  const barArea = width - label - 70;
  const rowHeight = 22;
  const height = shown.length * rowHeight + 50;
  const scale = (kwh: number) => (Math.max(0, kwh) / max) * barArea;
  const rows = shown.map((group, i) => {
    const y = 10 + i * rowHeight;
    const parts: [number, string, string][] = [
      [group.meteredKwh, COLOURS.metered, 'metered'],
      [group.controlsSavingsKwh, COLOURS.controls, 'dimming and controls savings'],
      [group.ledConversionSavingsKwh, COLOURS.led, 'LED conversion savings'],
    ];
    let x = label;
    const rects = parts.map(([kwh, colour, what]) => {
      const w = scale(kwh);
      const rect = `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="${colour}"><title>${escapeHtml(`${group.key}: ${what} ${kwh.toFixed(0)} kWh`)}</title></rect>`;
      x += w;
      return rect;
    });
    return [
      `<text x="${label - 6}" y="${y + 12}" text-anchor="end">${escapeHtml(truncate(group.key, 30))}</text>`,
      ...rects,
      `<text x="${(x + 4).toFixed(1)}" y="${y + 12}">${(group.savingsShare * 100).toFixed(0)} %</text>`,
    ].join('');
  });
  const legendY = height - 22;
  const legend = legendItems(
    [
      [COLOURS.metered, 'Metered'],
      [COLOURS.controls, 'Saved by dimming and controls'],
      [COLOURS.led, 'Saved by the LED conversion'],
    ],
    label,
    legendY,
  );
  const note =
    groups.length > shown.length
      ? ` (the ${shown.length} largest of ${groups.length}; all are in the table)`
      : '';
  return figure(`${title}${note}`, width, height, rows.join('') + legend);
}

/** Columns per month: baseline beside metered. */
function monthlyChart(months: readonly SavingsGroup[]): string {
  const width = 720;
  const height = 240;
  const left = 60;
  const bottom = height - 50;
  const top = 10;
  const max = Math.max(1e-9, ...months.map((m) => Math.max(m.baselineKwh, m.meteredKwh)));
  const slot = (width - left - 10) / Math.max(1, months.length);
  const barWidth = Math.min(24, slot / 2 - 2);
  const y = (kwh: number) => bottom - (Math.max(0, kwh) / max) * (bottom - top);
  const ticks = [0, 0.5, 1].map((f) => {
    const value = max * f;
    return `<line x1="${left}" x2="${width - 10}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#e5e5e5"/><text x="${left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${Math.round(value).toLocaleString('en-GB')}</text>`;
  });
  const bars = months.map((month, i) => {
    const x = left + i * slot + slot / 2 - barWidth;
    const bar = (dx: number, kwh: number, colour: string, what: string) =>
      `<rect x="${(x + dx).toFixed(1)}" y="${y(kwh).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(bottom - y(kwh)).toFixed(1)}" fill="${colour}"><title>${escapeHtml(`${month.key}: ${what} ${kwh.toFixed(0)} kWh`)}</title></rect>`;
    return (
      bar(0, month.baselineKwh, COLOURS.baseline, 'baseline') +
      bar(barWidth, month.meteredKwh, COLOURS.metered, 'metered') +
      `<text x="${(x + barWidth).toFixed(1)}" y="${bottom + 14}" text-anchor="middle">${escapeHtml(month.key)}</text>`
    );
  });
  const legend = legendItems(
    [
      [COLOURS.baseline, 'Baseline (pre-LED, all night)'],
      [COLOURS.metered, 'Metered'],
    ],
    left,
    height - 18,
  );
  return figure('Energy month by month (kWh)', width, height, ticks.join('') + bars.join('') + legend);
}

function legendItems(items: readonly [string, string][], x0: number, y: number): string {
  let x = x0;
  return items
    .map(([colour, text]) => {
      const item = `<rect x="${x}" y="${y}" width="12" height="12" fill="${colour}"/><text x="${x + 16}" y="${y + 10}">${escapeHtml(text)}</text>`;
      x += 24 + text.length * 6.5;
      return item;
    })
    .join('');
}

const figure = (caption: string, width: number, height: number, content: string): string =>
  `<figure><figcaption>${escapeHtml(caption)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(caption)}" font-family="system-ui, sans-serif" font-size="11">${content}</svg></figure>`;

const truncate = (text: string, length: number): string =>
  text.length <= length ? text : `${text.slice(0, length - 1)}…`;

function table(report: SavingsReport, format: ReturnType<typeof formatter>): string {
  const head = `<tr><th>${escapeHtml(report.groupBy)}</th><th>IPMVP option</th>${COLUMNS.map((c) => `<th>${escapeHtml(c.label)}</th>`).join('')}</tr>`;
  const row = (key: string, figures: SavingsFigures, option: string, total = false) =>
    `<tr${total ? ' class="total"' : ''}><td>${escapeHtml(key)}</td><td>${escapeHtml(option)}</td>${COLUMNS.map((c) => `<td>${format(c, figures[c.field])}</td>`).join('')}</tr>`;
  return `<table><thead>${head}</thead><tbody>${report.groups.map((g) => row(g.key, g, g.ipmvpOption)).join('')}${row('Total', report.total, report.ipmvpOption, true)}</tbody></table>`;
}

const MONEY = { decimals: 2, money: true } as const;
const PERCENT = { decimals: 1, percent: true } as const;
const NUMBER = { decimals: 1 } as const;

/** The performance-contract indicators, each against its target when the contract states one. */
function kpiTable(report: SavingsReport, format: ReturnType<typeof formatter>): string {
  const { kpis } = report;
  const verdict = (met: boolean | null) => (met === null ? '' : met ? 'met' : 'not met');
  const rows: [string, string, string, string][] = [
    [
      'Savings against the baseline',
      format(PERCENT, kpis.savingsShare),
      kpis.guaranteedSavingsShare === null
        ? 'no target'
        : `≥ ${format(PERCENT, kpis.guaranteedSavingsShare)}`,
      verdict(kpis.savingsTargetMet),
    ],
    [
      'Availability (planned lit hours actually lit, complete nights)',
      format(PERCENT, kpis.availability),
      `of ${format(NUMBER, kpis.plannedLitHours)} h`,
      '',
    ],
    [
      'Failure rate (luminaires with a lamp, driver or supply failure)',
      format(PERCENT, kpis.failureRate),
      kpis.maxFailureRate === null ? 'no target' : `≤ ${format(PERCENT, kpis.maxFailureRate)}`,
      verdict(kpis.failureRateMet),
    ],
    [
      'Mean time to repair',
      kpis.meanTimeToRepairHours === null ? '—' : `${format(NUMBER, kpis.meanTimeToRepairHours)} h`,
      `${kpis.repairs} repairs`,
      '',
    ],
  ];
  return `<table class="kpis"><thead><tr><th>Indicator</th><th>Value</th><th>Target</th><th></th></tr></thead><tbody>${rows.map((r) => `<tr>${r.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** The bill estimate: energy by tariff period, the fixed part, the tax lines. */
function billTable(report: SavingsReport, format: ReturnType<typeof formatter>, rate: Rate): string {
  const { bill } = report;
  const rows = [
    ...bill.energy.map(
      (line) =>
        [
          `${line.tariffId} · ${line.season} · ${line.period}`,
          `${format(NUMBER, line.kwh)} kWh × ${rate(line.eurPerKwh)} ${report.site.currency}`,
          format(MONEY, line.amount),
        ] as const,
    ),
    ...bill.subscription.map(
      (line) =>
        [
          `${line.tariffId}${line.option === null ? '' : ` · ${line.option}`} · subscription`,
          `${format(NUMBER, line.kva)} kVA × ${rate(line.eurPerKvaMonth)} ${report.site.currency} × ${format({ decimals: 2 }, line.months)} months`,
          format(MONEY, line.amount),
        ] as const,
    ),
    ['Total excluding taxes', '', format(MONEY, bill.totalExcludingTaxes)] as const,
    ...bill.taxes.map(
      (tax) => [`${tax.tariffId} · ${tax.name}`, tax.basis, format(MONEY, tax.amount)] as const,
    ),
  ];
  return `<table class="bill"><thead><tr><th>Line</th><th>Basis</th><th>Amount</th></tr></thead><tbody>${rows.map((r) => `<tr>${r.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('')}<tr class="total"><td>Total</td><td></td><td>${escapeHtml(format(MONEY, bill.total))}</td></tr></tbody></table>`;
}

/** The frozen statement's identity, printed at the top of a monthly statement. */
export interface StatementStamp {
  readonly month: string;
  readonly version: number;
  readonly closedAt: string;
  readonly closedBy: string;
  readonly reason: string | null;
  readonly sha256: string;
  readonly configVersion: number;
}

export interface HtmlOptions {
  readonly locale?: HtmlLocale;
  readonly statement?: StatementStamp;
}

function stampBlock(stamp: StatementStamp): string {
  const rows: [string, string][] = [
    ['Month', stamp.month],
    ['Version', String(stamp.version)],
    ['Closed', `${stamp.closedAt} by ${stamp.closedBy}`],
    ...(stamp.reason === null ? [] : [['Correction', stamp.reason] as [string, string]]),
    ['Configuration version', String(stamp.configVersion)],
    ['SHA-256 of the JSON statement', stamp.sha256],
  ];
  return `<table class="stamp">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.1rem;margin-top:2rem}
.meta{color:#555;margin-top:0}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:.8rem;margin:1.5rem 0}
.card{border:1px solid #ddd;border-radius:6px;padding:.8rem}.card b{display:block;font-size:1.4rem;color:#1f4e79}
figure{margin:1.5rem 0;break-inside:avoid}figcaption{font-weight:600;margin-bottom:.4rem}
table{border-collapse:collapse;width:100%;font-size:.75rem}th,td{border-bottom:1px solid #e5e5e5;padding:.25rem .35rem;text-align:right}
th:first-child,td:first-child{text-align:left}tr.total td{font-weight:700;border-top:2px solid #333}
.stamp{width:auto;margin:.5rem 0 1rem}.stamp th{text-align:left;padding-right:1rem}.kpis,.bill{width:auto;min-width:60%}
.method{background:#f6f6f6;border-left:4px solid #1f4e79;padding:.6rem 1rem;font-size:.9rem}
@media print{body{margin:0;max-width:none}@page{size:A4 landscape;margin:12mm}.cards{grid-template-columns:repeat(4,1fr)}thead{display:table-header-group}tr{break-inside:avoid}}
`;

/** `generatedAt` null: a frozen statement, whose stamp says when it was closed. */
export function savingsHtml(
  report: SavingsReport,
  generatedAt: string | null,
  options: HtmlOptions = {},
): string {
  const locale = options.locale ?? 'en-GB';
  const format = formatter(report.site.currency, locale);
  const tariffs = report.tariffs
    .map(
      (t) =>
        `${t.option === null ? '' : `${t.option}: `}${t.label} (${localDate(t.from, locale)} – ${localDate(t.to, locale)})`,
    )
    .join('; ');
  const byField = (field: keyof SavingsFigures) => format(columnOf(field), report.total[field]);
  const cardFigures: [string, string][] = [
    ['Energy saved', `${byField('savingsKwh')} kWh`],
    ['Saved at the tariff', byField('savingsCost')],
    ['CO2 avoided', `${byField('co2AvoidedKg')} kg`],
    ['Against the baseline', byField('savingsShare')],
  ];
  const cards = cardFigures
    .map(([label, value]) => `<div class="card">${escapeHtml(label)}<b>${escapeHtml(value)}</b></div>`)
    .join('');
  const title = `${options.statement === undefined ? 'Street-lighting energy savings' : `Monthly statement ${options.statement.month}`} — ${report.site.name}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}, ${report.from} to ${report.to}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
${options.statement === undefined ? '' : stampBlock(options.statement)}
<p class="meta">Nights ${localDate(report.from, locale)} to ${localDate(report.to, locale)} (${report.nights} nights) · grouped by ${escapeHtml(report.groupBy)} ·
tariff ${escapeHtml(tariffs)} · ${rateFormat(locale)(report.site.co2KgPerKwh)} kg CO2/kWh · IPMVP option ${escapeHtml(report.ipmvpOption)} ·
${byField('completeShare')} of luminaire-nights complete${generatedAt === null ? '' : ` · generated ${escapeHtml(generatedAt)}`}</p>
<div class="cards">${cards}</div>
<p>LED conversion saved ${byField('ledConversionSavingsKwh')} kWh and dimming and controls ${byField('controlsSavingsKwh')} kWh,
out of a baseline of ${byField('baselineKwh')} kWh; the luminaires metered ${byField('meteredKwh')} kWh
(${byField('meteredCost')}) over ${byField('burningHours')} burning hours of complete nights.</p>
<p>Luminaire-nights: ${byField('completeLuminaireNights')} complete, ${byField('partialLuminaireNights')} partial
(${byField('partialMeteredKwh')} kWh metered, not counted), ${byField('silentLuminaireNights')} silent, out of
${byField('luminaireNights')}; ${byField('stipulatedLuminaireNights')} stipulated (no meter, IPMVP Option A,
${byField('stipulatedKwh')} kWh).</p>
<h2>Performance indicators</h2>
${kpiTable(report, format)}
${breakdownChart(report.groups, `Energy by ${report.groupBy} (kWh)`)}
${monthlyChart(report.months)}
<h2>Figures by ${escapeHtml(report.groupBy)}</h2>
${table(report, format)}
<h2>Bill estimate</h2>
<p>The metered and stipulated energy of the period at the tariff(s); the utility's bill is the reference.</p>
${billTable(report, format, rateFormat(locale))}
<h2>How the savings are calculated</h2>
<p class="method">${escapeHtml(report.baselineDefinition)}</p>
<p class="method">${escapeHtml(report.completeNightsDefinition)}</p>
</body></html>
`;
}
