import { RuntimeConfig } from '#console/src/runtime-config.ts';
import type { SiteAnswers } from './http-gateway.ts';
import { LOCAL_SIGN_IN_PATH, type localSignIn } from './local-sign-in.ts';
import { type LocalAnswer, staticFile } from './static-files.ts';

export const RUNTIME_CONFIG_PATH = '/config.json';

/**
 * What the local gateway answers outside `/api`: the console's runtime config (written here, by
 * the deployment on AWS), the local sign-in, and the built console's files when there is a build.
 */
export function consoleSite(deps: {
  readonly dir: string | undefined;
  readonly runtimeConfig: () => Promise<RuntimeConfig>;
  readonly signIn: ReturnType<typeof localSignIn>;
}): SiteAnswers {
  return async (method, path, body): Promise<LocalAnswer | undefined> => {
    if (path === LOCAL_SIGN_IN_PATH) return deps.signIn(method, body.toString('utf8'));
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    if (path === RUNTIME_CONFIG_PATH) {
      return {
        status: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
        body: JSON.stringify(RuntimeConfig.parse(await deps.runtimeConfig())),
      };
    }
    return deps.dir === undefined ? undefined : staticFile(deps.dir, path);
  };
}
