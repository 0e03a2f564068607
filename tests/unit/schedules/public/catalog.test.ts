import { describe, expect, it } from 'vitest';
import { dcatCatalog, LICENCE_OUVERTE_2, PUBLIC_DATASETS } from '#schedules/public/catalog.ts';

const catalog = dcatCatalog({
  apiBase: 'https://lumiere.example.fr/api',
  siteName: 'Carcassonne',
  publisher: 'Carcassonne Agglo',
  modified: '2026-11-30',
  datasets: PUBLIC_DATASETS,
}) as {
  '@type': string;
  'dct:publisher': { 'foaf:name': string };
  'dcat:dataset': {
    '@type': string;
    'dct:license': { '@id': string };
    'dcat:distribution': {
      '@type': string;
      'dcat:mediaType': { '@id': string };
      'dcat:accessURL': { '@id': string };
    }[];
  }[];
};

describe('dcatCatalog', () => {
  it('is a dcat:Catalog of every public dataset, published by the site publisher under Licence Ouverte 2.0', () => {
    expect(catalog['@type']).toBe('dcat:Catalog');
    expect(catalog['dct:publisher']['foaf:name']).toBe('Carcassonne Agglo');
    expect(catalog['dcat:dataset']).toHaveLength(PUBLIC_DATASETS.length);
    for (const dataset of catalog['dcat:dataset']) {
      expect(dataset['@type']).toBe('dcat:Dataset');
      expect(dataset['dct:license']['@id']).toBe(LICENCE_OUVERTE_2);
    }
  });

  it('gives every distribution an absolute access URL and an IANA media type', () => {
    const distributions = catalog['dcat:dataset'].flatMap((d) => d['dcat:distribution']);
    expect(distributions.length).toBeGreaterThan(0);
    for (const distribution of distributions) {
      expect(distribution['@type']).toBe('dcat:Distribution');
      expect(distribution['dcat:accessURL']['@id']).toMatch(/^https:\/\/lumiere\.example\.fr\/api\/public\//);
      expect(distribution['dcat:mediaType']['@id']).toMatch(
        /^https:\/\/www\.iana\.org\/assignments\/media-types\/(application\/(geo\+)?json|text\/csv)$/,
      );
    }
  });
});
