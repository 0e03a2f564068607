import { boundsOf } from '#schedules/astro/sun-field.ts';
import { MAX_POINT_DISTANCE_M } from '#schedules/public/fault-report.ts';
import { nearestLuminaires, type Point } from '#schedules/public/nearest.ts';

/** A pole as the public EclExt export gives it: its number (painted on it) and its position. */
export interface Pole extends Point {
  readonly id: string;
}

interface EclExtPoints {
  readonly features: readonly {
    readonly id?: string | number;
    readonly geometry?: { readonly type: string; readonly coordinates?: readonly number[] };
  }[];
}

/** The poles of the EclExt answer, whatever else its features carry. */
export function polesOf(collection: EclExtPoints): Pole[] {
  return collection.features.flatMap((feature) => {
    const [lon, lat] = feature.geometry?.coordinates ?? [];
    return feature.id === undefined || lon === undefined || lat === undefined
      ? []
      : [{ id: String(feature.id), lat, lon }];
  });
}

/**
 * The pole the API will most likely name for a point (the nearest within the distance it accepts),
 * shown to the resident before sending; undefined when none is that close (the API would refuse).
 */
export function nearestPole(
  poles: readonly Pole[],
  point: Point,
): { pole: Pole; metres: number } | undefined {
  const [nearest] = nearestLuminaires(poles, point, 1, MAX_POINT_DISTANCE_M);
  return nearest === undefined ? undefined : { pole: nearest.luminaire, metres: Math.round(nearest.metres) };
}

/** A point as text for the screen reader and the form (5 decimals: about a metre). */
export const pointText = (point: Point): string => `${point.lat.toFixed(5)}, ${point.lon.toFixed(5)}`;

/** The poles' box as MapLibre takes it ([west, south], [east, north]), for the map to open on the network. */
export function polesBounds(poles: readonly Pole[]): [[number, number], [number, number]] | undefined {
  if (poles.length === 0) return undefined;
  const box = boundsOf(poles);
  return [
    [box.minLon, box.minLat],
    [box.maxLon, box.maxLat],
  ];
}
