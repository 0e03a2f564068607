import type { Luminaire, Usage } from '../inventory/schema.ts';
import type { LuminairePlan, NightPlan } from '../plan/types.ts';
import { ZoneClock } from '../time/zone-clock.ts';
import type {
  EclExtCollection,
  MissingAttribute,
  PlageVariation,
  PointLumineux,
  PointLumineuxProperties,
} from './eclext-schema.ts';

export interface EclExtDataset {
  /** Who publishes the data (the network's owner). */
  readonly producer: string;
  /** When the data was extracted: ISO 8601 with offset. */
  readonly extractedAt: string;
}

/** The order's categories as the standard codes them; b has sub-categories (B1-B4) we do not hold. */
const ECLEXT_USAGE: Record<Usage, PointLumineuxProperties['usage']> = {
  a: 'A',
  b: null,
  c: 'C',
  d: 'D',
  e: 'E',
  f: 'F',
  g: 'G',
};

/** Ids listed per missing attribute; the count says how many there are in all. */
const EXAMPLES = 20;

/** The level a luminaire is planned at when not varied: the standard's ranges describe the others. */
const FULL = 100;

const hl = (clock: ZoneClock, at: number): string => `${clock.format(at).slice(11, 16)}HL`;

/**
 * The inventory in the national geostandard for outdoor lighting (CNIG EclExt 1.1): one point per
 * luminaire with the standard's mandatory attributes, its night profile for the plan's night
 * (switch-on, switch-off, and a variation range for every stretch below full flux, in local
 * times `HH:MMHL` to the minute), and the dataset's metadata (extraction date, producer, Licence
 * Ouverte 2.0). A mandatory attribute the inventory does not hold is null and named, with the
 * count of points lacking it, in `metadata.donneesManquantes`: never guessed.
 */
export function toEclExt(
  luminaires: readonly Luminaire[],
  plan: NightPlan,
  dataset: EclExtDataset,
): EclExtCollection {
  const clock = ZoneClock.of(plan.timezone);
  const plans = new Map(plan.luminaires.map((p) => [p.id, p]));
  const missing = new Map<string, MissingAttribute>();
  const note = (attribut: string, obligatoire: boolean, raison: string, id: string) => {
    const key = `${attribut}\n${raison}`;
    const entry = missing.get(key);
    if (entry === undefined) missing.set(key, { attribut, obligatoire, nombre: 1, exemples: [id], raison });
    else {
      missing.set(key, {
        ...entry,
        nombre: entry.nombre + 1,
        exemples: entry.exemples.length < EXAMPLES ? [...entry.exemples, id] : entry.exemples,
      });
    }
  };
  const features = luminaires.map((luminaire): PointLumineux => {
    const { id } = luminaire;
    const night = plans.get(id);
    if (luminaire.usage === undefined)
      note('usage', true, 'the category of the order is not in the inventory', id);
    else if (ECLEXT_USAGE[luminaire.usage] === null) {
      note(
        'usage',
        true,
        `category ${luminaire.usage} needs its EclExt sub-category (B1-B4), not in the inventory`,
        id,
      );
    }
    note('structure', true, 'the kind of luminaire (lantern, projector, …) is not in the inventory', id);
    note('support', true, 'the support (mast, wall, …) is not in the inventory', id);
    if (luminaire.colourTemperatureK === undefined) {
      note('temperatureCouleur', true, 'colourTemperatureK is not in the inventory', id);
    }
    if (luminaire.installedOn === undefined)
      note('valideDe', true, 'installedOn is not in the inventory', id);
    note('estAdaptatif', true, 'which luminaires presence detection drives is not in the inventory', id);
    if (night === undefined) note('profilNocturne', false, `no plan for the night of ${plan.night}`, id);
    return {
      type: 'Feature',
      id,
      geometry: { type: 'Point', coordinates: [luminaire.lon, luminaire.lat] },
      properties: {
        statut: 'functional',
        eclairagePublic: true,
        usage: luminaire.usage === undefined ? null : ECLEXT_USAGE[luminaire.usage],
        typeSource: 'LED',
        structure: null,
        support: null,
        temperatureCouleur: luminaire.colourTemperatureK ?? null,
        puissance: luminaire.ledWatts,
        valideDe: luminaire.installedOn ?? null,
        extinctionNuit: night === undefined ? false : hasExtinction(night),
        estAdaptatif: null,
        ...(luminaire.fluxLm === undefined ? {} : { fluxLuminaire: luminaire.fluxLm }),
        ...(luminaire.upwardLightRatioPercent === undefined
          ? {}
          : { ulrInstalle: luminaire.upwardLightRatioPercent / 100 }),
        ...(luminaire.installedOn === undefined ? {} : { datePremiereInstallation: luminaire.installedOn }),
        ...nightProfile(night, clock),
      },
    };
  });
  return {
    type: 'FeatureCollection',
    metadata: {
      standard: 'CNIG EclExt 1.1',
      producteur: dataset.producer,
      dateExtraction: dataset.extractedAt,
      licence: 'Licence Ouverte / Open Licence version 2.0',
      licenceUrl: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
      nuit: plan.night,
      fuseauHoraire: plan.timezone,
      donneesManquantes: [...missing.values()],
    },
    features,
  };
}

/** Off (level 0) at some time between switch-on and switch-off, or not lit at all that night. */
function hasExtinction(night: LuminairePlan): boolean {
  if (night.on === null) return true;
  return night.transitions.slice(0, -1).some((t) => t.level === 0);
}

function nightProfile(
  night: LuminairePlan | undefined,
  clock: ZoneClock,
): Pick<PointLumineuxProperties, 'profilNocturne' | 'allumageSoir' | 'extinctionMatin' | 'plagesVariation'> {
  if (night === undefined || night.on === null || night.off === null) {
    return {
      profilNocturne: night?.profile ?? null,
      allumageSoir: null,
      extinctionMatin: null,
      plagesVariation: [],
    };
  }
  const plages: PlageVariation[] = [];
  const { transitions } = night;
  for (let i = 0; i < transitions.length - 1; i++) {
    const from = transitions[i];
    const to = transitions[i + 1];
    if (from === undefined || to === undefined || from.level === FULL) continue;
    plages.push({
      nomPlage: `${night.profile ?? 'plan'}-${plages.length + 1}`,
      grandeurVariation: from.level === 0 ? 'EX' : 'F',
      heureDebut: hl(clock, from.at),
      heureFin: hl(clock, to.at),
      formatVariation: '%',
      valeur: from.level,
    });
  }
  return {
    profilNocturne: night.profile,
    allumageSoir: hl(clock, night.on),
    extinctionMatin: hl(clock, night.off),
    plagesVariation: plages,
  };
}
