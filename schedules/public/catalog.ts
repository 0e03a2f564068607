import type { LocalDate } from '../config/schema.ts';

/** Licence Ouverte / Open Licence 2.0 (Etalab), the French public-sector open licence. */
export const LICENCE_OUVERTE_2 = 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/';

const EU = 'http://publications.europa.eu/resource/authority';
const IANA = 'https://www.iana.org/assignments/media-types';

export interface PublicDistribution {
  /** Path under the API base: `/public/schedules?format=csv`. */
  readonly path: string;
  readonly mediaType: 'application/json' | 'text/csv' | 'application/geo+json';
  readonly title: string;
}

export interface PublicDataset {
  readonly id: string;
  readonly title: { readonly fr: string; readonly en: string };
  readonly description: { readonly fr: string; readonly en: string };
  readonly keywords: readonly string[];
  readonly distributions: readonly PublicDistribution[];
}

export interface CatalogInput {
  /** Absolute base URL of the API (`https://lumiere.example.fr/api`): DCAT identifiers are IRIs. */
  readonly apiBase: string;
  readonly siteName: string;
  readonly publisher: string;
  readonly publisherUrl?: string | undefined;
  /** The date the answer was made: the datasets are recomputed from the live configuration. */
  readonly modified: LocalDate;
  readonly datasets: readonly PublicDataset[];
}

const FILE_TYPES: Record<PublicDistribution['mediaType'], string> = {
  'application/json': 'JSON',
  'text/csv': 'CSV',
  'application/geo+json': 'GEOJSON',
};

const CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};

const texts = (value: { readonly fr: string; readonly en: string }) => [
  { '@language': 'fr', '@value': value.fr },
  { '@language': 'en', '@value': value.en },
];

/**
 * A DCAT-AP 2 catalogue in JSON-LD of the public datasets, for a regional platform (Occitanie Data,
 * data.gouv.fr) to harvest: a dcat:Catalog, a dcat:Dataset per dataset and a dcat:Distribution per
 * format with its IANA media type and EU file type, all under Licence Ouverte 2.0.
 */
export function dcatCatalog(input: CatalogInput): Record<string, unknown> {
  const publisher = {
    '@id': input.publisherUrl ?? `${input.apiBase}/public/catalog.jsonld#publisher`,
    '@type': 'foaf:Agent',
    'foaf:name': input.publisher,
  };
  const licence = { '@id': LICENCE_OUVERTE_2 };
  const modified = { '@type': 'xsd:date', '@value': input.modified };
  return {
    '@context': CONTEXT,
    '@id': `${input.apiBase}/public/catalog.jsonld`,
    '@type': 'dcat:Catalog',
    'dct:title': texts({
      fr: `Éclairage public de ${input.siteName} : données ouvertes`,
      en: `${input.siteName} public lighting: open data`,
    }),
    'dct:description': texts({
      fr: "Horaires d'éclairage par rue, heures d'éclairage et énergie, inventaire au format EclExt.",
      en: 'Lighting times by street, lit hours and energy, the inventory in the EclExt format.',
    }),
    'dct:publisher': publisher,
    'dct:license': licence,
    'dct:language': { '@id': `${EU}/language/FRA` },
    'dct:modified': modified,
    'foaf:homepage': { '@id': `${input.apiBase.replace(/\/api$/, '')}/#/public` },
    'dcat:dataset': input.datasets.map((dataset) => ({
      '@id': `${input.apiBase}/public/catalog.jsonld#${dataset.id}`,
      '@type': 'dcat:Dataset',
      'dct:identifier': dataset.id,
      'dct:title': texts(dataset.title),
      'dct:description': texts(dataset.description),
      'dcat:keyword': dataset.keywords,
      'dct:publisher': publisher,
      'dct:license': licence,
      'dct:modified': modified,
      'dct:spatial': input.siteName,
      'dct:accrualPeriodicity': { '@id': `${EU}/frequency/DAILY` },
      'dcat:distribution': dataset.distributions.map((distribution) => ({
        '@type': 'dcat:Distribution',
        'dct:title': distribution.title,
        'dcat:accessURL': { '@id': `${input.apiBase}${distribution.path}` },
        'dcat:downloadURL': { '@id': `${input.apiBase}${distribution.path}` },
        'dcat:mediaType': { '@id': `${IANA}/${distribution.mediaType}` },
        'dct:format': { '@id': `${EU}/file-type/${FILE_TYPES[distribution.mediaType]}` },
        'dct:license': licence,
      })),
    })),
  };
}

/** The formats a public route answers in, as a distribution of its dataset. */
const FORMATS = {
  json: { query: '', mediaType: 'application/json', title: 'JSON' },
  csv: { query: '?format=csv', mediaType: 'text/csv', title: 'CSV (séparateur ;)' },
  'csv-rfc4180': { query: '?format=csv&csv=rfc4180', mediaType: 'text/csv', title: 'CSV (RFC 4180)' },
  eclext: { query: '', mediaType: 'application/geo+json', title: 'GeoJSON (EclExt 1.1)' },
} as const satisfies Record<string, { query: string } & Omit<PublicDistribution, 'path'>>;

/** A dataset of one public route, with a distribution per format the route answers in. */
const dataset = (
  entry: Omit<PublicDataset, 'distributions'> & {
    readonly path: string;
    readonly formats: readonly (keyof typeof FORMATS)[];
  },
): PublicDataset => ({
  id: entry.id,
  title: entry.title,
  description: entry.description,
  keywords: entry.keywords,
  distributions: entry.formats.map((format) => {
    const { query, ...distribution } = FORMATS[format];
    return { path: `${entry.path}${query}`, ...distribution };
  }),
});

/** The datasets the public routes publish. */
export const PUBLIC_DATASETS: readonly PublicDataset[] = [
  dataset({
    id: 'schedules',
    title: { fr: "Horaires d'éclairage par rue", en: 'Lighting times by street' },
    description: {
      fr: 'Pour une nuit : allumage, extinction, coupures en milieu de nuit et la règle du calendrier qui les fixe, rue par rue.',
      en: 'For one night: switch-on, switch-off, mid-night extinctions and the calendar rule behind them, street by street.',
    },
    keywords: ['éclairage public', 'extinction nocturne', 'horaires'],
    path: '/public/schedules',
    formats: ['json', 'csv', 'csv-rfc4180'],
  }),
  dataset({
    id: 'eclext',
    title: { fr: 'Points lumineux (EclExt 1.1)', en: 'Light points (EclExt 1.1)' },
    description: {
      fr: 'Un point par luminaire au géostandard CNIG EclExt 1.1, avec son profil de la nuit (allumage, extinction, plages de variation).',
      en: 'One point per luminaire in the CNIG EclExt 1.1 geostandard, with its night profile (switch-on, switch-off, variation ranges).',
    },
    keywords: ['éclairage public', 'EclExt', 'géostandard CNIG'],
    path: '/public/eclext.geojson',
    formats: ['eclext'],
  }),
  dataset({
    id: 'lit-hours',
    title: { fr: "Heures d'éclairage et énergie", en: 'Lit hours and energy' },
    description: {
      fr: "Heures d'éclairage et énergie mesurée des nuits complètes, par quartier ou par rue, sur une période (paramètres from et to).",
      en: 'Lit hours and metered energy of complete nights, by zone or street, over a period (from and to parameters).',
    },
    keywords: ['éclairage public', 'énergie', 'sobriété énergétique'],
    path: '/public/lit-hours',
    formats: ['json', 'csv'],
  }),
];
