import { METRES_PER_DEGREE } from '#schedules/geo.ts';
import type { Luminaire } from '#schedules/index.ts';
import { CITIZEN_REPORT, FaultReport, isRobot } from '#schedules/public/fault-report.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';
import type { PublicAccess } from '../public/access.ts';
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

/** A map point farther than this from every luminaire names none of them. */
const MAX_POINT_DISTANCE_M = 300;

/** The luminaire nearest the point (of the street when one is given), within MAX_POINT_DISTANCE_M. */
function nearest(
  luminaires: readonly Luminaire[],
  point: { lat: number; lon: number },
  street: string | undefined,
): Luminaire | undefined {
  const cosLat = Math.cos((point.lat * Math.PI) / 180);
  let best: Luminaire | undefined;
  let bestM = MAX_POINT_DISTANCE_M;
  for (const luminaire of luminaires) {
    if (street !== undefined && luminaire.street !== street) continue;
    const m = Math.hypot(luminaire.lat - point.lat, (luminaire.lon - point.lon) * cosLat) * METRES_PER_DEGREE;
    if (m <= bestM) {
      best = luminaire;
      bestM = m;
    }
  }
  return best;
}

const unknownPlace = (pointer: string, detail: string) =>
  new ApiProblem('validation-failed', 'the report does not name a luminaire of the network', [
    { pointer, detail },
  ]);

/**
 * `POST /public/fault-reports`: a resident reports a broken light. The report opens a
 * `citizen-report` alarm on the luminaire it names (the pole's number, the one nearest a map point,
 * or the first of a street) that technicians see with the others and close once it is repaired,
 * which erases the e-mail left for follow-up. A luminaire already reported keeps its first report.
 */
export function publicFaultReportRoutes(deps: ApiDeps): Route[] {
  const inventory = publicInventory(deps.luminaires, deps.now);
  async function luminaireOf(report: FaultReport): Promise<Luminaire> {
    if (report.luminaire !== undefined) {
      const [found] = await deps.luminaires.get([report.luminaire]);
      if (found === undefined) {
        throw unknownPlace(
          '/luminaire',
          `no luminaire has the number ${report.luminaire}; check the plate on the pole`,
        );
      }
      return found;
    }
    const all = await inventory.all();
    if (report.point !== undefined) {
      const found = nearest(all, report.point, report.street);
      if (found === undefined)
        throw unknownPlace('/point', `no luminaire within ${MAX_POINT_DISTANCE_M} m of this point`);
      return found;
    }
    const onStreet = all.filter((l) => l.street === report.street).sort((a, b) => a.id.localeCompare(b.id));
    const found = onStreet[0];
    if (found === undefined) throw unknownPlace('/street', `no luminaire on a street named ${report.street}`);
    return found;
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
        const luminaire = await luminaireOf(report);
        const where =
          report.luminaire !== undefined
            ? ''
            : report.point !== undefined
              ? ` [point ${report.point.lat.toFixed(5)}, ${report.point.lon.toFixed(5)}]`
              : ' [pole not identified: street only]';
        const opened = await deps.alarms.open({
          luminaireId: luminaire.id,
          kind: CITIZEN_REPORT,
          zone: luminaire.zone,
          street: luminaire.street,
          openedAt: new Date(deps.now() * 1000).toISOString(),
          detail: `${report.description}${where}`,
          ...(report.email === undefined ? {} : { contactEmail: report.email }),
        });
        return json(202, {
          status: opened === 'opened' ? 'received' : 'already-reported',
          street: luminaire.street,
        });
      },
    },
  ];
}
