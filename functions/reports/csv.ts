import type { CsvStyle } from '#schedules/report/query.ts';
import type { SavingsReport } from '#schedules/report/savings.ts';
import { COLUMNS, round } from './columns.ts';

const SEPARATOR: Record<CsvStyle, string> = { fr: ';', rfc4180: ',' };

/**
 * RFC 4180 quoting with the style's separator: CRLF line ends, a field with the separator, a quote
 * or a line break is quoted and its quotes doubled; in the French style a number takes a decimal
 * comma. A text cell starting with = + - @ is prefixed with ' so a spreadsheet does not run it as a
 * formula (OWASP CSV injection).
 */
export function csvField(value: string | number, style: CsvStyle): string {
  if (typeof value === 'number') return style === 'fr' ? String(value).replace('.', ',') : String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  const quoted = new RegExp(`["${SEPARATOR[style]}\r\n]`);
  return quoted.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvLine = (fields: readonly (string | number)[], style: CsvStyle): string =>
  `${fields.map((field) => csvField(field, style)).join(SEPARATOR[style])}\r\n`;

/**
 * One row per group, then the total (group_by `total`); the period is repeated on each row for
 * pivoting. The French style starts with a byte-order mark, without which a spreadsheet reads the
 * UTF-8 street names as Latin-1.
 */
export function savingsCsv(report: SavingsReport, style: CsvStyle): string {
  const header = csvLine(
    ['group_by', 'group', 'from', 'to', 'ipmvp_option', ...COLUMNS.map((c) => c.csv), 'currency'],
    style,
  );
  const rows = [
    ...report.groups.map((group) => ({ groupBy: report.groupBy, ...group })),
    { groupBy: 'total', key: '', ...report.total, ipmvpOption: report.ipmvpOption },
  ].map((group) =>
    csvLine(
      [
        group.groupBy,
        group.key,
        report.from,
        report.to,
        group.ipmvpOption,
        ...COLUMNS.map((c) => round(group[c.field], c.decimals)),
        report.site.currency,
      ],
      style,
    ),
  );
  return (style === 'fr' ? '\uFEFF' : '') + header + rows.join('');
}
