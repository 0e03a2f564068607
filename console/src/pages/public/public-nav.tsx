import { t } from '../../i18n/index.ts';

const LINKS = [
  ['/public', 'public.nav.tonight'],
  ['/public/report', 'public.nav.report'],
  ['/public/timetable', 'public.nav.timetable'],
] as const;

/** The residents' pages link to each other and to the open data, not to the staff console. */
export function PublicNav({ current, apiBase }: { current: string; apiBase: string }) {
  return (
    <nav class="public-nav" aria-label={t('nav.public')}>
      <ul>
        {LINKS.map(([path, key]) => (
          <li key={path}>
            <a href={`#${path}`} aria-current={current === path ? 'page' : undefined}>
              {t(key)}
            </a>
          </li>
        ))}
        <li>
          <a href={`${apiBase}/public/catalog.jsonld`}>{t('public.openData')}</a>
        </li>
      </ul>
    </nav>
  );
}
