import type { CsvStyle, ReportFormat } from '#schedules/report/query.ts';
import type { SavingsReport } from '#schedules/report/savings.ts';
import { roundedFigures } from './columns.ts';
import { savingsCsv } from './csv.ts';
import { type HtmlOptions, savingsHtml } from './html.ts';

export interface RenderedReport {
  readonly contentType: string;
  readonly fileName: string;
  readonly body: string;
}

/**
 * The report as JSON (figures rounded as in the CSV), CSV (French or RFC 4180) or a printable HTML
 * page; `generatedAt` null leaves the time out (a statement's bytes must not depend on when it was made).
 */
export function renderSavingsReport(
  report: SavingsReport,
  format: ReportFormat,
  generatedAt: string | null,
  csvStyle: CsvStyle,
  htmlOptions: HtmlOptions = {},
): RenderedReport {
  const fileName = `savings-${report.from}-${report.to}-by-${report.groupBy}.${format}`;
  switch (format) {
    case 'json':
      return {
        contentType: 'application/json',
        fileName,
        body: JSON.stringify({
          ...report,
          ...(generatedAt === null ? {} : { generatedAt }),
          groups: report.groups.map((g) => ({
            key: g.key,
            ...roundedFigures(g),
            ipmvpOption: g.ipmvpOption,
          })),
          months: report.months.map((m) => ({
            key: m.key,
            ...roundedFigures(m),
            ipmvpOption: m.ipmvpOption,
          })),
          total: roundedFigures(report.total),
        }),
      };
    case 'csv':
      return {
        contentType: 'text/csv; charset=utf-8; header=present',
        fileName,
        body: savingsCsv(report, csvStyle),
      };
    case 'html':
      return {
        contentType: 'text/html; charset=utf-8',
        fileName,
        body: savingsHtml(report, generatedAt, htmlOptions),
      };
  }
}
