import type { Luminaire } from '#schedules/index.ts';
import {
  CITIZEN_REPORT,
  FaultReport,
  isRobot,
  MAX_POINT_DISTANCE_M,
  REFUSALS,
} from '#schedules/public/fault-report.ts';
import { nearestLuminaires, siteExtent, within } from '#schedules/public/nearest.ts';
import { round } from '../../reports/columns.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';
import { countClientWindow, type PublicAccess } from '../public/access.ts';
import { publicInventory } from '../public/inventory.ts';
import { json, parseBody, type Route } from '../router.ts';

/**
 * Five reports at once from one address, then one every 12 minutes: a family reporting the lights
 * of its street passes, a script does not. The same five an hour hold across the function's
 * instances (the table's window); WAF and API Gateway's route throttle cap the rest (ADR 0019).
 */
export const FAULT_REPORTS: PublicAccess = {
  group: 'fault-report',
  rate: { capacity: 5, refillPerSecond: 1 / 720 },
  perClientWindow: { requests: 5, windowSeconds: 3600 },
};

/** The luminaires near a map point the alarm names, for the technician to check. */
const NAMED_NEAR_POINT = 3;

/** A point to the metre, as the form shows it: finer says nothing more to a technician. */
const POINT_DECIMALS = 5;

const unknownPlace = (pointer: string, detail: string) =>
  new ApiProblem('validation-failed', 'the report does not name a luminaire of the network', [
    { pointer, detail },
  ]);

/**
 * `POST /public/fault-reports`: a resident reports a broken light. The report opens a
 * `citizen-report` alarm on the luminaire it names (the pole's number, the one nearest a map point,
 * or the first of a street) that technicians see with the others and close once it is repaired,
 * which erases the e-mail left for follow-up and the map point (kept apart from the detail for that).
 * A luminaire already reported keeps its first report.
 */
export function publicFaultReportRoutes(deps: ApiDeps): Route[] {
  const inventory = publicInventory(deps, deps.now);
  /** The luminaire the report is on and, for a map point, the ones near it the alarm names. */
  async function placeOf(report: FaultReport): Promise<{ luminaire: Luminaire; near?: string[] }> {
    if (report.luminaire !== undefined) {
      const [found] = await deps.luminaires.get([report.luminaire]);
      if (found === undefined) throw unknownPlace('/luminaire', REFUSALS.unknownPole);
      return { luminaire: found };
    }
    const all = await inventory.all();
    if (report.position !== undefined) {
      const extent = siteExtent(all);
      if (extent === undefined || !within(extent, report.position)) {
        throw unknownPlace('/position', REFUSALS.outsideNetwork);
      }
      const near = nearestLuminaires(
        all.filter((l) => report.street === undefined || l.street === report.street),
        report.position,
        NAMED_NEAR_POINT,
        MAX_POINT_DISTANCE_M,
      );
      const first = near[0];
      if (first === undefined) {
        throw unknownPlace('/position', REFUSALS.farFromPoles);
      }
      // Numbers without their distances: three distances would give the point back once it is erased.
      return { luminaire: first.luminaire, near: near.map((n) => n.luminaire.id) };
    }
    const onStreet = all.filter((l) => l.street === report.street).sort((a, b) => a.id.localeCompare(b.id));
    const found = onStreet[0];
    if (found === undefined) throw unknownPlace('/street', REFUSALS.unknownStreet);
    return { luminaire: found };
  }

  return [
    {
      method: 'POST',
      path: '/public/fault-reports',
      roles: [],
      public: FAULT_REPORTS,
      maxBodyBytes: 8 * 1024,
      async handle(request) {
        const report = parseBody(request, FaultReport);
        if (isRobot(report)) return json(202, { status: 'received' });
        const { luminaire, near } = await placeOf(report);
        // Counted once the report is known good: a refused one stores nothing, not even a count.
        await countClientWindow(deps.clientWindows, deps.now(), FAULT_REPORTS, request.clientIp);
        const where =
          report.luminaire !== undefined
            ? ''
            : report.position !== undefined
              ? ` [map point; nearest: ${near?.join(', ')}]`
              : ' [pole not identified: street only]';
        const opened = await deps.alarms.open({
          luminaireId: luminaire.id,
          kind: CITIZEN_REPORT,
          zone: luminaire.zone,
          street: luminaire.street,
          openedAt: new Date(deps.now() * 1000).toISOString(),
          detail: `${report.description}${where}`,
          ...(report.email === undefined ? {} : { contactEmail: report.email }),
          ...(report.position === undefined
            ? {}
            : {
                reporterPoint: {
                  lat: round(report.position.lat, POINT_DECIMALS),
                  lon: round(report.position.lon, POINT_DECIMALS),
                },
              }),
        });
        return json(202, {
          status: opened === 'opened' ? 'received' : 'already-reported',
          street: luminaire.street,
        });
      },
    },
  ];
}
