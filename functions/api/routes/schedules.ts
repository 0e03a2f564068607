import { z } from 'zod';
import { CalendarRule, Override, Profile } from '#schedules/index.ts';
import type { ConfigChange } from '../../store/config-changes.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';
import { parseBody, type Route } from '../router.ts';
import { configCollectionRoutes } from './config-collection.ts';

/** Profiles, calendar rules and overrides: the schedule a technician edits. */
export function scheduleRoutes(deps: ApiDeps): Route[] {
  return [
    ...configCollectionRoutes(
      {
        path: '/profiles',
        noun: 'profile',
        list: (config) => config.profiles,
        // Own names only: `profiles` is a plain object, whose prototype answers to `toString` ...
        find: (config, name) => (Object.hasOwn(config.profiles, name) ? config.profiles[name] : undefined),
        write: {
          method: 'PUT',
          change: (request) => ({
            kind: 'profile.put',
            name: request.params.id ?? '',
            profile: parseBody(request, Profile),
          }),
        },
        remove: (name) => ({ kind: 'profile.delete', name }),
      },
      deps,
    ),
    ...configCollectionRoutes(
      {
        path: '/calendar/rules',
        noun: 'calendar rule',
        list: (config) => config.calendar,
        find: (config, id) => config.calendar.find((rule) => rule.id === id),
        write: {
          method: 'PUT',
          change: (request) => {
            const id = request.params.id ?? '';
            const rule = parseBody(request, CalendarRule);
            if (rule.id !== undefined && rule.id !== id) {
              throw new ApiProblem(
                'validation-failed',
                'the rule id in the body differs from the one in the path',
                [{ pointer: '/id', detail: `expected "${id}" or no id` }],
              );
            }
            return { kind: 'rule.put', rule: { ...rule, id } };
          },
        },
        remove: (id) => ({ kind: 'rule.delete', id }),
      },
      deps,
    ),
    ...configCollectionRoutes(
      {
        path: '/overrides',
        noun: 'override',
        // Expired overrides stay stored a while (audit); the list shows them with ?all=true.
        list: (config, request, now) =>
          request.query.all === 'true'
            ? config.overrides
            : config.overrides.filter((override) => Date.parse(override.until) / 1000 > now),
        find: (config, id) => config.overrides.find((override) => override.id === id),
        write: {
          method: 'POST',
          change: (request, { newId }) => {
            // The server names an override posted without an id.
            const named = z.preprocess(
              (raw) =>
                typeof raw === 'object' && raw !== null && !('id' in raw)
                  ? { ...raw, id: `override-${newId()}` }
                  : raw,
              Override,
            );
            return { kind: 'override.put', override: parseBody(request, named) };
          },
        },
        remove: endOverride,
      },
      deps,
    ),
  ];
}

/**
 * DELETE of an override ends it now rather than erasing it: one that has started is kept with
 * `until` = now (audited as override.end, still listed with ?all=true); one not started yet never
 * acted, so it is removed; one already over cannot end again (409).
 */
function endOverride(id: string, override: Override, now: number): ConfigChange {
  const nowMs = now * 1000;
  if (Date.parse(override.until) <= nowMs) {
    throw new ApiProblem('conflict', `override ${id} already ended at ${override.until}`);
  }
  if (Date.parse(override.from) >= nowMs) return { kind: 'override.delete', id };
  return { kind: 'override.end', override: { ...override, until: new Date(nowMs).toISOString() } };
}
