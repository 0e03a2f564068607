import { useState } from 'preact/hooks';
import type { StreetNight } from '#schedules/public/street-schedule.ts';
import { useApp } from '../../app-context.ts';
import { locale, t } from '../../i18n/index.ts';
import { useLoad } from '../schedules/use-load.ts';
import { PublicNav } from './public-nav.tsx';
import { communeTimetable, type TimetableGroup } from './streets.ts';
import '../../styles/public.css';

interface Schedules {
  readonly communes: readonly string[];
  readonly streets: readonly StreetNight[];
}

interface Choice {
  readonly commune: string;
  readonly month: string;
}

/** Noon UTC of a calendar date falls on that date whatever zone formats it. */
const noonOf = (date: string): Date => new Date(`${date}T12:00:00Z`);
const monthLabel = (month: string): string =>
  new Intl.DateTimeFormat(locale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    noonOf(`${month}-01`),
  );
const nightLabel = (night: string): string =>
  new Intl.DateTimeFormat(locale(), { weekday: 'short', day: 'numeric', timeZone: 'UTC' }).format(
    noonOf(night),
  );

/** The month a resident most likely prints: the current one, in the browser's calendar. */
const thisMonth = (): string => new Date().toISOString().slice(0, 7);

/**
 * The printable A4 timetable of a commune for a month, for the municipal bulletin and town-entry
 * notices: its streets grouped by identical times (one table each), from one request for the month
 * (the print style sheet drops everything but the tables).
 */
export default function TimetablePage() {
  const { api, config } = useApp();
  const [choice, setChoice] = useState<Choice | undefined>();
  const [commune, setCommune] = useState('');
  const [month, setMonth] = useState(thisMonth);
  // Tonight's answer, which the street page reads too (cached), names the communes.
  const [places] = useLoad(() => api.get<Schedules>('/public/schedules'), []);
  const communes = places.state === 'done' ? places.value.communes : [];
  const [groups] = useLoad<{ choice: Choice; groups: TimetableGroup[] } | undefined>(async () => {
    if (choice === undefined) return undefined;
    const answer = await api.get<Schedules & { month: string }>('/public/schedules', {
      query: { commune: choice.commune, month: choice.month },
    });
    const nights = [...new Set(answer.streets.map((street) => street.night))].sort();
    return { choice, groups: communeTimetable(nights, answer.streets) };
  }, [choice?.commune, choice?.month]);
  return (
    <section class="public-page">
      <PublicNav current="/public/timetable" apiBase={config.apiBase} />
      <h1>{t('public.timetable.title')}</h1>
      <form
        class="public-form public-no-print"
        onSubmit={(event) => {
          event.preventDefault();
          setChoice({ commune: commune || (communes[0] ?? ''), month });
        }}
      >
        <div class="public-field">
          <label for="timetable-commune">{t('public.timetable.commune')}</label>
          <select
            id="timetable-commune"
            value={commune}
            onChange={(e) => setCommune((e.currentTarget as HTMLSelectElement).value)}
          >
            {communes.map((name) => (
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
            required
            value={month}
            onInput={(e) => setMonth((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <button type="submit">{t('public.timetable.show')}</button>
        {groups.state === 'done' && groups.value !== undefined && (
          <button type="button" onClick={() => print()}>
            {t('public.timetable.print')}
          </button>
        )}
      </form>
      {choice !== undefined && groups.state === 'loading' && <p>{t('app.loading')}</p>}
      {groups.state === 'failed' && <p role="alert">{t('app.error', { message: groups.problem.title })}</p>}
      {groups.state === 'done' && groups.value !== undefined && (
        <div class="public-timetable">
          <h2>
            {t('public.timetable.heading', {
              commune: groups.value.choice.commune,
              month: monthLabel(groups.value.choice.month),
            })}
          </h2>
          {groups.value.groups.length === 0 && <p>{t('public.timetable.none')}</p>}
          {groups.value.groups.map((group) => (
            <TimetableTable key={group.zone ?? group.streets.join()} group={group} />
          ))}
        </div>
      )}
    </section>
  );
}

function TimetableTable({ group }: { readonly group: TimetableGroup }) {
  return (
    <table>
      <caption>
        {group.zone === undefined
          ? t('public.timetable.streets', { streets: group.streets.join(', ') })
          : t('public.timetable.zoneStreets', { zone: group.zone, streets: group.streets.join(', ') })}
      </caption>
      <thead>
        <tr>
          <th scope="col">{t('public.timetable.night')}</th>
          <th scope="col">{t('public.timetable.on')}</th>
          <th scope="col">{t('public.timetable.dark')}</th>
          <th scope="col">{t('public.timetable.off')}</th>
        </tr>
      </thead>
      <tbody>
        {group.rows.map((row) => (
          <tr key={row.night}>
            <th scope="row">{nightLabel(row.night)}</th>
            <td>{row.switchOn ?? '—'}</td>
            <td>{row.extinctions || '—'}</td>
            <td>{row.switchOff ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
