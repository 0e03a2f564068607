import { z } from 'zod';
import { LuminaireId, PlaceName } from '../../../schedules/inventory/schema.ts';
import { zonesOutsideLimit } from '../../auth/principal.ts';
import { NotFound } from '../../shared/errors.ts';
import { auditEntry } from '../change/run-change.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';
import { json, parseQuery, type Route } from '../router.ts';
import { SCHEDULE_ROLES } from './config-collection.ts';

const DAY_MS = 86_400_000;

const AuditQuery = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'from must not be after to',
    path: ['from'],
  });

/** Alarms (list, acknowledge) and the audit log: what a technician follows day to day. */
export function operationsRoutes(deps: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/alarms',
      roles: SCHEDULE_ROLES,
      async handle(request) {
        const { zone } = parseQuery(request, z.object({ zone: PlaceName.optional() }));
        return json(200, { items: await deps.alarms.listOpen(zone) });
      },
    },
    {
      method: 'POST',
      path: '/alarms/{luminaireId}/{kind}/acknowledge',
      roles: SCHEDULE_ROLES,
      params: { luminaireId: LuminaireId },
      async handle(request) {
        const luminaireId = request.params.luminaireId ?? '';
        const kind = request.params.kind ?? '';
        const [luminaire] = await deps.luminaires.get([luminaireId]);
        if (luminaire === undefined) throw new NotFound('luminaire', luminaireId);
        if (zonesOutsideLimit(request.principal, [luminaire.zone]).length > 0) {
          throw new ApiProblem(
            'forbidden',
            `luminaire ${luminaireId} is in zone ${luminaire.zone}, outside yours`,
          );
        }
        const entry = auditEntry(deps, request.principal, {
          action: 'alarm.acknowledge',
          target: `alarm ${kind} of luminaire ${luminaireId}`,
          before: { state: 'open' },
          after: { state: 'open', acknowledged: true },
        });
        const outcome = await deps.acknowledgements.acknowledge(luminaireId, kind, entry);
        if (outcome === 'not-open') throw new NotFound('open alarm', `${kind} of luminaire ${luminaireId}`);
        return json(200, {
          luminaireId,
          kind,
          acknowledgedBy: entry.actor,
          acknowledgedAt: entry.at,
          auditId: entry.id,
        });
      },
    },
    {
      method: 'GET',
      path: '/audit',
      roles: SCHEDULE_ROLES,
      async handle(request) {
        const query = parseQuery(request, AuditQuery);
        const to = query.to ?? new Date(deps.now() * 1000).toISOString();
        const from = query.from ?? new Date(Date.parse(to) - 30 * DAY_MS).toISOString();
        const entries = await deps.audit.list(new Date(from).toISOString(), new Date(to).toISOString());
        return json(200, {
          from,
          to,
          items: entries.slice(0, query.limit),
          truncated: entries.length > query.limit,
        });
      },
    },
  ];
}
