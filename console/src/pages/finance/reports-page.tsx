import { useEffect, useState } from 'preact/hooks';
import type { LocalDate } from '#schedules/config/schema.ts';
import type { ReportFormat } from '#schedules/report/query.ts';
import { REPORT_GROUPINGS, type ReportGrouping } from '#schedules/report/savings.ts';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import { ApiError } from '../../api/client.ts';
import { SavingsReportJson } from '../../api/reports.ts';
import { useApp } from '../../app-context.ts';
import { DateField } from '../../components/date-field.tsx';
import { formatEuro, formatKwh, formatLocalDate, formatNumber } from '../../format.ts';
import { t } from '../../i18n/index.ts';
import { formatKg, formatMonth, formatShare, totalCards } from './figures.ts';
import { reportFileName } from './report-files.ts';
import {
  PERIOD_PRESETS,
  type PeriodPreset,
  presetPeriod,
  type ReportForm,
  type ReportFormField,
  type ReportFormProblem,
  reportQueryOf,
} from './report-form.ts';
import { SavingsChart } from './savings-chart.tsx';
import '../../styles/tables-forms.css';
import '../../styles/finance.css';

type Query = { from: LocalDate; to: LocalDate; groupBy: ReportGrouping };
type Errors = Partial<Record<ReportFormField, string>>;

const problemText = (problem: ReportFormProblem): string => t(`reports.problem.${problem}`);

/** The API's problem fields (query parameters by name) on the form's fields; the rest as one message. */
function apiErrors(error: unknown): { fields: Errors; message?: string } {
  if (!(error instanceof ApiError)) return { fields: {}, message: String(error) };
  const fields: Errors = {};
  for (const field of error.problem.errors ?? []) {
    const name = field.name ?? field.pointer?.replace(/^\//, '');
    if (name === 'from' || name === 'to' || name === 'groupBy') fields[name] = field.detail;
  }
  return Object.keys(fields).length > 0 ? { fields } : { fields, message: error.message };
}

/** Finance's page: the savings report for a period and grouping, its totals, charts and downloads. */
export default function ReportsPage() {
  const { api, config } = useApp();
  const today = ZoneClock.of(config.timezone).dateAt(Date.now() / 1000);
  const [form, setForm] = useState<ReportForm>({ ...presetPeriod('last-month', today), groupBy: 'zone' });
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);
  const [shown, setShown] = useState<{ query: Query; report: SavingsReportJson } | undefined>();

  async function load(next: ReportForm) {
    const checked = reportQueryOf(next);
    if (!checked.ok) {
      setErrors(Object.fromEntries(Object.entries(checked.errors).map(([f, p]) => [f, problemText(p)])));
      return;
    }
    setErrors({});
    setMessage(undefined);
    setLoading(true);
    try {
      const body = await api.get<unknown>('/reports/savings', {
        query: { ...checked.query, format: 'json' },
      });
      setShown({ query: checked.query, report: SavingsReportJson.parse(body) });
    } catch (error) {
      const { fields, message } = apiErrors(error);
      setErrors(fields);
      setMessage(message);
    } finally {
      setLoading(false);
    }
  }

  useEffect(() => {
    void load(form);
  }, []);

  async function download(format: Exclude<ReportFormat, 'json'>) {
    if (shown === undefined) return;
    try {
      const text = await api.get<string>('/reports/savings', { query: { ...shown.query, format } });
      const name = reportFileName(shown.query, format);
      // fetch decodes the answer without the CSV's byte-order mark, which a spreadsheet needs to
      // read the file as UTF-8.
      const blob = new Blob([format === 'csv' ? `\uFEFF${text}` : text], {
        type: format === 'csv' ? 'text/csv;charset=utf-8' : 'text/html;charset=utf-8',
      });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      setMessage(t('reports.downloaded', { name }));
    } catch (error) {
      setMessage(apiErrors(error).message ?? String(error));
    }
  }

  const usePreset = (preset: PeriodPreset) => {
    const next = { ...form, ...presetPeriod(preset, today) };
    setForm(next);
    void load(next);
  };
  const report = shown?.report;
  const groupLabel = (key: string) => (report?.groupBy === 'month' ? formatMonth(key) : key);
  const groupingName = (grouping: ReportGrouping) => t(`reports.grouping.${grouping}`).toLowerCase();

  return (
    <section class="page reports-page" aria-labelledby="reports-title">
      <h1 id="reports-title">{t('reports.title')}</h1>
      <p>{t('reports.intro')}</p>
      <form
        class="report-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void load(form);
        }}
      >
        <DateField
          id="report-from"
          label={t('reports.from')}
          value={form.from}
          error={errors.from}
          onInput={(from) => setForm({ ...form, from })}
        />
        <DateField
          id="report-to"
          label={t('reports.to')}
          value={form.to}
          error={errors.to}
          onInput={(to) => setForm({ ...form, to })}
        />
        <div class="field">
          <label for="report-group-by">{t('reports.groupBy')}</label>
          <select
            id="report-group-by"
            value={form.groupBy}
            onChange={(event) =>
              setForm({ ...form, groupBy: (event.currentTarget as HTMLSelectElement).value })
            }
          >
            {REPORT_GROUPINGS.map((grouping) => (
              <option key={grouping} value={grouping}>
                {t(`reports.grouping.${grouping}`)}
              </option>
            ))}
          </select>
          {errors.groupBy !== undefined && <p class="field-error">{errors.groupBy}</p>}
        </div>
        <button type="submit" disabled={loading}>
          {t('reports.show')}
        </button>
      </form>
      <nav class="presets" aria-label={t('reports.presets')}>
        {PERIOD_PRESETS.map((preset) => (
          <button type="button" key={preset} class="link-button" onClick={() => usePreset(preset)}>
            {t(`reports.preset.${preset}`)}
          </button>
        ))}
      </nav>
      <p role="status" class="status">
        {loading ? t('reports.loading') : (message ?? '')}
      </p>
      {report !== undefined && shown !== undefined && (
        <div class="report">
          <p class="report-meta">
            {t('reports.period', {
              from: formatLocalDate(report.from),
              to: formatLocalDate(report.to),
              nights: formatNumber(report.nights),
            })}
            {report.groupBy === 'street' && ` ${t('reports.streetPeriod')}`}
            <br />
            {t('reports.tariff', {
              tariff: report.tariffs.map((tariff) => tariff.label).join(', '),
              co2: formatNumber(report.site.co2KgPerKwh, 3),
              reporting: formatShare(report.total.completeShare),
            })}
          </p>
          <div class="downloads">
            <button type="button" onClick={() => void download('csv')}>
              {t('reports.downloadCsv')}
            </button>
            <button type="button" onClick={() => void download('html')}>
              {t('reports.downloadHtml')}
            </button>
          </div>
          <dl class="totals">
            {totalCards(report.total).map((card) => (
              <div class="total-card" key={card.label}>
                <dt>{t(card.label)}</dt>
                <dd data-total={card.label}>{card.value}</dd>
              </div>
            ))}
          </dl>
          {report.groups.length === 0 ? (
            <p>{t('reports.empty')}</p>
          ) : (
            <>
              <SavingsChart
                title={t('reports.chart.groups', { grouping: groupingName(report.groupBy) })}
                groups={report.groups}
                label={groupLabel}
              />
              {report.groupBy !== 'month' && report.months.length > 1 && (
                <SavingsChart title={t('reports.chart.months')} groups={report.months} label={formatMonth} />
              )}
              <ReportTable report={report} label={groupLabel} grouping={groupingName(report.groupBy)} />
            </>
          )}
          <details class="method">
            <summary>{t('reports.method')}</summary>
            <p>{report.baselineDefinition}</p>
            <p>{report.completeNightsDefinition}</p>
          </details>
        </div>
      )}
    </section>
  );
}

