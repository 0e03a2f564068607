import { useState } from 'preact/hooks';
import type { LiveStatePage } from '#protocol/live-state-page.ts';
import {
  addDays,
  LocalDate,
  type Luminaire,
  nightWindow,
  sunTimesForNight,
  ZoneClock,
} from '#schedules/index.ts';
import { useApp } from '../../app-context.ts';
import { formatDateTime, formatLocalDate, formatNumber } from '../../format.ts';
import { hrefOf } from '../../href.ts';
import { t } from '../../i18n/index.ts';
import type { PageProps } from '../../routes.ts';
import type { EnergyAnswer, LuminairePlanAnswer, OpenAlarm } from './api-types.ts';
import { WhenLoaded } from './form-parts.tsx';
import { type LuminaireState, liveReportOf, summarizeShadow } from './live-shadow.ts';
import { transitionsOfView } from './night-chart.ts';
import { NightChartView } from './night-chart-view.tsx';
import { useLoad } from './use-load.ts';
import '../../styles/schedules.css';

/** Nights of recent energy the panel lists. */
const ENERGY_NIGHTS = 14;

/**
 * A luminaire's panel: its plan for a night as a chart (why: the profile and the calendar rule that
 * chose it, the overrides acting), whether the controller runs the plan pushed, its open alarms
 * and its recent energy.
 */
export default function LuminairePage({ params }: PageProps) {
  const { api } = useApp();
  const id = params.id ?? '';
  const path = `/luminaires/${encodeURIComponent(id)}`;
  const [night, setNight] = useState<string | undefined>(undefined);
  const [luminaire] = useLoad(() => api.get<Luminaire>(path), [path]);
  const [plan] = useLoad(
    () => api.get<LuminairePlanAnswer>(`${path}/plan`, { query: { night } }),
    [path, night],
  );
  return (
    <article class="luminaire-panel">
      <h1>{t('sched.luminaire.title', { id })}</h1>
      <WhenLoaded loaded={luminaire}>
        {(value) => (
          <p class="luminaire-place">
            {t('sched.luminaire.place', { street: value.street, zone: value.zone })} ·{' '}
            {t('sched.luminaire.watts', { led: formatNumber(value.ledWatts), min: value.minLevel })}
          </p>
        )}
      </WhenLoaded>
      <section aria-labelledby="plan-title">
        <h2 id="plan-title">{t('sched.luminaire.plan')}</h2>
        <WhenLoaded loaded={plan}>
          {(answer) => (
            <>
              <label class="night-picker">
                <span>{t('sched.common.night')}</span>
                <input
                  type="date"
                  value={answer.night}
                  onChange={(event) => {
                    const value = (event.currentTarget as HTMLInputElement).value;
                    if (LocalDate.safeParse(value).success) setNight(value);
                  }}
                />
              </label>
              {luminaire.state === 'done' && <PlanChart plan={answer} luminaire={luminaire.value} />}
              <PlanReasons plan={answer} />
            </>
          )}
        </WhenLoaded>
      </section>
      {luminaire.state === 'done' && <LiveState path={path} luminaire={luminaire.value} />}
      {luminaire.state === 'done' && <Alarms luminaire={luminaire.value} />}
      <Energy path={path} />
    </article>
  );
}

function PlanChart({ plan, luminaire }: { plan: LuminairePlanAnswer; luminaire: Luminaire }) {
  const window = nightWindow(ZoneClock.of(plan.timezone), plan.night);
  const sun = sunTimesForNight(luminaire.lat, luminaire.lon, window);
  return (
    <NightChartView
      label={t('sched.luminaire.chartLabel', { night: formatLocalDate(plan.night) })}
      series={{
        timezone: plan.timezone,
        start: window.start,
        end: window.end,
        sunset: sun.sunset,
        sunrise: sun.sunrise,
        transitions: transitionsOfView(plan),
        fadeSeconds: 0,
      }}
    />
  );
}

function PlanReasons({ plan }: { plan: LuminairePlanAnswer }) {
  return (
    <dl class="facts">
      <dt>{t('sched.luminaire.profile')}</dt>
      <dd>
        {plan.profile === null ? (
          t('sched.luminaire.unlit')
        ) : (
          <a href={hrefOf('/profiles/:name', { name: plan.profile })}>{plan.profile}</a>
        )}
      </dd>
      <dt>{t('sched.luminaire.rule')}</dt>
      <dd>{plan.rule === null ? t('sched.luminaire.noRule') : <a href="#/calendar">{plan.rule}</a>}</dd>
      <dt>{t('sched.luminaire.overrides')}</dt>
      <dd>
        {plan.overrides.length === 0 ? (
          t('sched.luminaire.noOverride')
        ) : (
          <a href="#/overrides">{plan.overrides.join(', ')}</a>
        )}
      </dd>
      <dt>{t('sched.luminaire.plannedEnergy')}</dt>
      <dd>
        {t('sched.luminaire.energyVsBaseline', {
          planned: formatNumber(plan.energyWh, 1),
          baseline: formatNumber(plan.baselineWh, 1),
        })}
      </dd>
    </dl>
  );
}

/**
 * The level now from the live state (the last telemetry report, as the map shows it), then what the
 * controller last wrote in its classic shadow: the plan it applied and its faults, as of that
 * report (ADR 0020: it does not write there at plan steps or boosts).
 */
