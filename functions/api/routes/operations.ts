import { z } from 'zod';
import { zonesOutsideLimit } from '#protocol/principal.ts';
import { LuminaireId, PlaceName } from '#schedules/inventory/schema.ts';
import { CITIZEN_REPORT } from '#schedules/public/fault-report.ts';
import { NotFound } from '../../shared/errors.ts';
import { REPORTER_FIELDS } from '../../store/index.ts';
import { auditEntry } from '../change/run-change.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';
import { type ApiRequest, json, parseQuery, type Route } from '../router.ts';
import { SCHEDULE_ROLES } from './config-collection.ts';

const DAY_MS = 86_400_000;

/** The longest range one `/audit` request may cover; older history is read range by range. */
const MAX_AUDIT_DAYS = 366;

const AuditPosition = z.tuple([z.iso.datetime(), z.string().min(1).max(128)]);

/** `next` of an audit page: base64url of the last entry's time and id, opaque to callers. */
const auditCursor = ({ at, id }: { at: string; id: string }): string =>
  Buffer.from(JSON.stringify([at, id])).toString('base64url');

/** Reads a cursor back strictly: anything this API did not write is a 400 naming `cursor`. */
const AuditCursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,512}$/, 'not a cursor this API returned')
  .transform((cursor, ctx) => {
    try {
      const [at, id] = AuditPosition.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
      return { at, id };
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not a cursor this API returned' });
      return z.NEVER;
    }
  });

const iso = (ms: number): string => new Date(ms).toISOString();

/** The query of `/audit`, with the default range (the 30 days up to now) filled in. */
const auditQuery = (nowMs: number) =>
  z
    .object({
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      cursor: AuditCursor.optional(),
    })
    .transform(({ from, to, limit, cursor }) => {
      const end = to === undefined ? nowMs : Date.parse(to);
      return {
        to: iso(end),
        from: iso(from === undefined ? end - 30 * DAY_MS : Date.parse(from)),
        limit,
        cursor,
      };
    })
    .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
    .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= MAX_AUDIT_DAYS * DAY_MS, {
      message: `a range covers at most ${MAX_AUDIT_DAYS} days`,
      path: ['from'],
    })
    .refine((q) => q.cursor === undefined || (q.from <= q.cursor.at && q.cursor.at <= q.to), {
      message: 'the cursor is outside from..to: send the from and to of the page it came with',
      path: ['cursor'],
    });

/** Alarms (list, acknowledge, close a citizen report) and the audit log: what a technician follows day to day. */
export function operationsRoutes(deps: ApiDeps): Route[] {
  /** The alarm a request names, when its luminaire exists and lies in the caller's zones. */
  async function alarmInReach(request: ApiRequest): Promise<{ luminaireId: string; kind: string }> {
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
    return { luminaireId, kind };
  }

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
        const { luminaireId, kind } = await alarmInReach(request);
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
      method: 'POST',
      path: '/alarms/{luminaireId}/{kind}/close',
      roles: SCHEDULE_ROLES,
      params: { luminaireId: LuminaireId },
      async handle(request) {
        const { luminaireId, kind } = await alarmInReach(request);
        // A controller's fault clears when the luminaire stops reporting it; only a report made by
        // a resident has nobody else to close it.
        if (kind !== CITIZEN_REPORT) {
          throw new ApiProblem(
            'conflict',
            `a ${kind} alarm clears when the luminaire stops reporting it; only ${CITIZEN_REPORT} alarms are closed by hand`,
          );
        }
        const entry = auditEntry(deps, request.principal, {
          action: 'alarm.close',
          target: `alarm ${kind} of luminaire ${luminaireId}`,
          before: { state: 'open' },
          after: {
            state: 'cleared',
            ...Object.fromEntries(REPORTER_FIELDS.map((field) => [field, 'erased'])),
          },
        });
        const outcome = await deps.acknowledgements.close(luminaireId, kind, entry);
        if (outcome === 'not-open') throw new NotFound('open alarm', `${kind} of luminaire ${luminaireId}`);
        return json(200, { luminaireId, kind, closedBy: entry.actor, closedAt: entry.at, auditId: entry.id });
      },
    },
    {
      method: 'GET',
      path: '/audit',
      roles: SCHEDULE_ROLES,
      async handle(request) {
        const { from, to, limit, cursor } = parseQuery(request, auditQuery(deps.now() * 1000));
        const page = await deps.audit.list({ from, to, limit, after: cursor });
        return json(200, {
          from,
          to,
          items: page.items,
          ...(page.next === undefined ? {} : { next: auditCursor(page.next) }),
        });
      },
    },
  ];
}
