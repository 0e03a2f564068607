import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Principal } from '#protocol/principal.ts';
import type { ApiClient } from './api/client.ts';
import type { AuthProvider } from './auth/provider.ts';
import type { RuntimeConfig } from './runtime-config.ts';

/** What every page may use: the API, the runtime config (time zone), who is signed in. */
export interface AppContext {
  readonly config: RuntimeConfig;
  readonly api: ApiClient;
  readonly auth: AuthProvider;
  /** undefined on the sign-in page before anyone signed in. */
  readonly principal: Principal | undefined;
}

export const App = createContext<AppContext | undefined>(undefined);

export function useApp(): AppContext {
  const context = useContext(App);
  if (context === undefined) throw new Error('useApp() outside the console shell');
  return context;
}