function LiveState({ path, luminaire }: { path: string; luminaire: Luminaire }) {
  const { api, config } = useApp();
  const [state, reload] = useLoad(() => api.get<LuminaireState>(`${path}/state`), [path]);
  const [live, reloadLive] = useLoad(
    () => api.get<LiveStatePage>('/luminaires/state', { query: { zone: luminaire.zone } }),
    [luminaire.zone],
  );
  const at = (seconds: number) => formatDateTime(seconds, config.timezone);
  return (
    <section aria-labelledby="state-title">
      <h2 id="state-title">{t('sched.luminaire.live')}</h2>
      <WhenLoaded loaded={live}>
        {(page) => {
          const report = liveReportOf(page, luminaire.id, Date.now() / 1000);
          return (
            <dl class="facts live-report">
              <dt>{t('sched.luminaire.levelNow')}</dt>
              <dd>
                {report === null || report.reportedAt === null
                  ? t('map.state.unknown')
                  : t('sched.luminaire.levelAsOf', {
                      level: report.level,
                      state: t(report.silent ? 'map.state.silent' : `map.state.${report.state}`),
                      at: at(report.reportedAt),
                    })}
              </dd>
            </dl>
          );
        }}
      </WhenLoaded>
      <WhenLoaded loaded={state}>
        {(value) => {
          const summary = summarizeShadow(value, Date.now() / 1000);
          return (
            <>
              <h3>
                {summary.reportedAt === null
                  ? t('sched.luminaire.shadowReport')
                  : t('sched.luminaire.shadowReportAsOf', { at: at(summary.reportedAt) })}
              </h3>
              <dl class="facts">
                <dt>{t('sched.luminaire.sync')}</dt>
                <dd class={`sync sync-${summary.sync}`}>{t(`sched.sync.${summary.sync}`)}</dd>
                <dt>{t('sched.luminaire.hashes')}</dt>
                <dd>
                  {t('sched.luminaire.hashPair', {
                    pushed: summary.pushedHash ?? '—',
                    reported: summary.reportedHash ?? '—',
                  })}
                </dd>
                {summary.planUntil !== null && (
                  <>
                    <dt>{t('sched.luminaire.planUntil')}</dt>
                    <dd>{at(summary.planUntil)}</dd>
                  </>
                )}
                {summary.reported !== null && (
                  <>
                    <dt>{t('sched.luminaire.faults')}</dt>
                    <dd>
                      {summary.reported.faults.length === 0
                        ? t('sched.luminaire.noFault')
                        : summary.reported.faults.join(', ')}
                    </dd>
                  </>
                )}
                {summary.boost !== null && (
                  <>
                    <dt>{t('sched.luminaire.boost')}</dt>
                    <dd>
                      {t('sched.luminaire.boostUntil', {
                        level: summary.boost.l,
                        until: at(summary.boost.u),
                      })}
                    </dd>
                  </>
                )}
              </dl>
            </>
          );
        }}
      </WhenLoaded>
      <button
        type="button"
        class="secondary"
        onClick={() => {
          reload();
          reloadLive();
        }}
      >
        {t('sched.common.refresh')}
      </button>
    </section>
  );
}

function Alarms({ luminaire }: { luminaire: Luminaire }) {
  const { api, config } = useApp();
  const [alarms] = useLoad(
    () => api.get<{ items: OpenAlarm[] }>('/alarms', { query: { zone: luminaire.zone } }),
    [luminaire.zone],
  );
  return (
    <section aria-labelledby="alarms-title">
      <h2 id="alarms-title">{t('sched.luminaire.alarms')}</h2>
      <WhenLoaded loaded={alarms}>
        {({ items }) => {
          const own = items.filter((alarm) => alarm.luminaireId === luminaire.id);
          if (own.length === 0) return <p>{t('sched.luminaire.noAlarm')}</p>;
          return (
            <ul class="alarm-list">
              {own.map((alarm) => (
                <li key={alarm.kind}>
                  <strong>{alarm.kind}</strong> ·{' '}
                  {t('sched.luminaire.openedAt', {
                    at: formatDateTime(new Date(alarm.openedAt), config.timezone),
                  })}
                  {alarm.detail !== undefined && ` · ${alarm.detail}`}
                  {alarm.acknowledgedBy !== undefined &&
                    ` · ${t('sched.luminaire.acknowledgedBy', { who: alarm.acknowledgedBy })}`}
                </li>
              ))}
            </ul>
          );
        }}
      </WhenLoaded>
    </section>
  );
}

function Energy({ path }: { path: string }) {
  const { api, config } = useApp();
  const today = ZoneClock.of(config.timezone).dateAt(Date.now() / 1000);
  const from = addDays(today, -ENERGY_NIGHTS);
  const to = addDays(today, -1);
  const [energy] = useLoad(
    () => api.get<EnergyAnswer>(`${path}/energy`, { query: { from, to } }),
    [path, from],
  );
  const wh = (value: number | null) => (value === null ? '—' : formatNumber(value, 1));
  return (
    <section aria-labelledby="energy-title">
      <h2 id="energy-title">{t('sched.luminaire.energy', { nights: ENERGY_NIGHTS })}</h2>
      <WhenLoaded loaded={energy}>
        {(answer) => (
          <table class="data">
            <thead>
              <tr>
                <th scope="col">{t('sched.common.night')}</th>
                <th scope="col">{t('sched.energy.metered')}</th>
                <th scope="col">{t('sched.energy.planned')}</th>
                <th scope="col">{t('sched.energy.baseline')}</th>
              </tr>
            </thead>
            <tbody>
              {answer.nights.map((row) => (
                <tr key={row.night}>
                  <th scope="row">{formatLocalDate(row.night)}</th>
                  <td>{wh(row.meteredWh)}</td>
                  <td>{wh(row.plannedWh)}</td>
                  <td>{wh(row.baselineWh)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('sched.energy.total')}</th>
                <td>{wh(answer.totals.meteredWh)}</td>
                <td>{wh(answer.totals.plannedWh)}</td>
                <td>{wh(answer.totals.baselineWh)}</td>
              </tr>
            </tfoot>
          </table>
        )}
      </WhenLoaded>
    </section>
  );
}
