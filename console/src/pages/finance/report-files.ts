import type { LocalDate } from '#schedules/config/schema.ts';
import type { ReportFormat } from '#schedules/report/query.ts';
import type { ReportGrouping } from '#schedules/report/savings.ts';

const GROUPING_WORD: Record<ReportGrouping, string> = {
  site: 'site',
  zone: 'zone',
  street: 'rue',
  month: 'mois',
};

/**
 * The name a downloaded report is saved under, in French like its readers:
 * `economies-eclairage_2026-11-01_au_2026-11-29_par-zone.csv` (ISO dates sort in a folder).
 */
export function reportFileName(
  query: { from: LocalDate; to: LocalDate; groupBy: ReportGrouping },
  format: Exclude<ReportFormat, 'json'>,
): string {
  return `economies-eclairage_${query.from}_au_${query.to}_par-${GROUPING_WORD[query.groupBy]}.${format}`;
}
