import { useState } from 'preact/hooks';
import type { StreetNight } from '#schedules/public/street-schedule.ts';
import { useApp } from '../../app-context.ts';
import { formatLocalDate } from '../../format.ts';
import { t } from '../../i18n/index.ts';
import { useLoad } from '../schedules/use-load.ts';
import { PublicNav } from './public-nav.tsx';
import { nightsOfMonth, type TimetableRow, timetableRow } from './streets.ts';
import '../../styles/public.css';

interface Schedules {
  readonly night: string;
  readonly streets: readonly StreetNight[];
}

/**
 * The printable A4 timetable of a zone for a month, for the municipal bulletin and town-entry
 * notices: one line a night (the print style sheet drops everything but the table).
 */
export default function TimetablePage() {
  const { api, config } = useApp();
  const [choice, setChoice] = useState<{ zone: string; month: string } | undefined>();
  const [zone, setZone] = useState('');
  const [month, setMonth] = useState('');
  const [tonight] = useLoad(() => api.get<Schedules>('/public/schedules'), []);
  const zones = tonight.state === 'done' ? [...new Set(tonight.value.streets.map((s) => s.zone))] : [];
  const defaultMonth = tonight.state === 'done' ? tonight.value.night.slice(0, 7) : '';
  const [rows] = useLoad<TimetableRow[]>(
    async () =>
      choice === undefined
        ? []
        : Promise.all(
            nightsOfMonth(choice.month).map(async (night) => {
              const answer = await api.get<Schedules>('/public/schedules', {
                query: { night, zone: choice.zone },
              });
              return timetableRow(night, answer.streets);
            }),
          ),
    [choice?.zone, choice?.month],
  );
  return (
    <section class="public-page">
      <PublicNav current="/public/timetable" apiBase={config.apiBase} />
      <h1>{t('public.timetable.title')}</h1>
      <form
        class="public-form public-no-print"
        onSubmit={(event) => {
          event.preventDefault();
          setChoice({ zone: zone || (zones[0] ?? ''), month: month || defaultMonth });
        }}
      >
        <div class="public-field">
          <label for="timetable-zone">{t('public.timetable.zone')}</label>
          <select
            id="timetable-zone"
            value={zone}
            onChange={(e) => setZone((e.currentTarget as HTMLSelectElement).value)}
          >
            {zones.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div class="public-field">
          <label for="timetable-month">{t('public.timetable.month')}</label>
          <input
            id="timetable-month"
            type="month"
            value={month || defaultMonth}
            onInput={(e) => setMonth((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <button type="submit">{t('public.timetable.show')}</button>
        {choice !== undefined && (
          <button type="button" onClick={() => print()}>
            {t('public.timetable.print')}
          </button>
        )}
      </form>
      {choice !== undefined && rows.state === 'loading' && <p>{t('app.loading')}</p>}
      {rows.state === 'failed' && <p role="alert">{t('app.error', { message: rows.problem.title })}</p>}
      {choice !== undefined && rows.state === 'done' && (
        <div class="public-timetable">
          <h2>{t('public.timetable.heading', { zone: choice.zone, month: choice.month })}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('public.timetable.night')}</th>
                <th scope="col">{t('public.timetable.on')}</th>
                <th scope="col">{t('public.timetable.dark')}</th>
                <th scope="col">{t('public.timetable.off')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.value.map((row) => (
                <tr key={row.night}>
                  <th scope="row">{formatLocalDate(row.night)}</th>
                  <td>{row.switchOn ?? '—'}</td>
                  <td>{row.extinctions || '—'}</td>
                  <td>{row.switchOff ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>{t('public.timetable.note')}</p>
        </div>
      )}
    </section>
  );
}
