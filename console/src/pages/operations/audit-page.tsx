import { useEffect, useState } from 'preact/hooks';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import { type AuditEntry, AuditPage as AuditPageAnswer } from '../../api/operations.ts';
import { useApp } from '../../app-context.ts';
import { DateField } from '../../components/date-field.tsx';
import { formatDateTime } from '../../format.ts';
import { t } from '../../i18n/index.ts';
import { diffValue, jsonDiff } from './audit-diff.ts';
import { auditPeriod, defaultAuditDays } from './audit-period.ts';
import '../../styles/tables-forms.css';
import '../../styles/operations.css';

const PAGE_SIZE = 50;

type Field = 'from' | 'to';

/** The audit log: who changed what and when, newest first, with a readable before → after diff. */
export default function AuditLogPage() {
  const { api, config } = useApp();
  const today = ZoneClock.of(config.timezone).dateAt(Date.now() / 1000);
  const [days, setDays] = useState(defaultAuditDays(today));
  const [error, setError] = useState<{ field: Field; text: string } | undefined>();
  const [message, setMessage] = useState('');
  const [entries, setEntries] = useState<AuditEntry[] | undefined>();
  const [next, setNext] = useState<{ from: string; to: string; cursor: string } | undefined>();
  const [loading, setLoading] = useState(false);

  async function load(range: { from: string; to: string }, cursor?: string) {
    setLoading(true);
    setMessage('');
    try {
      const page = AuditPageAnswer.parse(
        await api.get<unknown>('/audit', { query: { ...range, limit: PAGE_SIZE, cursor } }),
      );
      setEntries((shown) => [...(cursor === undefined ? [] : (shown ?? [])), ...page.items]);
      setNext(page.next === undefined ? undefined : { ...range, cursor: page.next });
    } catch (failure) {
      setMessage(t('app.error', { message: failure instanceof Error ? failure.message : String(failure) }));
    } finally {
      setLoading(false);
    }
  }

  function show() {
    const period = auditPeriod(days.from, days.to, config.timezone);
    if (!period.ok) {
      setError({ field: period.field, text: t(`audit.problem.${period.problem}`) });
      return;
    }
    setError(undefined);
    void load({ from: period.from, to: period.to });
  }

  useEffect(show, []);

  const input = (field: Field) => (
    <DateField
      id={`audit-${field}`}
      label={t(`audit.${field}`)}
      value={days[field]}
      error={error?.field === field ? error.text : undefined}
      onInput={(value) => setDays({ ...days, [field]: value })}
    />
  );

  return (
    <section class="page audit-page" aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>
      <p>{t('audit.intro')}</p>
      <form
        class="audit-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          show();
        }}
      >
        {input('from')}
        {input('to')}
        <button type="submit" disabled={loading}>
          {t('audit.show')}
        </button>
      </form>
      <p role="status" class="status">
        {loading ? t('app.loading') : message}
      </p>
      {entries !== undefined && entries.length === 0 && <p>{t('audit.none')}</p>}
      {entries !== undefined && entries.length > 0 && (
        <div class="table-scroll">
          <table class="audit-table">
            <thead>
              <tr>
                <th scope="col">{t('audit.col.at')}</th>
                <th scope="col">{t('audit.col.actor')}</th>
                <th scope="col">{t('audit.col.action')}</th>
                <th scope="col">{t('audit.col.target')}</th>
                <th scope="col">{t('audit.col.change')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-audit={entry.id}>
                  <td>{formatDateTime(new Date(entry.at), config.timezone)}</td>
                  <td>{entry.actor}</td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>{entry.target}</td>
                  <td>
                    <AuditDiff before={entry.before} after={entry.after} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next !== undefined && (
        <button type="button" disabled={loading} onClick={() => void load(next, next.cursor)}>
          {t('audit.more')}
        </button>
      )}
    </section>
  );
}

function AuditDiff(props: { before: unknown; after: unknown }) {
  const diff = jsonDiff(props.before, props.after);
  if (diff.lines.length === 0) return <span class="diff-none">{t('audit.noChange')}</span>;
  return (
    <ul class="diff">
      {diff.lines.map((line) => (
        <li key={line.path} class={`diff-${line.change}`}>
          {line.path !== '' && <code class="diff-path">{line.path}</code>}{' '}
          {line.change === 'changed' && (
            <>
              <del>{diffValue(line.before)}</del> → <ins>{diffValue(line.after)}</ins>
            </>
          )}
          {line.change === 'added' && (
            <ins>
              {t('audit.added')} {diffValue(line.after)}
            </ins>
          )}
          {line.change === 'removed' && (
            <del>
              {t('audit.removed')} {diffValue(line.before)}
            </del>
          )}
        </li>
      ))}
      {diff.omitted > 0 && <li>{t('audit.omitted', { count: diff.omitted })}</li>}
    </ul>
  );
}
