import type { SavingsFigures } from '#schedules/report/savings.ts';

/**
 * The report's figures in presentation order, with their label, unit and rounding: one list shared
 * by the JSON, CSV and HTML renderings so they never disagree.
 */
export interface Column {
  readonly field: keyof SavingsFigures;
  readonly csv: string;
  readonly label: string;
  readonly decimals: number;
  /** Costs are in the site's currency, shown next to the label. */
  readonly money?: true;
  readonly percent?: true;
}

export const COLUMNS: readonly Column[] = [
  { field: 'luminaires', csv: 'luminaires', label: 'Luminaires', decimals: 0 },
  { field: 'luminaireNights', csv: 'luminaire_nights', label: 'Luminaire-nights', decimals: 0 },
  { field: 'completeLuminaireNights', csv: 'complete_luminaire_nights', label: 'Complete', decimals: 0 },
  { field: 'partialLuminaireNights', csv: 'partial_luminaire_nights', label: 'Partial', decimals: 0 },
  { field: 'silentLuminaireNights', csv: 'silent_luminaire_nights', label: 'Silent', decimals: 0 },
  {
    field: 'stipulatedLuminaireNights',
    csv: 'stipulated_luminaire_nights',
    label: 'Stipulated (no meter)',
    decimals: 0,
  },
  { field: 'completeShare', csv: 'complete_share', label: 'Complete share', decimals: 4, percent: true },
  {
    field: 'stipulatedShare',
    csv: 'stipulated_share',
    label: 'Stipulated share',
    decimals: 4,
    percent: true,
  },
  { field: 'burningHours', csv: 'burning_hours', label: 'Burning hours', decimals: 1 },
  { field: 'meteredKwh', csv: 'metered_kwh', label: 'Metered kWh', decimals: 1 },
  {
    field: 'partialMeteredKwh',
    csv: 'partial_metered_kwh',
    label: 'Metered on partial nights kWh',
    decimals: 1,
  },
  { field: 'stipulatedKwh', csv: 'stipulated_kwh', label: 'Stipulated kWh', decimals: 1 },
  { field: 'plannedLitHours', csv: 'planned_lit_hours', label: 'Planned lit hours', decimals: 1 },
  { field: 'availability', csv: 'availability', label: 'Availability', decimals: 4, percent: true },
  { field: 'baselineKwh', csv: 'baseline_kwh', label: 'Baseline kWh', decimals: 1 },
  { field: 'ledReferenceKwh', csv: 'led_reference_kwh', label: 'LED at 100 % kWh', decimals: 1 },
  { field: 'savingsKwh', csv: 'savings_kwh', label: 'Savings kWh', decimals: 1 },
  {
    field: 'ledConversionSavingsKwh',
    csv: 'led_conversion_savings_kwh',
    label: 'of which LED kWh',
    decimals: 1,
  },
  { field: 'controlsSavingsKwh', csv: 'controls_savings_kwh', label: 'of which dimming kWh', decimals: 1 },
  { field: 'savingsShare', csv: 'savings_share', label: 'Savings', decimals: 4, percent: true },
  { field: 'meteredCost', csv: 'metered_cost', label: 'Metered cost', decimals: 2, money: true },
  { field: 'baselineCost', csv: 'baseline_cost', label: 'Baseline cost', decimals: 2, money: true },
  { field: 'savingsCost', csv: 'savings_cost', label: 'Savings', decimals: 2, money: true },
  { field: 'co2AvoidedKg', csv: 'co2_avoided_kg', label: 'CO2 avoided kg', decimals: 1 },
];

const BY_FIELD = new Map(COLUMNS.map((column) => [column.field, column]));

export function columnOf(field: keyof SavingsFigures): Column {
  const column = BY_FIELD.get(field);
  if (column === undefined) throw new RangeError(`no report column for ${field}`);
  return column;
}

export const round = (value: number, decimals: number): number => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

export function roundedFigures(figures: SavingsFigures): SavingsFigures {
  const rounded = { ...figures };
  for (const column of COLUMNS) rounded[column.field] = round(figures[column.field], column.decimals);
  return rounded;
}
