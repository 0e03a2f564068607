import { useState } from 'preact/hooks';
import type { StreetNight } from '#schedules/public/street-schedule.ts';
import { useApp } from '../../app-context.ts';
import { formatLocalDate } from '../../format.ts';
import { t } from '../../i18n/index.ts';
import { useLoad } from '../schedules/use-load.ts';
import { PublicNav } from './public-nav.tsx';
import { findStreets } from './streets.ts';
import '../../styles/public.css';

interface Tonight {
  readonly night: string;
  readonly streets: readonly StreetNight[];
}

function why(street: StreetNight): string {
  const rule = street.reason.rule === null ? '' : t('public.tonight.rule', { rule: street.reason.rule });
  return [street.reason.description, rule].filter((part) => part !== null && part !== '').join(' — ');
}

function StreetCard({ street }: { street: StreetNight }) {
  return (
    <article class="public-card" aria-labelledby={`street-${street.zone}-${street.street}`}>
      <h2 id={`street-${street.zone}-${street.street}`}>
        {street.street} <span class="public-zone">({street.zone})</span>
      </h2>
      {street.switchOn === null ? (
        <p>{t('public.tonight.unlit')}</p>
      ) : (
        <ul class="public-times">
          <li>{t('public.tonight.on', { time: street.switchOn })}</li>
          {street.extinctions.length === 0 ? (
            <li>{t('public.tonight.noDark')}</li>
          ) : (
            street.extinctions.map((span) => (
              <li key={span.from}>{t('public.tonight.dark', { from: span.from, to: span.to })}</li>
            ))
          )}
          <li>{t('public.tonight.off', { time: street.switchOff ?? '' })}</li>
        </ul>
      )}
      <p>{t('public.tonight.why', { why: why(street) })}</p>
      {street.reason.temporaryChange && <p>{t('public.tonight.temporary')}</p>}
    </article>
  );
}

/** "Ma rue cette nuit": a resident finds their street and reads tonight's times and the reason. */
export default function TonightPage() {
  const { api, config } = useApp();
  const [typed, setTyped] = useState('');
  const [tonight] = useLoad(() => api.get<Tonight>('/public/schedules'), []);
  const found = tonight.state === 'done' ? findStreets(tonight.value.streets, typed) : [];
  return (
    <section class="public-page">
      <PublicNav current="/public" apiBase={config.apiBase} />
      <h1>{t('public.tonight.title')}</h1>
      <p>{t('public.tonight.intro')}</p>
      {tonight.state === 'done' && (
        <p>{t('public.tonight.night', { date: formatLocalDate(tonight.value.night) })}</p>
      )}
      <label class="public-field">
        {t('public.tonight.search')}
        <input
          type="search"
          value={typed}
          autocomplete="street-address"
          onInput={(event) => setTyped((event.currentTarget as HTMLInputElement).value)}
        />
      </label>
      {tonight.state === 'loading' && <p>{t('app.loading')}</p>}
      {tonight.state === 'failed' && <p role="alert">{t('app.error', { message: tonight.problem.title })}</p>}
      <p aria-live="polite">
        {typed.trim() === ''
          ? ''
          : found.length === 0
            ? t('public.tonight.none')
            : t('public.tonight.matches', { count: found.length })}
      </p>
      {found.map((street) => (
        <StreetCard key={`${street.zone}/${street.street}`} street={street} />
      ))}
    </section>
  );
}
