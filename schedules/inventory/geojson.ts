import { z } from 'zod';
import { jsonPath, type Parsed, type Problem } from '../problem.ts';
import { CABINET_KIND, luminaireKind } from './kinds.ts';
import { type LocatedRecord, type RecordKind, validateRecords } from './records.ts';
import type { Cabinet, Luminaire } from './schema.ts';

/** Fields given as text that GIS tools may write as numbers (an id, a meter number). */
const TEXT_READ_FROM_NUMBER: ReadonlySet<string> = new Set(['id', 'deliveryPointId']);

const FeatureCollection = z.looseObject({
  type: z.literal('FeatureCollection', { error: 'expected "FeatureCollection"' }),
  features: z.array(z.unknown(), { error: 'expected an array of features' }),
});

/** The geometry type is checked first, so a LineString is reported as such and not as bad coordinates. */
const PointGeometry = z
  .looseObject(
    {
      type: z.literal('Point', {
        error: (issue) => `expected a Point geometry, got ${JSON.stringify(issue.input) ?? 'nothing'}`,
      }),
    },
    { error: 'expected a Point geometry' },
  )
  .pipe(
    z.looseObject({
      type: z.literal('Point'),
      /** [longitude, latitude] or [longitude, latitude, altitude] (RFC 7946 §3.1.1); the luminaire schema checks the numbers. */
      coordinates: z
        .array(z.unknown(), { error: 'expected [longitude, latitude]' })
        .min(2, 'expected [longitude, latitude]')
        .max(3, 'expected [longitude, latitude] or [longitude, latitude, altitude]'),
    }),
  );

const Feature = z.looseObject(
  {
    type: z.literal('Feature', { error: 'expected "Feature"' }),
    geometry: z.unknown(),
    properties: z.record(z.string(), z.unknown(), { error: 'expected an object of properties' }),
  },
  { error: 'expected a Feature object' },
);

/**
 * Parses a GeoJSON inventory (RFC 7946): a FeatureCollection of Point features at [lon, lat] whose
 * properties are `id`, `street`, `zone`, `ledWatts`, `baselineWatts` and optionally `minLevel`,
 * `thingName`, `cabinet` and `controller`. A null property counts as absent (GIS tools export empty
 * attributes as null) and a numeric id is read as text. Problems name the feature and the property,
 * as a JSON path. `cabinets`: the ids of the cabinets a luminaire may name (none by default).
 */
export function parseGeoJsonInventory(
  text: string,
  source: string,
  cabinets: ReadonlySet<string> = new Set(),
): Parsed<Luminaire[]> {
  return parseGeoJsonRecords(text, source, luminaireKind(cabinets));
}

/** Parses cabinets as Point features, read as parseGeoJsonInventory reads luminaires. */
export function parseGeoJsonCabinets(text: string, source: string): Parsed<Cabinet[]> {
  return parseGeoJsonRecords(text, source, CABINET_KIND);
}

function parseGeoJsonRecords<F extends string, T extends { readonly id: string }>(
  text: string,
  source: string,
  kind: RecordKind<F, T>,
): Parsed<T[]> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problems: [{ source, path: '', message: `not valid JSON: ${(error as Error).message}` }],
    };
  }
  const collection = FeatureCollection.safeParse(document);
  if (!collection.success) return { ok: false, problems: zodProblems(collection.error, source, []) };
  const records = collection.data.features.map((raw, index) => readFeature(raw, index, source, kind));
  return validateRecords(records, source, kind);
}

function readFeature<F extends string>(
  raw: unknown,
  index: number,
  source: string,
  kind: Pick<RecordKind<F, { id: string }>, 'fields' | 'columns'>,
): LocatedRecord<F> {
  const at = `features[${index}]`;
  const fieldPath = (field: F) => featureFieldPath(at, field);
  const feature = Feature.safeParse(raw);
  if (!feature.success) {
    return { at, fieldPath, fields: null, problems: zodProblems(feature.error, source, ['features', index]) };
  }
  const problems: Problem[] = [];
  const fields: Partial<Record<string, unknown>> = {};
  const geometry = PointGeometry.safeParse(feature.data.geometry);
  if (geometry.success) {
    fields.lon = geometry.data.coordinates[0];
    fields.lat = geometry.data.coordinates[1];
  } else problems.push(...zodProblems(geometry.error, source, ['features', index, 'geometry']));
  const properties: readonly string[] = kind.fields.filter((field) => field !== 'lat' && field !== 'lon');
  for (const [name, value] of Object.entries(feature.data.properties)) {
    if (value === null) continue;
    if (!properties.includes(name)) {
      const message = `unknown property (known: ${properties.join(', ')})`;
      problems.push({ source, path: `${at}.properties.${name}`, message });
      continue;
    }
    fields[name] = TEXT_READ_FROM_NUMBER.has(name) && typeof value === 'number' ? String(value) : value;
  }
  const reported = new Set((geometry.success ? [] : ['lat', 'lon']) as F[]);
  return { at, fieldPath, fields: fields as Partial<Record<F, unknown>>, problems, reported };
}

function featureFieldPath(at: string, field: string): string {
  if (field === 'lon') return `${at}.geometry.coordinates[0] (longitude)`;
  if (field === 'lat') return `${at}.geometry.coordinates[1] (latitude)`;
  return `${at}.properties.${field}`;
}

function zodProblems(error: z.ZodError, source: string, prefix: PropertyKey[]): Problem[] {
  return error.issues.map((issue) => ({
    source,
    path: jsonPath([...prefix, ...issue.path]),
    message: issue.message,
  }));
}

/** A FeatureCollection the GeoJSON import reads back unchanged (open data export, cabinets too). */
export function toGeoJson<T extends { readonly lat: number; readonly lon: number }>(
  records: readonly T[],
): {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    geometry: { type: 'Point'; coordinates: [number, number] };
    properties: Omit<T, 'lat' | 'lon'>;
  }[];
} {
  return {
    type: 'FeatureCollection',
    features: records.map(({ lat, lon, ...properties }) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties,
    })),
  };
}
