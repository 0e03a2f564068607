import { useState } from 'preact/hooks';
import { type CalendarMonth, type CalendarRule, ruleName, ZoneClock } from '#schedules/index.ts';
import { useApp } from '../../app-context.ts';
import { formatLocalDate } from '../../format.ts';
import { hrefOf } from '../../href.ts';
import { locale, t } from '../../i18n/index.ts';
import {
  type LegendEntry,
  type MonthCell,
  type MonthGrid,
  monthGrid,
  rulesInPrecedence,
  shiftMonth,
  UNLIT,
} from './calendar-view.ts';
import { WhenLoaded } from './form-parts.tsx';
import { useLoad } from './use-load.ts';
import '../../styles/schedules.css';

/** The calendar: its rules as they are applied, and a month of nights zone by zone. */
export default function CalendarPage() {
  const { api, config } = useApp();
  const [rules] = useLoad(() => api.get<CalendarRule[]>('/calendar/rules'), []);
  const [month, setMonth] = useState(() =>
    ZoneClock.of(config.timezone)
      .dateAt(Date.now() / 1000)
      .slice(0, 7),
  );
  const [view] = useLoad(() => api.get<CalendarMonth>('/calendar/month', { query: { month } }), [month]);
  return (
    <article class="calendar-page">
      <h1>{t('sched.calendar.title')}</h1>
      <section aria-labelledby="month-title">
        <h2 id="month-title">{t('sched.calendar.month')}</h2>
        <div class="month-nav">
          <button type="button" class="secondary" onClick={() => setMonth(shiftMonth(month, -1))}>
            {t('sched.calendar.previous')}
          </button>
          <label>
            <span class="visually-hidden">{t('sched.calendar.month')}</span>
            <input
              type="month"
              value={month}
              onChange={(event) => {
                const value = (event.currentTarget as HTMLInputElement).value;
                if (/^\d{4}-\d{2}$/.test(value)) setMonth(value);
              }}
            />
          </label>
          <button type="button" class="secondary" onClick={() => setMonth(shiftMonth(month, 1))}>
            {t('sched.calendar.next')}
          </button>
        </div>
        <WhenLoaded loaded={view}>{(answer) => <MonthTable grid={monthGrid(answer)} />}</WhenLoaded>
      </section>
      <section aria-labelledby="rules-title">
        <h2 id="rules-title">{t('sched.calendar.rules')}</h2>
        <WhenLoaded loaded={rules}>{(calendar) => <RulesTable calendar={calendar} />}</WhenLoaded>
      </section>
    </article>
  );
}

