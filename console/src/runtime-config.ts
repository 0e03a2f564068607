import { z } from 'zod';

/**
 * What the console learns at start from `/config.json`, written by the local runtime (`npm start`)
 * and, on AWS, by the deployment: where the API is, how to sign in, the site's time zone.
 */
export const RuntimeConfig = z.object({
  /** "/api" locally and behind CloudFront. */
  apiBase: z.string().min(1).max(500),
  siteId: z.string().min(1).max(40),
  /** The site's IANA zone: every time is shown in it. */
  timezone: z.string().min(1).max(64),
  auth: z.discriminatedUnion('kind', [
    /** npm start: the local sign-in page. */
    z.object({ kind: z.literal('local') }),
    z.object({
      kind: z.literal('cognito'),
      domain: z.url(),
      clientId: z.string().min(1).max(128),
      redirectUri: z.url(),
      logoutUri: z.url(),
    }),
  ]),
  map: z.object({ styleUrl: z.url().optional(), attribution: z.string().max(500).optional() }).default({}),
});
export type RuntimeConfig = z.infer<typeof RuntimeConfig>;

export const RUNTIME_CONFIG_PATH = '/config.json';

/** Fetches and checks the runtime config; a bad one is a deployment error, named by its fields. */
export async function loadRuntimeConfig(fetcher: typeof fetch = fetch): Promise<RuntimeConfig> {
  const response = await fetcher(RUNTIME_CONFIG_PATH, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`${RUNTIME_CONFIG_PATH}: HTTP ${response.status}`);
  const parsed = RuntimeConfig.safeParse(await response.json());
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    throw new Error(`${RUNTIME_CONFIG_PATH} is invalid: ${fields}`);
  }
  return parsed.data;
}
