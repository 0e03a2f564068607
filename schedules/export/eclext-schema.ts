import { z } from 'zod';

/**
 * What our EclExt export promises, as a schema: the attributes of the CNIG geostandard for outdoor
 * lighting (EclExt 1.1, 29 November 2022) that it writes. The specification itself is a PDF on
 * cnig.gouv.fr; the names and code lists here come from summaries of it (docs/open-data.md says
 * which could not be confirmed against the PDF). A mandatory attribute whose value the inventory
 * does not hold is null and named in the dataset's `donneesManquantes`, never guessed.
 */

/** A time in the standard's notation: local time (HL) to the minute, e.g. `21:36HL`. */
export const EclExtTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\dHL$/, 'expected a local time "HH:MMHL"');

export const PlageVariation = z.strictObject({
  nomPlage: z.string().min(1),
  /** EX extinction, F flux (the only two our plans make). */
  grandeurVariation: z.enum(['EX', 'F']),
  heureDebut: EclExtTime,
  heureFin: EclExtTime,
  formatVariation: z.literal('%'),
  /** % of the rated flux; 0 for an extinction. */
  valeur: z.number().int().min(0).max(100),
});
export type PlageVariation = z.infer<typeof PlageVariation>;

/** The standard's `usage` codes for the order's categories we can map without a sub-category. */
export const ECLEXT_USAGES = ['A', 'C', 'D', 'E', 'F', 'G'] as const;

export const PointLumineuxProperties = z.strictObject({
  // Mandatory attributes of the standard (null: not held by the inventory, named in the metadata).
  statut: z.literal('functional'),
  eclairagePublic: z.boolean(),
  usage: z.enum(ECLEXT_USAGES).nullable(),
  typeSource: z.literal('LED'),
  structure: z.null(),
  support: z.null(),
  temperatureCouleur: z.number().int().min(1000).max(10_000).nullable(),
  puissance: z.number().positive().max(1000),
  valideDe: z.iso.date().nullable(),
  extinctionNuit: z.boolean(),
  estAdaptatif: z.null(),
  // Optional attributes, written when the inventory holds them.
  fluxLuminaire: z.number().positive().optional(),
  /** Ratio 0-1 as installed. */
  ulrInstalle: z.number().min(0).max(1).optional(),
  datePremiereInstallation: z.iso.date().optional(),
  // The night profile the plan gives this luminaire (ProfilNocturne and its PlageVariation), flat on the point.
  profilNocturne: z.string().min(1).nullable(),
  allumageSoir: EclExtTime.nullable(),
  extinctionMatin: EclExtTime.nullable(),
  plagesVariation: z.array(PlageVariation),
});
export type PointLumineuxProperties = z.infer<typeof PointLumineuxProperties>;

export const PointLumineux = z.strictObject({
  type: z.literal('Feature'),
  /** The luminaire's id in the inventory. */
  id: z.string().min(1),
  geometry: z.strictObject({
    type: z.literal('Point'),
    coordinates: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]),
  }),
  properties: PointLumineuxProperties,
});
export type PointLumineux = z.infer<typeof PointLumineux>;

export const MissingAttribute = z.strictObject({
  attribut: z.string().min(1),
  obligatoire: z.boolean(),
  /** How many points lack it. */
  nombre: z.number().int().min(1),
  /** The first of them, by inventory order. */
  exemples: z.array(z.string()).max(20),
  raison: z.string().min(1),
});
export type MissingAttribute = z.infer<typeof MissingAttribute>;

export const EclExtMetadata = z.strictObject({
  standard: z.literal('CNIG EclExt 1.1'),
  producteur: z.string().min(1),
  /** ISO 8601 instant the data was extracted. */
  dateExtraction: z.iso.datetime({ offset: true }),
  licence: z.literal('Licence Ouverte / Open Licence version 2.0'),
  licenceUrl: z.literal('https://www.etalab.gouv.fr/licence-ouverte-open-licence/'),
  /** The night whose plan gives the profiles, and the zone its local times (HL) are in. */
  nuit: z.iso.date(),
  fuseauHoraire: z.string().min(1),
  donneesManquantes: z.array(MissingAttribute),
});
export type EclExtMetadata = z.infer<typeof EclExtMetadata>;

export const EclExtCollection = z.strictObject({
  type: z.literal('FeatureCollection'),
  metadata: EclExtMetadata,
  features: z.array(PointLumineux),
});
export type EclExtCollection = z.infer<typeof EclExtCollection>;
