import { render } from 'preact';
import { createApiClient } from './api/client.ts';
import { Shell } from './app.tsx';
import { CognitoAuth } from './auth/cognito.ts';
import { LocalAuth } from './auth/local.ts';
import type { AuthProvider } from './auth/provider.ts';
import { languageFrom, setLanguage, t } from './i18n/index.ts';
import { loadRuntimeConfig, type RuntimeConfig } from './runtime-config.ts';
import './styles/app.css';

async function authFor(config: RuntimeConfig): Promise<AuthProvider> {
  switch (config.auth.kind) {
    case 'local':
      return new LocalAuth();
    case 'cognito':
      return new CognitoAuth(config.auth);
  }
}

async function start(root: HTMLElement): Promise<void> {
  await setLanguage(languageFrom(navigator.languages));
  document.title = t('app.title');
  try {
    const config = await loadRuntimeConfig();
    const auth = await authFor(config);
    await auth.resume();
    const api = createApiClient({ base: config.apiBase, auth });
    render(<Shell config={config} auth={auth} api={api} />, root);
  } catch (error) {
    root.textContent = t('app.error', { message: (error as Error).message });
  }
}

const root = document.getElementById('app');
if (root !== null) start(root);
