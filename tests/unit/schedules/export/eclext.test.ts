import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toEclExt } from '#schedules/export/eclext.ts';
import { EclExtCollection } from '#schedules/export/eclext-schema.ts';
import type { Luminaire } from '#schedules/index.ts';
import { NO_CIRCUITS, planNight } from '#schedules/plan/plan-night.ts';
import { config, luminaire } from '#tests/support/schedules/fixtures.ts';
import { inventory } from '../inventory/arbitraries.ts';

const NIGHT = '2026-06-21';
const DATASET = { producer: 'Carcassonne Agglo', extractedAt: '2026-06-22T08:00:00+02:00' };

const exportOf = (luminaires: readonly Luminaire[]) =>
  toEclExt(luminaires, planNight(config(), luminaires, NIGHT, NO_CIRCUITS), DATASET);

describe('toEclExt', () => {
  it('gives a collection the schema of the attributes it promises accepts, for any valid inventory', () => {
    fc.assert(
      fc.property(inventory, (luminaires) => {
        const exported = exportOf(luminaires);
        expect(EclExtCollection.safeParse(exported).error).toBeUndefined();
        expect(exported.features.map((f) => f.id)).toEqual(luminaires.map((l) => l.id));
      }),
      { numRuns: 30 },
    );
  });

  it("maps a luminaire's lamp data to the standard's attributes, at [lon, lat]", () => {
    const lamp = luminaire({
      usage: 'a',
      colourTemperatureK: 2700,
      fluxLm: 3600,
      upwardLightRatioPercent: 0.5,
      installedOn: '2021-10-04',
      ledWatts: 36,
    });
    const [point] = exportOf([lamp]).features;
    expect(point?.geometry.coordinates).toEqual([lamp.lon, lamp.lat]);
    expect(point?.properties).toMatchObject({
      statut: 'functional',
      eclairagePublic: true,
      usage: 'A',
      typeSource: 'LED',
      temperatureCouleur: 2700,
      puissance: 36,
      valideDe: '2021-10-04',
      fluxLuminaire: 3600,
      ulrInstalle: 0.005,
      datePremiereInstallation: '2021-10-04',
    });
  });

  it('writes the night profile in local times: switch-on, switch-off, a range per stretch below full flux', () => {
    const [point] = exportOf([luminaire()]).features;
    // The fixture's residential profile: sunset+10 at 100 %, 70 % from 22:30, off 00:30-05:00, 70 % to sunrise-10.
    expect(point?.properties).toMatchObject({
      profilNocturne: 'residential',
      allumageSoir: expect.stringMatching(/^21:4\dHL$/),
      extinctionMatin: expect.stringMatching(/^06:0\dHL$/),
      extinctionNuit: true,
    });
    expect(point?.properties.plagesVariation.map(({ nomPlage, ...range }) => range)).toEqual([
      {
        grandeurVariation: 'F',
        heureDebut: '22:30HL',
        heureFin: '00:30HL',
        formatVariation: '%',
        valeur: 70,
      },
      {
        grandeurVariation: 'EX',
        heureDebut: '00:30HL',
        heureFin: '05:00HL',
        formatVariation: '%',
        valeur: 0,
      },
      {
        grandeurVariation: 'F',
        heureDebut: '05:00HL',
        heureFin: point?.properties.extinctionMatin,
        formatVariation: '%',
        valeur: 70,
      },
    ]);
  });

  it('names every mandatory attribute the inventory lacks, with how many points lack it, instead of guessing', () => {
    const luminaires = [
      luminaire({ usage: 'b', colourTemperatureK: 3000 }),
      luminaire(),
      luminaire({ usage: 'a' }),
    ];
    const exported = exportOf(luminaires);
    expect(exported.features.map((f) => f.properties.usage)).toEqual([null, null, 'A']);
    expect(exported.features[1]?.properties.temperatureCouleur).toBeNull();
    const missing = Object.fromEntries(
      exported.metadata.donneesManquantes.map((m) => [`${m.attribut}: ${m.raison}`, m.nombre]),
    );
    expect(missing).toMatchObject({
      'usage: category b needs its EclExt sub-category (B1-B4), not in the inventory': 1,
      'usage: the category of the order is not in the inventory': 1,
      'temperatureCouleur: colourTemperatureK is not in the inventory': 2,
      'valideDe: installedOn is not in the inventory': 3,
      'structure: the kind of luminaire (lantern, projector, …) is not in the inventory': 3,
    });
  });

  it('states the dataset: standard, producer, extraction date, Licence Ouverte, night and time zone', () => {
    expect(exportOf([luminaire()]).metadata).toMatchObject({
      standard: 'CNIG EclExt 1.1',
      producteur: 'Carcassonne Agglo',
      dateExtraction: '2026-06-22T08:00:00+02:00',
      licence: 'Licence Ouverte / Open Licence version 2.0',
      nuit: NIGHT,
      fuseauHoraire: 'Europe/Paris',
    });
  });
});
