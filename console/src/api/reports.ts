import { z } from 'zod';
import type { SavingsFigures, SavingsReport } from '#schedules/report/savings.ts';
import { REPORT_GROUPINGS } from '#schedules/report/savings.ts';

const Figures = z.object({
  luminaires: z.number(),
  luminaireNights: z.number(),
  completeLuminaireNights: z.number(),
  partialLuminaireNights: z.number(),
  silentLuminaireNights: z.number(),
  completeShare: z.number(),
  burningHours: z.number(),
  meteredKwh: z.number(),
  partialMeteredKwh: z.number(),
  baselineKwh: z.number(),
  ledReferenceKwh: z.number(),
  savingsKwh: z.number(),
  ledConversionSavingsKwh: z.number(),
  controlsSavingsKwh: z.number(),
  savingsShare: z.number(),
  meteredCost: z.number(),
  baselineCost: z.number(),
  savingsCost: z.number(),
  co2AvoidedKg: z.number(),
}) satisfies z.ZodType<SavingsFigures>;

const Group = Figures.extend({ key: z.string() });

/** `GET /reports/savings?format=json`: the report, its figures rounded as in the CSV. */
export const SavingsReportJson = z.object({
  site: z.object({
    name: z.string(),
    tariffEurPerKwh: z.number(),
    co2KgPerKwh: z.number(),
    currency: z.string(),
  }),
  from: z.string(),
  to: z.string(),
  nights: z.number(),
  groupBy: z.enum(REPORT_GROUPINGS),
  baselineDefinition: z.string(),
  completeNightsDefinition: z.string(),
  generatedAt: z.string(),
  groups: z.array(Group),
  months: z.array(Group),
  total: Figures,
}) satisfies z.ZodType<Omit<SavingsReport, 'from' | 'to'> & { from: string; to: string }>;
export type SavingsReportJson = z.infer<typeof SavingsReportJson>;
