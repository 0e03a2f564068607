/**
 * The standardised CEE operation sheets the estimate uses, as dated data with their reference.
 * Figures from the project's notes on France (docs france.md), which quote them and ask to verify
 * the sheet version in force and its eligibility conditions: `toVerify` says what was not checked
 * against the sheet's text.
 */
export interface CeeSheet {
  readonly ref: 'RES-EC-104' | 'RES-EC-103';
  readonly title: string;
  /** The date from which these figures are used here; the sheet's own version is to verify. */
  readonly since: string;
  readonly toVerify: readonly string[];
}

export const RES_EC_104 = {
  ref: 'RES-EC-104',
  title: "Rénovation d'éclairage extérieur",
  since: '2024-01-01',
  /** Quoted as "about 9,300 kWh cumac per luminaire installed" (à vérifier). */
  kwhCumacPerLuminaire: 9300,
  toVerify: [
    'the exact kWh cumac per luminaire of the version in force (9,300 is an approximate quote)',
    "the sheet's technical conditions (luminous efficacy, upward light ratio): not encoded, only the data they need is required",
    'restricted since 2024 to the public lighting of the State and local authorities: assumed true for the site',
  ],
} as const satisfies CeeSheet & { kwhCumacPerLuminaire: number };

export const RES_EC_103 = {
  ref: 'RES-EC-103',
  title: 'Système de variation de puissance en éclairage extérieur',
  since: '2024-01-01',
  /** kWh cumac = 8 × installed regulated power in W (conventional life 12 years, 4 %/year discount). */
  kwhCumacPerRegulatedWatt: 8,
  lifeYears: 12,
  toVerify: [
    'the coefficient 8 and the 12-year life of the version in force',
    'whether a luminaire counted under RES-EC-104 may also count its dimming under RES-EC-103',
  ],
} as const satisfies CeeSheet & { kwhCumacPerRegulatedWatt: number; lifeYears: number };
