import { type Config, Name } from '../../../schedules/index.ts';
import type { Role } from '../../auth/principal.ts';
import { NotFound } from '../../shared/errors.ts';
import type { ConfigChange } from '../../store/config-changes.ts';
import { runConfigChange } from '../change/run-change.ts';
import type { ApiDeps } from '../deps.ts';
import { type ApiRequest, json, type Method, parseQuery, type Route } from '../router.ts';
import { ChangeQuery } from './query.ts';

export const SCHEDULE_ROLES: readonly Role[] = ['technician', 'admin'];

/**
 * One part of the site configuration exposed as a REST collection (profiles, calendar rules,
 * overrides): list, read one, write one (PUT on the item, or POST on the collection when the
 * server may name it), delete one. Every write goes through runConfigChange.
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
  readonly remove: (id: string) => ConfigChange;
}

export function configCollectionRoutes<T>(collection: ConfigCollection<T>, deps: ApiDeps): Route[] {
  const itemPath = `${collection.path}/{id}`;
  const change = async (
    request: ApiRequest,
    makeChange: (config: Config) => ConfigChange,
    created = false,
  ) => {
    const query = parseQuery(request, ChangeQuery);
    const outcome = await runConfigChange(
      deps,
      {
        principal: request.principal,
        requestId: request.requestId,
        dryRun: query.dryRun,
        night: query.night,
      },
      makeChange,
    );
    return json(created && !outcome.dryRun ? 201 : 200, outcome);
  };
  const idOf = (request: ApiRequest): string => request.params.id ?? '';
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
        return json(200, item);
      },
    },
    {
      method: collection.write.method,
      ...(collection.write.method === 'PUT' ? item : { path: collection.path }),
      roles: SCHEDULE_ROLES,
      handle: (request) => {
        const requested = collection.write.change(request, deps);
        return change(request, () => requested, collection.write.method === 'POST');
      },
    },
    {
      method: 'DELETE',
      ...item,
      roles: SCHEDULE_ROLES,
      handle: (request) => {
        const id = idOf(request);
        return change(request, (config) => {
          if (collection.find(config, id) === undefined) throw new NotFound(collection.noun, id);
          return collection.remove(id);
        });
      },
    },
  ];
}
