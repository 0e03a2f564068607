import type { SavingsReport } from '#schedules/report/savings.ts';
import { COLUMNS, round } from './columns.ts';

/**
 * RFC 4180: CRLF line ends, a field with a comma, quote or line break is quoted and its quotes
 * doubled. A text cell starting with = + - @ is prefixed with ' so a spreadsheet does not run it
 * as a formula (OWASP CSV injection).
 */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const csvLine = (fields: readonly (string | number)[]): string => `${fields.map(csvField).join(',')}\r\n`;

/** One row per group, then the total (group_by `total`); the period is repeated on each row for pivoting. */
export function savingsCsv(report: SavingsReport): string {
  const header = csvLine(['group_by', 'group', 'from', 'to', ...COLUMNS.map((c) => c.csv), 'currency']);
  const rows = [
    ...report.groups.map((group) => ({ groupBy: report.groupBy, ...group })),
    { groupBy: 'total', key: '', ...report.total },
  ].map((group) =>
    csvLine([
      group.groupBy,
      group.key,
      report.from,
      report.to,
      ...COLUMNS.map((c) => round(group[c.field], c.decimals)),
      report.site.currency,
    ]),
  );
  return header + rows.join('');
}