function ReportTable(props: { report: SavingsReportJson; label: (key: string) => string; grouping: string }) {
  const { report } = props;
  const row = (key: string, label: string, figures: SavingsReportJson['total'], total = false) => (
    <tr key={key} class={total ? 'total' : undefined}>
      <th scope="row">{label}</th>
      <td>{formatNumber(figures.luminaires)}</td>
      <td>{formatShare(figures.completeShare)}</td>
      <td>{formatKwh(figures.meteredKwh)}</td>
      <td>{formatKwh(figures.baselineKwh)}</td>
      <td>{formatKwh(figures.savingsKwh)}</td>
      <td>{formatEuro(figures.savingsCost)}</td>
      <td>{formatKg(figures.co2AvoidedKg)}</td>
    </tr>
  );
  return (
    <div class="table-scroll">
      <table class="report-table">
        <caption>{t('reports.table.caption', { grouping: props.grouping })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('reports.table.group')}</th>
            <th scope="col">{t('reports.table.luminaires')}</th>
            <th scope="col">{t('reports.table.reporting')}</th>
            <th scope="col">{t('reports.table.metered')}</th>
            <th scope="col">{t('reports.table.baseline')}</th>
            <th scope="col">{t('reports.table.savings')}</th>
            <th scope="col">{t('reports.table.savingsCost')}</th>
            <th scope="col">{t('reports.table.co2')}</th>
          </tr>
        </thead>
        <tbody>
          {report.groups.map((group) => row(group.key, props.label(group.key), group))}
          {row('', t('reports.table.total'), report.total, true)}
        </tbody>
      </table>
    </div>
  );
}
