import type { Role } from '#protocol/principal.ts';
import { type Config, Name } from '#schedules/index.ts';
import { NotFound } from '../../shared/errors.ts';
import type { ConfigChange } from '../../store/config-changes.ts';
import { valueAfter } from '../change/apply.ts';
import { runConfigChange } from '../change/run-change.ts';
import type { ApiDeps } from '../deps.ts';
import { etagOf } from '../etag.ts';
import { checkPreconditions } from '../preconditions.ts';
import { type ApiRequest, json, type Method, parseQuery, type Route } from '../router.ts';
import { ChangeQuery } from './query.ts';

export const SCHEDULE_ROLES: readonly Role[] = ['technician', 'admin'];

/**
 * One part of the site configuration exposed as a REST collection (profiles, calendar rules,
 * overrides): list, read one, write one (PUT on the item, or POST on the collection when the
 * server may name it), delete one. Every write goes through runConfigChange. An item GET carries
 * the item's ETag; a PUT or DELETE of an existing item needs it in If-Match (checkPreconditions),
 * checked inside the change, against the configuration the change is committed on: of two edits
 * sent with the same ETag, the versioned commit lets one through and the other gets 412 or 409.
 */
export interface ConfigCollection<T> {
  /** `/profiles`: the item is at `/profiles/{id}`. */
  readonly path: string;
  /** What the collection calls its items in messages: `profile`. */
  readonly noun: string;
  readonly list: (config: Config, request: ApiRequest, now: number) => readonly T[] | Record<string, T>;
  readonly find: (config: Config, id: string) => T | undefined;
  /** PUT `{path}/{id}` or POST `{path}`: the change the request body asks for. */
  readonly write: {
    readonly method: Extract<Method, 'PUT' | 'POST'>;
    readonly change: (request: ApiRequest, deps: ApiDeps) => ConfigChange;
  };
  /** DELETE `{path}/{id}` of the existing `item`: the change it makes (`now` in epoch seconds). */
  readonly remove: (id: string, item: T, now: number) => ConfigChange;
}

export function configCollectionRoutes<T>(collection: ConfigCollection<T>, deps: ApiDeps): Route[] {
  const itemPath = `${collection.path}/{id}`;
  /** `created`: a POST's 201; `stored`: the item the change stores, whose ETag the answer carries. */
  const change = async (
    request: ApiRequest,
    makeChange: (config: Config) => ConfigChange,
    {
      created = false,
      stored,
      precondition,
    }: { created?: boolean; stored?: unknown; precondition?: (config: Config) => void } = {},
  ) => {
    const query = parseQuery(request, ChangeQuery);
    const outcome = await runConfigChange(
      deps,
      {
        principal: request.principal,
        requestId: request.requestId,
        dryRun: query.dryRun,
        night: query.night,
        precondition,
      },
      makeChange,
    );
    if (outcome.dryRun) return json(200, outcome);
    return json(created ? 201 : 200, outcome, stored === undefined ? {} : { etag: etagOf(stored) });
  };
  const idOf = (request: ApiRequest): string => request.params.id ?? '';
  /** The request's If-Match / If-None-Match, against the item of its path in `config`. */
  const itemPrecondition = (request: ApiRequest) => (config: Config) =>
    checkPreconditions(
      request,
      collection.find(config, idOf(request)),
      `${collection.noun} ${idOf(request)}`,
    );
  const item = { path: itemPath, params: { id: Name } };

  return [
    {
      method: 'GET',
      path: collection.path,
      roles: SCHEDULE_ROLES,
      handle: async (request) => json(200, collection.list(await deps.config.load(), request, deps.now())),
    },
    {
      method: 'GET',
      ...item,
      roles: SCHEDULE_ROLES,
      handle: async (request) => {
        const id = idOf(request);
        const item = collection.find(await deps.config.load(), id);
        if (item === undefined) throw new NotFound(collection.noun, id);
        return json(200, item, { etag: etagOf(item) });
      },
    },
    {
      method: collection.write.method,
      ...(collection.write.method === 'PUT' ? item : { path: collection.path }),
      roles: SCHEDULE_ROLES,
      handle: (request) => {
        const requested = collection.write.change(request, deps);
        const stored = valueAfter(requested) ?? undefined;
        if (collection.write.method === 'POST')
          return change(request, () => requested, { created: true, stored });
        return change(request, () => requested, { stored, precondition: itemPrecondition(request) });
      },
    },
    {
      method: 'DELETE',
      ...item,
      roles: SCHEDULE_ROLES,
      handle: (request) => {
        const id = idOf(request);
        return change(
          request,
          (config) => {
            const current = collection.find(config, id);
            if (current === undefined) throw new NotFound(collection.noun, id);
            return collection.remove(id, current, deps.now());
          },
          {
            precondition: (config) =>
              checkPreconditions(request, collection.find(config, id), `${collection.noun} ${id}`),
          },
        );
      },
    },
  ];
}
