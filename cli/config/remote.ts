import { etagOf } from '#functions/api/etag.ts';
import type { CalendarRule, Override, Profile } from '#schedules/config/schema.ts';
import { type ApiAnswer, type ApiClient, problemSummary } from './api-client.ts';
import type { Change, LiveConfig } from './changes.ts';

/** The API refused a request the CLI needs (a read, or a change): the line to print. */
export class ApiRefused extends Error {
  constructor(
    readonly what: string,
    readonly answer: ApiAnswer,
  ) {
    super(`${what}: ${problemSummary(answer)}`);
  }
}

async function getOk(api: ApiClient, path: string): Promise<ApiAnswer> {
  const answer = await api.request('GET', path);
  if (answer.status !== 200) throw new ApiRefused(`GET ${path}`, answer);
  return answer;
}

/** The live profiles, calendar and overrides (expired ones still kept included). */
export async function readLive(api: ApiClient): Promise<LiveConfig> {
  const [profiles, calendar, overrides] = await Promise.all([
    getOk(api, '/profiles'),
    getOk(api, '/calendar/rules'),
    getOk(api, '/overrides?all=true'),
  ]);
  return {
    profiles: profiles.body as Record<string, Profile>,
    calendar: calendar.body as CalendarRule[],
    overrides: overrides.body as Override[],
  };
}

/** The ETag of each item, read from its item GET (`ids` by collection path). */
export async function readEtagsOf(api: ApiClient, collection: string, ids: readonly string[]) {
  const tags: Record<string, string> = {};
  // A few requests at a time: a site has up to 1,700 items, the local API runs on a laptop.
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const answer = await getOk(api, `${collection}/${encodeURIComponent(id)}`);
      // An API older than the ETag contract sends none and ignores If-Match: the tag is then the
      // one the contract defines for the item it answered.
      tags[id] = answer.etag ?? etagOf(answer.body);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return tags;
}

/** GET /settings, when the API has it (404 otherwise). */
export async function readSettings(api: ApiClient): Promise<Record<string, unknown> | undefined> {
  const answer = await api.request('GET', '/settings');
  if (answer.status === 404 || answer.status === 405) return undefined;
  if (answer.status !== 200) throw new ApiRefused('GET /settings', answer);
  return answer.body as Record<string, unknown>;
}

export interface Preview {
  readonly night: string;
  readonly affected: number;
  readonly changed: number;
}

/** Sends a change, or its dry run (`?dryRun=true`, no idempotency key: it creates nothing). */
export async function send(
  api: ApiClient,
  change: Change,
  options: { dryRun: boolean; night?: string | undefined },
): Promise<ApiAnswer> {
  const query = new URLSearchParams();
  if (options.dryRun) query.set('dryRun', 'true');
  if (options.night !== undefined) query.set('night', options.night);
  const headers = options.dryRun
    ? Object.fromEntries(Object.entries(change.headers).filter(([name]) => name !== 'idempotency-key'))
    : change.headers;
  const qs = query.size > 0 ? `?${query}` : '';
  return api.request(change.method, `${change.path}${qs}`, {
    headers,
    ...(change.body === undefined ? {} : { body: change.body }),
  });
}

export function previewOf(answer: ApiAnswer): Preview | undefined {
  const preview = (answer.body as { preview?: Preview } | undefined)?.preview;
  return preview === undefined ? undefined : preview;
}

/** The answer's push summary, if the change was pushed (docs/api.md). */
export function pushOf(answer: ApiAnswer): Record<string, unknown> | undefined {
  return (answer.body as { push?: Record<string, unknown> } | undefined)?.push;
}
