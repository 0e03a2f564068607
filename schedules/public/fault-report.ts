import { z } from 'zod';
import { LuminaireId, PlaceName } from '../inventory/schema.ts';
import type { Point } from './nearest.ts';

/** The alarm kind a resident's report opens (technicians close it once the light is repaired). */
export const CITIZEN_REPORT = 'citizen-report';

/** Fewer seconds than this between showing the form and sending it is a program, not a person. */
export const MIN_FILL_SECONDS = 3;
export const MAX_DESCRIPTION_CHARS = 1000;

/**
 * Why a report is refused, by reason: the English detail the API names the field with (the form's
 * own check gives the same), which the form shows in the page's language
 * (console/src/pages/public/report-errors.ts). One fixed text per reason, so it maps back.
 */
/**
 * A map point farther than this from every luminaire names none of them. Here rather than beside
 * the distance code: the console's map reads this module (the alarm kind), and must not pull in the
 * sun field with it.
 */
export const MAX_POINT_DISTANCE_M = 300;

export const REFUSALS = {
  noPlace: 'give the number on the pole, a point on the map or the street',
  poleAndPoint: 'give the number on the pole or a point on the map, not both',
  unknownPole: 'no luminaire has this number; check the plate on the pole',
  outsideNetwork: 'this point is outside the network; place it in the town',
  farFromPoles: `no luminaire within ${MAX_POINT_DISTANCE_M} m of this point`,
  unknownStreet: 'no luminaire on a street of this name',
  tooShort: 'describe the fault in a few words',
  tooLong: `at most ${MAX_DESCRIPTION_CHARS} characters`,
  controlCharacters: 'control characters are not text',
  notEmail: 'not an e-mail address',
  tooQuick: 'the form was sent too quickly; check it and send it again',
} as const;
export type Refusal = keyof typeof REFUSALS;

/** Line breaks and tabs are text; other C0 controls and DEL are junk. */
const withoutControlCharacters = (text: string): boolean =>
  [...text].every((c) => {
    const code = c.charCodeAt(0);
    return code === 9 || code === 10 || code === 13 || (code >= 32 && code !== 127);
  });

/**
 * A resident's fault report, shared by `POST /public/fault-reports` and the console's form so both
 * refuse the same things. The pole's number or a point on the map (one of them, not both), or else
 * a street name alone, says where;
 * `website` is a honeypot a person never sees (CSS hides it), `filledInSeconds` how long the form
 * was open.
 */
export const FaultReport = z
  .strictObject({
    luminaire: LuminaireId.trim().optional(),
    position: z
      .strictObject({
        lat: z.number().min(-90, 'latitude must be -90..90').max(90, 'latitude must be -90..90'),
        lon: z.number().min(-180, 'longitude must be -180..180').max(180, 'longitude must be -180..180'),
      })
      .optional(),
    street: PlaceName.trim().optional(),
    description: z
      .string()
      .trim()
      .min(3, REFUSALS.tooShort)
      .max(MAX_DESCRIPTION_CHARS, REFUSALS.tooLong)
      .refine(withoutControlCharacters, REFUSALS.controlCharacters),
    email: z.email(REFUSALS.notEmail).max(254).optional(),
    website: z.string().max(200).optional(),
    filledInSeconds: z.number().int().min(MIN_FILL_SECONDS, REFUSALS.tooQuick).max(86_400),
  })
  .refine((r) => r.luminaire !== undefined || r.position !== undefined || r.street !== undefined, {
    message: REFUSALS.noPlace,
    path: ['luminaire'],
  })
  .refine((r) => r.luminaire === undefined || r.position === undefined, {
    message: REFUSALS.poleAndPoint,
    path: ['position'],
  });
export type FaultReport = z.infer<typeof FaultReport>;

/** A honeypot filled in: answered like any report, so the robot learns nothing, and not stored. */
export const isRobot = (report: FaultReport): boolean => (report.website ?? '') !== '';

/** A legacy report's suffix: ` [point lat, lon]`, later with `; nearest: L-1 (12 m), ...`. */
const LEGACY_POINT = /\s\[point (-?\d+(?:\.\d+)?), (-?\d+(?:\.\d+)?)(?:; nearest: ([^\]]*))?\]$/;
const DISTANCE = / \(\d+ m\)$/;

/**
 * Reports made before 30 November 2026 kept the resident's map point in the alarm's text (with the
 * nearest poles' distances, which give it back too); reports now keep it apart (`reporterPoint`,
 * erased when the alarm is closed) and name the nearest poles without distances. The text as a
 * report now writes it, and the point it held; a text of the current form comes back unchanged.
 */
export function movedLegacyPoint(detail: string): { detail: string; point?: Point } {
  const match = LEGACY_POINT.exec(detail);
  if (match === null) return { detail };
  const [suffix, lat, lon, nearest] = match;
  const poles = nearest?.split(', ').map((pole) => pole.replace(DISTANCE, ''));
  return {
    detail: `${detail.slice(0, -suffix.length)} [map point${poles === undefined ? '' : `; nearest: ${poles.join(', ')}`}]`,
    point: { lat: Number(lat), lon: Number(lon) },
  };
}