function RulesTable({ calendar }: { calendar: readonly CalendarRule[] }) {
  return (
    <table class="data">
      <thead>
        <tr>
          <th scope="col">{t('sched.calendar.rank')}</th>
          <th scope="col">{t('sched.calendar.rule')}</th>
          <th scope="col">{t('sched.calendar.profile')}</th>
          <th scope="col">{t('sched.calendar.priority')}</th>
          <th scope="col">{t('sched.calendar.where')}</th>
          <th scope="col">{t('sched.calendar.when')}</th>
        </tr>
      </thead>
      <tbody>
        {rulesInPrecedence(calendar).map((indexed, rank) => (
          <tr key={indexed.index}>
            <td>{rank + 1}</td>
            <th scope="row">{ruleName(indexed)}</th>
            <td>
              <a href={hrefOf('/profiles/:name', { name: indexed.rule.profile })}>{indexed.rule.profile}</a>
            </td>
            <td>{indexed.rule.priority}</td>
            <td>{whereText(indexed.rule)}</td>
            <td>{whenText(indexed.rule)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const list = (items: readonly string[] | undefined, max = 4): string =>
  items === undefined
    ? ''
    : items.length <= max
      ? items.join(', ')
      : `${items.slice(0, max).join(', ')} … (+${items.length - max})`;

function whereText(rule: CalendarRule): string {
  const parts = [
    rule.zones === undefined ? '' : t('sched.calendar.zones', { list: list(rule.zones) }),
    rule.streets === undefined ? '' : t('sched.calendar.streets', { list: list(rule.streets) }),
    rule.luminaires === undefined ? '' : t('sched.calendar.luminaires', { count: rule.luminaires.length }),
  ].filter((part) => part !== '');
  return parts.length === 0 ? t('sched.calendar.everywhere') : parts.join(' · ');
}

function whenText(rule: CalendarRule): string {
  const parts = [
    rule.weekdays === undefined ? '' : rule.weekdays.map((day) => t(`sched.weekday.${day}`)).join(', '),
    rule.dates === undefined
      ? ''
      : t('sched.calendar.dates', { list: list(rule.dates.map(formatLocalDate), 3) }),
    rule.yearly === undefined ? '' : t('sched.calendar.yearly', { list: list(rule.yearly) }),
    rule.holidays === undefined
      ? ''
      : t('sched.calendar.holidays', { list: list(rule.holidays.map((h) => t(`sched.holiday.${h}`))) }),
    rule.from === undefined && rule.to === undefined
      ? ''
      : t('sched.calendar.range', {
          from: rule.from === undefined ? '…' : formatLocalDate(rule.from),
          to: rule.to === undefined ? '…' : formatLocalDate(rule.to),
        }),
  ].filter((part) => part !== '');
  return parts.length === 0 ? t('sched.calendar.everyNight') : parts.join(' · ');
}

function MonthTable({ grid }: { grid: MonthGrid }) {
  const byProfile = new Map(grid.legend.map((entry) => [entry.profile, entry]));
  return (
    <>
      <div class="month-scroll">
        <table class="month-grid">
          <caption>{t('sched.calendar.caption', { month: monthName(grid.month) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('sched.calendar.zone')}</th>
              {grid.columns.map((column) => (
                <th
                  key={column.night}
                  scope="col"
                  class={[column.weekend ? 'weekend' : '', column.holidays.length > 0 ? 'holiday' : '']
                    .join(' ')
                    .trim()}
                  title={column.holidays.map((h) => t(`sched.holiday.${h}`)).join(', ') || undefined}
                >
                  <span class="weekday">{t(`sched.weekdayShort.${column.weekday}`)}</span>
                  <span>{column.day}</span>
                  {column.holidays.length > 0 && (
                    <span class="holiday-mark">
                      <span aria-hidden="true">★</span>
                      <span class="visually-hidden">
                        {column.holidays.map((h) => t(`sched.holiday.${h}`)).join(', ')}
                      </span>
                    </span>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.rows.map((row) => (
              <tr key={row.zone ?? ''}>
                <th scope="row">
                  {row.zone ?? t('sched.calendar.otherZones')}
                  {row.steady.length > 0 && (
                    <span class="steady">
                      {t('sched.calendar.steady', {
                        list: row.steady
                          .map((e) => `${byProfile.get(e.profile)?.number ?? ''} ${e.profile}`)
                          .join(', '),
                      })}
                    </span>
                  )}
                </th>
                {row.cells.map((cell) => (
                  <Cell key={cell.night} cell={cell} legend={byProfile} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Legend legend={grid.legend} />
    </>
  );
}

function Cell({ cell, legend }: { cell: MonthCell; legend: ReadonlyMap<string, LegendEntry> }) {
  const entry = cell.profile === null ? undefined : legend.get(cell.profile);
  const colours = entry ?? UNLIT;
  const details = [
    `${formatLocalDate(cell.night)} : ${cell.profile ?? t('sched.luminaire.unlit')}${cell.rule === null ? '' : ` (${cell.rule})`}`,
    ...cell.exceptions.map((e) => t('sched.calendar.exception', { profile: e.profile, rule: e.rule })),
    ...cell.overrides.map((o) => t('sched.calendar.override', { id: o.id, level: o.level })),
  ].join(' ; ');
  return (
    <td class="month-cell" style={{ background: colours.background, color: colours.text }} title={details}>
      <span aria-hidden="true">{entry?.number ?? '–'}</span>
      {cell.exceptions.length > 0 && (
        <span class="exception-mark" aria-hidden="true">
          {cell.exceptions.map((e) => legend.get(e.profile)?.number ?? '').join('')}
        </span>
      )}
      {cell.overrides.length > 0 && (
        <span class="override-mark" aria-hidden="true">
          !
        </span>
      )}
      <span class="visually-hidden">{details}</span>
    </td>
  );
}

function Legend({ legend }: { legend: readonly LegendEntry[] }) {
  return (
    <ul class="legend" aria-label={t('sched.calendar.legend')}>
      {legend.map((entry) => (
        <li key={entry.profile}>
          <span class="swatch" style={{ background: entry.background, color: entry.text }}>
            {entry.number}
          </span>{' '}
          <a href={hrefOf('/profiles/:name', { name: entry.profile })}>{entry.profile}</a>
        </li>
      ))}
      <li>
        <span class="swatch exception-sample">2</span> {t('sched.calendar.exceptionLegend')}
      </li>
      <li>
        <span class="swatch override-sample">!</span> {t('sched.calendar.overrideLegend')}
      </li>
    </ul>
  );
}

/** "juillet 2026" in the reader's language. */
function monthName(month: string): string {
  const [year, number] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year ?? 2000, (number ?? 1) - 1, 15)),
  );
}
