import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Principal } from '#protocol/principal.ts';
import type { ApiClient } from './api/client.ts';
import { App } from './app-context.ts';
import type { AuthProvider } from './auth/provider.ts';
import { principalOf } from './auth/session.ts';
import { LANGUAGES, type Language, language, onLanguageChange, setLanguage, t } from './i18n/index.ts';
import { SignInForm } from './pages/sign-in/sign-in-form.tsx';
import {
  homeFor,
  matchRoute,
  mayOpen,
  navFor,
  type PageProps,
  type RouteDef,
  SIGN_IN_PATH,
} from './routes.ts';
import type { RuntimeConfig } from './runtime-config.ts';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

/**
 * The page module of a route, loaded on first use (each page is a chunk of its own), its prefetch
 * started alongside and closed when the route is left (whatever the page did not take over).
 */
function usePage(
  route: RouteDef | undefined,
  api: ApiClient,
  config: RuntimeConfig,
): ComponentType<PageProps> | 'loading' | Error {
  const [loaded, setLoaded] = useState<{ route: RouteDef; page: ComponentType<PageProps> | Error }>();
  useEffect(() => {
    if (route === undefined) return;
    let live = true;
    const unused = route.prefetch?.({ api, config });
    route
      .load()
      .then((module) => live && setLoaded({ route, page: module.default }))
      .catch((error: unknown) => live && setLoaded({ route, page: error as Error }));
    return () => {
      live = false;
      unused?.();
    };
  }, [route, api, config]);
  return loaded !== undefined && loaded.route === route ? loaded.page : 'loading';
}

function useLanguage(): Language {
  const [current, setCurrent] = useState(language());
  useEffect(() => onLanguageChange(() => setCurrent(language())), []);
  return current;
}

/** Who the provider's token names, followed as people sign in and out. */
function usePrincipal(auth: AuthProvider): { principal: Principal | undefined; known: boolean } {
  const [state, setState] = useState<{ principal: Principal | undefined; known: boolean }>({
    principal: undefined,
    known: false,
  });
  useEffect(() => {
    const refresh = () => {
      auth
        .token()
        .then((token) =>
          setState({ principal: token === undefined ? undefined : principalOf(token), known: true }),
        )
        .catch(() => setState({ principal: undefined, known: true }));
    };
    refresh();
    return auth.subscribe?.(refresh);
  }, [auth]);
  return state;
}

function Header({ principal, auth }: { principal: Principal | undefined; auth: AuthProvider }) {
  const current = language();
  const nav = navFor(principal);
  const hash = location.hash;
  return (
    <header class="shell-header">
      <a class="shell-title" href={homeFor(principal)}>
        {t('app.title')}
      </a>
      {nav.length > 0 && (
        <nav aria-label={t('nav.label')}>
          <ul class="shell-nav">
            {nav.map((route) => (
              <li key={route.pattern}>
                <a
                  href={`#${route.pattern}`}
                  aria-current={hash.startsWith(`#${route.pattern}`) ? 'page' : undefined}
                >
                  {route.nav === undefined ? route.pattern : t(route.nav)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <div class="shell-tools">
        <label>
          <span class="visually-hidden">{t('shell.language')}</span>
          <select
            value={current}
            onChange={(event) =>
              void setLanguage((event.currentTarget as HTMLSelectElement).value as Language)
            }
          >
            {LANGUAGES.map((code) => (
              <option key={code} value={code}>
                {code === 'fr' ? 'Français' : 'English'}
              </option>
            ))}
          </select>
        </label>
        {principal !== undefined && (
          <>
            <span class="shell-user">
              {t('shell.signedInAs', {
                name: principal.username,
                roles: principal.roles.map((role) => t(`role.${role}`)).join(', '),
              })}
              {principal.zones !== 'all' && ` · ${t('shell.zones', { zones: principal.zones.join(', ') })}`}
            </span>
            <button
              type="button"
              onClick={() => {
                auth.signOut().then(() => {
                  location.hash = `#${SIGN_IN_PATH}`;
                });
              }}
            >
              {t('shell.signOut')}
            </button>
          </>
        )}
      </div>
    </header>
  );
}

/** A sign-in asked for in the middle of a page (expired session): the form over the page, which stays. */
function SignInAgain({ auth }: { auth: AuthProvider }) {
  const [prompting, setPrompting] = useState(false);
  useEffect(() => {
    const update = () => setPrompting('prompting' in auth && auth.prompting === true);
    update();
    return auth.subscribe?.(update);
  }, [auth]);
  if (!prompting) return null;
  return (
    <div class="dialog-backdrop">
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="sign-in-again">
        <h2 id="sign-in-again">{t('signIn.title')}</h2>
        <p>{t('shell.sessionExpired')}</p>
        <SignInForm />
      </div>
    </div>
  );
}

/**
 * The console's frame: header and navigation for the signed-in role, the page the location hash
 * names (loaded on first use), and the sign-in form when the session needs renewing.
 */
export function Shell({ config, auth, api }: { config: RuntimeConfig; auth: AuthProvider; api: ApiClient }) {
  const hash = useHash();
  useLanguage();
  const { principal, known } = usePrincipal(auth);
  const match = matchRoute(hash === '' ? homeFor(principal) : hash);
  const route = match?.route;
  const allowed = route !== undefined && mayOpen(principal, route);
  const page = usePage(allowed ? route : undefined, api, config);

  useEffect(() => {
    // The bare origin opens the person's start page, named in the address bar.
    if (known && hash === '') location.replace(homeFor(principal));
  }, [known, hash, principal]);

  useEffect(() => {
    // A route without roles (sign-in, the residents' pages) is for anyone, signed in or not.
    if (!known || principal !== undefined || (route !== undefined && route.roles === undefined)) return;
    // Nobody signed in yet: the sign-in page (local) or the identity provider (Cognito).
    if (config.auth.kind === 'local') location.hash = `#${SIGN_IN_PATH}`;
    else auth.signIn();
  }, [known, principal, route, config, auth]);

  let body: preact.ComponentChildren;
  if (match === undefined) body = <Notice text={t('shell.notFound')} principal={principal} />;
  else if (!known) body = <p>{t('app.loading')}</p>;
  else if (!allowed)
    body = principal === undefined ? null : <Notice text={t('shell.forbidden')} principal={principal} />;
  else if (page === 'loading') body = <p>{t('app.loading')}</p>;
  else if (page instanceof Error) body = <p role="alert">{t('app.error', { message: page.message })}</p>;
  else {
    const Page = page;
    body = <Page params={match.params} />;
  }

  return (
    <App.Provider value={{ config, api, auth, principal }}>
      <Header principal={principal} auth={auth} />
      <main id="main">{body}</main>
      {route?.pattern !== SIGN_IN_PATH && <SignInAgain auth={auth} />}
    </App.Provider>
  );
}

function Notice({ text, principal }: { text: string; principal: Principal | undefined }) {
  return (
    <section class="notice">
      <p>{text}</p>
      <a href={homeFor(principal)}>{t('shell.home')}</a>
    </section>
  );
}
