import { useEffect, useState } from 'preact/hooks';
import { ComplianceReport } from '../../api/compliance.ts';
import { useApp } from '../../app-context.ts';
import { DateField } from '../../components/date-field.tsx';
import { formatLocalDate, formatNumber } from '../../format.ts';
import { hrefOf } from '../../href.ts';
import { type MessageKey, t } from '../../i18n/index.ts';
import { findingWords, ruleName } from './wording.ts';
import '../../styles/tables-forms.css';
import '../../styles/operations.css';
import { useZoneFilter, ZoneFilter } from '../../components/zone-filter.tsx';

/** Today in the site's time zone: the night a technician checks first. */
const tonight = (timezone: string): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());

/**
 * The light-nuisance order checked for a night: each rule's counts, then every finding (a rule
 * broken, or not checkable for want of data) with what to change, filtered by zone.
 */
export default function CompliancePage() {
  const { api, config } = useApp();
  const [night, setNight] = useState(() => tonight(config.timezone));
  const [asked, setAsked] = useState(night);
  const [report, setReport] = useState<ComplianceReport | undefined>();
  const [message, setMessage] = useState('');

  useEffect(() => {
    setReport(undefined);
    api
      .get<unknown>(`/compliance?night=${encodeURIComponent(asked)}`)
      .then((body) => setReport(ComplianceReport.parse(body)))
      .catch((error: unknown) => setMessage(t('app.error', { message: String(error) })));
  }, [api, asked]);

  const { shown, filter } = useZoneFilter(report?.findings ?? []);
  const broken = shown.filter((f) => f.status === 'broken').length;

  return (
    <section class="page compliance-page" aria-labelledby="compliance-title">
      <h1 id="compliance-title">{t('compliance.title')}</h1>
      <p>{t('compliance.intro')}</p>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          if (night !== '') setAsked(night);
        }}
      >
        <DateField
          id="compliance-night"
          label={t('compliance.night')}
          value={night}
          error={night === '' ? t('compliance.nightError') : undefined}
          onInput={setNight}
        />
        <button type="submit">{t('compliance.check')}</button>
      </form>
      <p role="status" class="status">
        {message}
      </p>
      {report === undefined ? (
        <p>{t('app.loading')}</p>
      ) : (
        <>
          <p class="compliance-night">{t('compliance.checked', { night: formatLocalDate(report.night) })}</p>
          <h2>{t('compliance.rules')}</h2>
          <div class="table-scroll">
            <table class="compliance-rules">
              <thead>
                <tr>
                  <th scope="col">{t('compliance.col.rule')}</th>
                  <th scope="col">{t('compliance.col.article')}</th>
                  <th scope="col">{t('compliance.col.broken')}</th>
                  <th scope="col">{t('compliance.col.notCheckable')}</th>
                  <th scope="col">{t('compliance.col.compliant')}</th>
                  <th scope="col">{t('compliance.col.notApplicable')}</th>
                </tr>
              </thead>
              <tbody>
                {report.rules.map((rule) => (
                  <tr key={rule.id} data-rule={rule.id}>
                    <th scope="row" title={rule.summary}>
                      {ruleName(rule.id)}
                    </th>
                    <td>
                      {rule.article}
                      {rule.verified ? '' : ` (${t('compliance.toVerify')})`}
                    </td>
                    <td>{formatNumber(rule.broken)}</td>
                    <td>{formatNumber(rule.notCheckable)}</td>
                    <td>{formatNumber(rule.compliant)}</td>
                    <td>{formatNumber(rule.notApplicable)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>{t('compliance.findings')}</h2>
          <ZoneFilter
            id="compliance-zone"
            label={t('compliance.zone')}
            allLabel={t('compliance.allZones')}
            {...filter}
          />
          {shown.length === 0 ? (
            <p>{t('compliance.none')}</p>
          ) : (
            <>
              <p class="compliance-count">
                {t('compliance.count', { broken, notCheckable: shown.length - broken })}
              </p>
              <div class="table-scroll">
                <table class="compliance-findings">
                  <thead>
                    <tr>
                      <th scope="col">{t('compliance.col.status')}</th>
                      <th scope="col">{t('compliance.col.rule')}</th>
                      <th scope="col">{t('compliance.col.article')}</th>
                      <th scope="col">{t('compliance.col.where')}</th>
                      <th scope="col">{t('compliance.col.finding')}</th>
                      <th scope="col">{t('compliance.col.change')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((finding) => {
                      const words = findingWords(finding);
                      return (
                        <tr
                          key={`${finding.rule}/${finding.luminaire ?? finding.zone}`}
                          data-finding={`${finding.rule}/${finding.luminaire ?? finding.zone}`}
                        >
                          <td>{t(`compliance.status.${finding.status}` as MessageKey)}</td>
                          <td>{ruleName(finding.rule)}</td>
                          <td>{finding.article}</td>
                          <td>
                            {finding.luminaire === undefined ? (
                              t('compliance.wholeZone', { zone: finding.zone })
                            ) : (
                              <a href={hrefOf('/luminaires/:id', { id: finding.luminaire })}>
                                {finding.luminaire}
                              </a>
                            )}
                          </td>
                          <td>{words.finding}</td>
                          <td>{words.change}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}
