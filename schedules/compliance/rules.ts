import type { LocalDate } from '../config/schema.ts';
import { USAGES, type Usage } from '../inventory/schema.ts';

/**
 * The rules of the light-nuisance order (arrêté du 27 décembre 2018, amended 29 May and
 * 24 December 2019) that can be checked from the inventory, the zones' facts and a night's plan.
 * Kept as data, each with its article and how sure we are of its wording: `verified` rules were
 * read in a quotation of the order's text; the others follow secondary summaries and are marked
 * "to verify" wherever they are shown.
 */
interface RuleBase {
  readonly id: string;
  /** Where the order says it. */
  readonly article: string;
  /** The categories of installations (art. 1) the rule applies to. */
  readonly usages: readonly Usage[];
  /** One line, English: what the order asks. */
  readonly summary: string;
  readonly verified: boolean;
}

/** A limit on a luminaire's own data, for installations put in service from `installedFrom` on. */
export interface ColourTemperatureRule extends RuleBase {
  readonly kind: 'max-colour-temperature';
  readonly maxK: number;
  readonly installedFrom: LocalDate;
}

export interface UpwardLightRule extends RuleBase {
  readonly kind: 'max-upward-light';
  /** The ratio as installed must stay below this, in %. */
  readonly belowPercent: number;
  /** Installations put in service from this date (new installations), or every one when absent. */
  readonly installedFrom?: LocalDate;
  /** Nights from this date on (a deadline for existing installations), or always when absent. */
  readonly nightsFrom?: LocalDate;
}

/** Switched on no earlier than sunset. */
export interface OnAfterSunsetRule extends RuleBase {
  readonly kind: 'on-after-sunset';
}

/** Off at a wall-clock time at the latest, or a delay after the site closes when its zone says when. */
export interface OffByRule extends RuleBase {
  readonly kind: 'off-by';
  /** "HH:MM", local time; null: only the closing time sets the deadline. */
  readonly latest: string | null;
  readonly minutesAfterClosing: number;
}

/** Installed flux per lit surface: needs a surface the inventory does not hold. */
export interface FluxDensityRule extends RuleBase {
  readonly kind: 'flux-density';
  /** lm/m², below which, per category, in and outside built-up areas. */
  readonly limits: Partial<Record<Usage, { readonly inBuiltUpArea: number; readonly outside: number }>>;
}

export type ComplianceRule =
  | ColourTemperatureRule
  | UpwardLightRule
  | OnAfterSunsetRule
  | OffByRule
  | FluxDensityRule;

/** When the order's technical prescriptions (art. 3) apply to new installations. */
const NEW_INSTALLATIONS_FROM = '2020-01-01';

export const COMPLIANCE_RULES: readonly ComplianceRule[] = [
  {
    id: 'colour-temperature',
    kind: 'max-colour-temperature',
    article: 'art. 3 II 3°',
    usages: ['a', 'd', 'e'],
    summary:
      'colour temperature at most 3000 K, in and outside built-up areas, for road (a), non-residential building (d) and car park (e) lighting installed since 2020',
    verified: true,
    maxK: 3000,
    installedFrom: NEW_INSTALLATIONS_FROM,
  },
  {
    id: 'upward-light-installed',
    kind: 'max-upward-light',
    article: 'art. 3',
    usages: ['a', 'e'],
    summary:
      'upward light ratio as installed below 4 % for road (a) and car park (e) lighting installed since 2020',
    verified: false,
    belowPercent: 4,
    installedFrom: NEW_INSTALLATIONS_FROM,
  },
  {
    id: 'upward-light-half',
    kind: 'max-upward-light',
    article: 'art. 3',
    usages: USAGES,
    summary:
      'luminaires sending more than half of their flux upwards ("boules") replaced by 1 January 2025 (heritage ones had until 31 December 2023)',
    verified: false,
    belowPercent: 50,
    nightsFrom: '2025-01-01',
  },
  {
    id: 'on-after-sunset',
    kind: 'on-after-sunset',
    article: 'art. 2',
    usages: ['b', 'd', 'e'],
    summary:
      'heritage, parks and gardens (b), non-residential buildings (d) and car parks (e) switched on no earlier than sunset',
    verified: true,
    // The wording for d (illumination of buildings) and e was read in summaries quoting the text.
  },
  {
    id: 'heritage-off-by',
    kind: 'off-by',
    article: 'art. 2',
    usages: ['b'],
    summary:
      'heritage, parks and gardens (b) off at 01:00 at the latest or, for parks and gardens, one hour after they close',
    verified: true,
    latest: '01:00',
    minutesAfterClosing: 60,
  },
  {
    id: 'car-park-off',
    kind: 'off-by',
    article: 'art. 2',
    usages: ['e'],
    summary: 'car parks (e) of an activity area off two hours after the activity ends',
    verified: true,
    latest: null,
    minutesAfterClosing: 120,
  },
  {
    id: 'flux-density',
    kind: 'flux-density',
    article: 'art. 3',
    usages: ['a', 'e'],
    summary:
      'installed flux per lit surface below 35 lm/m² in built-up areas and 25 outside for roads (a), 25 and 20 for car parks (e)',
    verified: false,
    limits: { a: { inBuiltUpArea: 35, outside: 25 }, e: { inBuiltUpArea: 25, outside: 20 } },
  },
];

export type RuleId = (typeof COMPLIANCE_RULES)[number]['id'];
